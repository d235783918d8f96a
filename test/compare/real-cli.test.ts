/**
 * The real thing through the CLI: `flamebench run` on a scenario with variants (real nginx, real
 * autocannon load, `repeat: auto`), then `flamebench compare` on what it wrote, with exit codes
 * asserted. The A/B is Lua-free and cheap to run: B gzips a 3.4 KB response at level 9, which
 * costs the worker ~3× the CPU per request of A (measured here: 8–11 µs vs 32–34 µs). The A/A runs
 * the same config twice. Both use a 25% limit: far below the A/B effect and far above what
 * identical hello runs differ by on a busy 2-core machine (CV up to ~15%), so neither verdict
 * depends on luck. Short windows (1 s + 0.5 s warm-up) keep the whole file near a minute and a half.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import { runCli } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-real-cli-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** 60 lines of text: compressible, so gzip level 9 has real work to do. */
const BODY = Array.from({ length: 60 }, (_, i) => `line ${i}: the quick brown fox jumps over the lazy dog ${(i * 7919) % 1000}\\n`).join('');

function scenario(name: string, gzipInB: boolean, maxRepeats: number): string {
  return `name: ${name}
openresty:
  workers: 1
  config: |
    server {
      listen 127.0.0.1:{{port}};
      gzip {{gzip}};
      gzip_types text/plain;
      gzip_min_length 0;
      gzip_comp_level 9;
      default_type text/plain;
      location / {
        return 200 "${BODY}";
      }
    }
  variables:
    gzip: "off"
load:
  requests:
    - path: /
      headers: { accept-encoding: gzip }
  connections: 32
  pipelining: 8
  duration: 1s
  warmup: 0.5s
thresholds:
  errors: "== 0"
  cpuUsPerRequest: "rise <= 25%"
variants:
  - name: A
  - name: B
    openresty:
      variables:
        gzip: "${gzipInB ? 'on' : 'off'}"
repeat: auto
maxRepeats: ${maxRepeats}
`;
}

async function runSeries(name: string, gzipInB: boolean, maxRepeats: number) {
  const file = path.join(tmp, `${name}.yaml`);
  await fs.writeFile(file, scenario(name, gzipInB, maxRepeats));
  const out = path.join(tmp, name);
  const r = await runCli(['run', file, '--out', out, '--no-report', '--quiet', '--json']);
  const summary = JSON.parse(r.stdout) as { series: { rounds: number; stoppedBy: string }; exitCode: number };
  const comparison = JSON.parse(await fs.readFile(path.join(out, 'compare.json'), 'utf8')) as Comparison;
  return { r, out, summary, comparison };
}

describe('real A/B and A/A through the CLI (repeat: auto)', () => {
  it('A/B: gzip level 9 is a regression in CPU per request → exit 99, decided before the budget', async () => {
    const { r, out, summary, comparison: c } = await runSeries('gzip-ab', true, 8);
    expect(r.code, r.stderr).toBe(99);
    expect(summary.exitCode).toBe(99);
    expect(summary.series.stoppedBy).toBe('decided');
    expect(c.verdict.status).toBe('regression');
    expect(c.verdict.headline).toMatch(/^regression: Worker CPU per request \+\d+/);
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!;
    expect(cpu.relativeChange!).toBeGreaterThan(0.5);
    expect(cpu.ci!.low).toBeGreaterThan(0.25);
    expect(cpu.assessment).toBe('worse');
    expect(c.thresholds.find((t) => t.metric === 'cpuUsPerRequest')!.status).toBe('fail');
    // compare on the series' directories agrees (one look at all of them), and --on-inconclusive does not matter here.
    const again = await runCli(['compare', path.join(out, 'A'), path.join(out, 'B'), '--out', path.join(tmp, 'ab-again'), '-t', 'cpuUsPerRequest=+25%']);
    expect(again.code, again.stderr).toBe(99);
    expect(again.stdout.split('\n')[0]).toMatch(/^## flamebench compare: regression: /);
  }, 150_000);

  it('A/A: the same config twice is not a regression → exit 0', async () => {
    const { r, out, summary, comparison: c } = await runSeries('gzip-aa', false, 6);
    expect(r.code, `${r.stderr}\n${JSON.stringify(c.verdict)}`).toBe(0);
    expect(summary.exitCode).toBe(0);
    expect(c.verdict.status).toBe('pass');
    expect(c.baseline.runs.length).toBe(summary.series.rounds);
    const again = await runCli(['compare', path.join(out, 'A'), path.join(out, 'B'), '--out', path.join(tmp, 'aa-again'), '-t', 'cpuUsPerRequest=+25%']);
    expect(again.code, again.stderr).toBe(0);
  }, 150_000);
});
