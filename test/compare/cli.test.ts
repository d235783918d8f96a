import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as registerCompare } from '../../src/cli/commands/compare.js';
import { register as registerHistory } from '../../src/cli/commands/history.js';
import { mulberry32 } from '../../src/compare/stats.js';
import { gaussian, writeSyntheticRun } from './synthetic.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-cli-'));
  const noise = gaussian(mulberry32(5));
  for (const [side, cpu, rps] of [
    ['A', 20, 40000],
    ['B', 26, 31000],
  ] as const) {
    for (let i = 1; i <= 4; i++) {
      await writeSyntheticRun(path.join(tmp, side, String(i)), {
        scenario: 'ab-lua',
        variant: side,
        thresholds: [{ metric: 'errors', max: 0 }],
        rps: rps * (1 + 0.02 * noise()),
        cpuUsPerRequest: cpu * (1 + 0.02 * noise()),
      });
    }
  }
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Runs one command line in-process; returns the exit code and what went to stdout/stderr. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().exitOverride();
  registerCompare(program);
  registerHistory(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'flamebench', ...args]);
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = before;
  }
}

describe('flamebench compare', () => {
  it('uses the scenario thresholds by default: errors == 0 holds → exit 0, markdown on stdout', async () => {
    const r = await cli('compare', path.join(tmp, 'A'), path.join(tmp, 'B'), '--out', path.join(tmp, 'c1'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('## flamebench compare: pass: ');
    expect(r.out).toContain('Worker CPU per request');
    await fs.access(path.join(tmp, 'c1', 'compare.html'));
  });

  it('--threshold replaces them: CPU per request may rise 5% → exit 99; --json prints compare.json; --junit writes XML', async () => {
    const r = await cli('compare', path.join(tmp, 'A'), path.join(tmp, 'B'), '--out', path.join(tmp, 'c2'), '--threshold', 'cpuUsPerRequest=+5%', '--json', '--junit');
    expect(r.code).toBe(99);
    const json = JSON.parse(r.out) as { verdict: { status: string }; thresholds: Array<{ source: string }> };
    expect(json.verdict.status).toBe('regression');
    expect(json.thresholds.map((t) => t.source)).toEqual(['cli']);
    expect(await fs.readFile(path.join(tmp, 'c2', 'compare.junit.xml'), 'utf8')).toContain('<failure');
  });

  it('-t names a probe no run has → exit 2 with the probes there are; an impossible drop → exit 2', async () => {
    const r = await cli('compare', path.join(tmp, 'A'), path.join(tmp, 'B'), '--out', path.join(tmp, 'c3'), '-t', 'probe:nosuch=+5%');
    expect(r.code).toBe(2);
    expect(r.err).toContain('probe:nosuch');
    const drop = await cli('compare', path.join(tmp, 'A'), path.join(tmp, 'B'), '--out', path.join(tmp, 'c4'), '-t', 'rps=-500%');
    expect(drop.code).toBe(2);
    expect(drop.err).toContain('a drop of more than 100% cannot happen');
  });

  it('--on-inconclusive maps an inconclusive verdict to 98 (default), 0 or 99; a bad policy is exit 2', async () => {
    const one = (side: string) => path.join(tmp, side, '1');
    const args = ['compare', one('A'), one('B'), '--out', path.join(tmp, 'c5'), '-t', 'cpuUsPerRequest=+5%'];
    const r = await cli(...args);
    expect(r.code).toBe(98);
    expect(r.out.split('\n')[0]).toMatch(/^## flamebench compare: inconclusive: .*\(1 vs 1 runs, cannot be tested — add repeats\)/);
    expect((await cli(...args, '--on-inconclusive', 'pass')).code).toBe(0);
    expect((await cli(...args, '--on-inconclusive', 'fail')).code).toBe(99);
    expect((await cli(...args, '--on-inconclusive', 'maybe')).code).toBe(2);
  });

  it('saves a named baseline and compares a candidate against it with --baseline', async () => {
    const reports = path.join(tmp, 'reports');
    const saved = await cli('compare', '--save-baseline', 'main', path.join(tmp, 'A'), '--reports-dir', reports);
    expect(saved.code).toBe(0);
    expect((await fs.readdir(path.join(reports, 'baselines', 'main'))).sort()).toEqual(['1', '2', '3', '4']);
    const r = await cli('compare', '--baseline', 'main', path.join(tmp, 'B'), '--reports-dir', reports, '-t', 'rps=-5%');
    expect(r.code).toBe(99);
    expect(r.out).toContain('FAIL');
  });

  it('invalid input exits 2: not a run dir, bad threshold, unknown baseline, wrong arity', async () => {
    expect((await cli('compare', path.join(tmp, 'nope'), path.join(tmp, 'B'))).code).toBe(2);
    expect((await cli('compare', path.join(tmp, 'A'), path.join(tmp, 'B'), '-t', 'speed=+5%')).code).toBe(2);
    const missing = await cli('compare', '--baseline', 'nothing-saved', path.join(tmp, 'B'), '--reports-dir', path.join(tmp, 'r2'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('E_NO_BASELINE');
    expect((await cli('compare', path.join(tmp, 'A'))).code).toBe(2);
  });
});

describe('flamebench history', () => {
  it('writes a self-contained trend page with one point per directory, in order', async () => {
    const file = path.join(tmp, 'hist', 'history.html');
    const r = await cli('history', path.join(tmp, 'A', '1'), path.join(tmp, 'B'), path.join(tmp, 'A', '2'), '--out', file);
    expect(r.code).toBe(0);
    const html = await fs.readFile(file, 'utf8');
    expect((html.match(/<svg[^>]*class="trend"/g) ?? []).length).toBe(3);
    // Three points per chart: one polyline with three coordinates.
    const line = /<polyline class="line" fill="none" points="([^"]+)"/.exec(html)![1]!;
    expect(line.split(' ')).toHaveLength(3);
    const labels = [...html.matchAll(/<tr><td>([^<]+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(labels).toEqual(['1:1', 'B:4', '2:1']);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
