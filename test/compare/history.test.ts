import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_METRICS, historyPoints, historySvg } from '../../src/compare/history.js';
import { toBenchmarkAction, toBencher } from '../../src/export/trend.js';
import { BASE_METRIC_NAMES } from '../../src/metrics/index.js';
import { runPaths } from '../../src/runs/paths.js';
import type { RunManifest } from '../../src/runs/types.js';
import { runCli } from '../helpers/cli.js';
import { environmentOf, writeSyntheticRun } from './synthetic.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-history-'));
  // Three releases; the second has three repeats. rps values chosen to give the old "6,520 / 4,890" ticks.
  await writeSyntheticRun(path.join(tmp, 'r1'), { scenario: 'hello', rps: 6520, cpuUsPerRequest: 5.1, environment: environmentOf() });
  for (const [i, rps] of [4890, 5100, 5300].entries()) await writeSyntheticRun(path.join(tmp, 'r2', String(i + 1)), { scenario: 'hello', rps, cpuUsPerRequest: 5.4, environment: environmentOf() });
  await writeSyntheticRun(path.join(tmp, 'a-very-long-release-name-that-would-be-cut-v1.2.3'), { scenario: 'hello', rps: 3260, cpuUsPerRequest: 6, environment: environmentOf() });
  // r1 was run with --label, and its window drifted.
  const m = runPaths(path.join(tmp, 'r1')).manifest;
  const manifest = JSON.parse(await fs.readFile(m, 'utf8')) as RunManifest;
  manifest.label = { label: 'v1.0.0', gitDescribe: 'v1.0.0-3-gabc123' };
  manifest.steadyState = { status: 'drifting', seconds: 10, rpsChangePct: -30, p50ChangePct: 10, bounds: { rpsPct: 20, p50Pct: 50 }, message: 'x' };
  await fs.writeFile(m, JSON.stringify(manifest));
});
afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

const dirs = () => ['r1', 'r2', 'a-very-long-release-name-that-would-be-cut-v1.2.3'].map((d) => path.join(tmp, d));

describe('history points', () => {
  it('carry every metric of the catalogue, the recorded label, git describe, nginx version and drift', async () => {
    const points = await historyPoints(dirs());
    expect(HISTORY_METRICS).toEqual(BASE_METRIC_NAMES);
    expect(points.map((p) => [p.label, p.runs, p.drifting])).toEqual([
      ['v1.0.0', 1, 1],
      ['r2', 3, 0],
      ['a-very-long-release-name-that-would-be-cut-v1.2.3', 1, 0],
    ]);
    expect(points[0]!.gitDescribe).toBe('v1.0.0-3-gabc123');
    expect(points[0]!.nginxVersion).toBe('nginx/1.22.1');
    for (const m of BASE_METRIC_NAMES) expect(points[1]!.values[m], m).not.toBeNull();
    expect(points[1]!.values.rps).toEqual({ median: 5100, min: 4890, max: 5300 });
  });

  it('--label overrides labels in order', async () => {
    const points = await historyPoints(dirs(), ['one', 'two']);
    expect(points.map((p) => p.label)).toEqual(['one', 'two', 'a-very-long-release-name-that-would-be-cut-v1.2.3']);
  });

  it("charts use the report's nice ticks, and every x label fits inside the chart", async () => {
    const svg = historySvg(await historyPoints(dirs()), 'rps');
    const yTicks = [...svg.matchAll(/<text class="tick" x="\d+" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(yTicks).toEqual(['0', '2,000', '4,000', '6,000', '8,000']);
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    const xLabels = [...svg.matchAll(/<text class="tick" x="([\d.]+)" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2]! }));
    expect(xLabels.map((l) => l.text)).toEqual(['v1.0.0', 'r2', expect.stringMatching(/^a-very-long-release.*…$/)]);
    // A centred label at ~6.5 px per character stays inside the viewBox.
    for (const l of xLabels) {
      expect(l.x - (l.text.length * 6.5) / 2).toBeGreaterThanOrEqual(0);
      expect(l.x + (l.text.length * 6.5) / 2).toBeLessThanOrEqual(width);
    }
  });
});

describe('trend exports', () => {
  it("github-action-benchmark: one list per direction, the repeats' spread as range, context in extra", async () => {
    const [, p2] = await historyPoints(dirs());
    const bigger = toBenchmarkAction(p2!, 'bigger');
    expect(bigger).toEqual([{ name: 'hello - Requests/s', unit: 'req/s', value: 5100, range: '± 205', extra: '3 runs; label r2; nginx/1.22.1' }]);
    const smaller = toBenchmarkAction(p2!, 'smaller');
    expect(smaller.map((e) => e.name)).toEqual(BASE_METRIC_NAMES.filter((m) => m !== 'rps').map((m) => expect.stringMatching(new RegExp(`^hello - `))));
    const cpu = smaller.find((e) => e.name === 'hello - Worker CPU per request')!;
    expect(cpu.unit).toBe('us');
    expect(cpu.value).toBeCloseTo(5.4, 6);
  });

  it('Bencher Metric Format: a benchmark per scenario, rps as throughput, lower/upper from repeats', async () => {
    const [, p2] = await historyPoints(dirs());
    const bmf = toBencher([p2!]);
    expect(Object.keys(bmf)).toEqual(['hello']);
    expect(bmf.hello!.throughput).toEqual({ value: 5100, lower_value: 4890, upper_value: 5300 });
    expect(Object.keys(bmf.hello!)).toContain('cpu-us-per-request');
    expect(Object.keys(bmf.hello!)).toContain('latency-p99-us');
  });

  it('history --json prints the points on stdout; export bencher prints BMF', async () => {
    const out = path.join(tmp, 'h.html');
    const r = await runCli(['history', ...dirs(), '-o', out, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.points).toHaveLength(3);
    expect(json.file).toBe(out);
    const b = await runCli(['export', 'bencher', path.join(tmp, 'r2')]);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).hello.throughput.value).toBe(5100);
  }, 60_000);
});
