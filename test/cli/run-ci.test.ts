/**
 * The commands of the CI example (docs/ci/github-actions.yml), run as a CI job runs them: no TTY
 * (pipes), real nginx, real autocannon. Progress must show while the load runs, thresholds
 * decide the exit code, and compare's stdout must be markdown only (for $GITHUB_STEP_SUMMARY).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../src/runs/types.js';
import { loadRun } from '../../src/runs/load.js';
import { runCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-run-ci-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;
const series = path.join(tmp, 'series');

describe('run as a CI job runs it (no TTY)', () => {
  it('--repeat 2 --duration 6s --warmup 500ms --probes none -t … --label: progress lines, two runs, thresholds met (exit 0)', async () => {
    const r = await runCli(['run', 'scenarios/hello.yaml', '--repeat', '2', '--duration', '6s', '--warmup', '500ms', '--probes', 'none', '-t', 'errors==0', '-t', 'rps>=1', '--label', 'ci-test', '--out', series]);
    expect(r.code, r.stderr).toBe(0);
    // Progress while the load runs: per run the warm-up, the first second and second 6 of the window.
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    expect(progress.length, r.stderr).toBeGreaterThanOrEqual(4);
    expect(progress.filter((l) => / fixed {2}6\/6s /.test(l))).toHaveLength(2);
    for (const l of progress) expect(l).toMatch(/^progress: (warm-up|fixed) +\S+ +[\d,]+ rps {2}p99 +[\d,]+ µs( {2}worker CPU +\d+%)? {2}errors \d+$/);
    expect(r.stderr).not.toMatch(/\r|\x1b\[/);
    expect(r.stdout).toMatch(/^thresholds:\n {2}\[pass\] errors = 0: median of 2 runs 0 meets = 0\n {2}\[pass\] rps ≥ 1(\.0)?: .*\nall 2 threshold\(s\) met$/m);
    expect(r.stdout).toContain(`repeats: ${series}`);
    for (const rep of ['1', '2']) {
      const m = readJson<RunManifest>(path.join(series, rep, 'run.json'));
      expect(m.status).toBe('ok');
      expect(m.repeat).toBe(Number(rep));
      expect(m.label?.label).toBe('ci-test');
      expect(m.probes).toEqual([]);
      expect(m.scenario.load.duration).toBe(6);
      expect(m.scenario.load.warmup).toBe(0.5);
      expect(['steady', 'drifting']).toContain(m.steadyState?.status);
      expect(m.steadyState?.seconds).toBe(6);
      // the series' checks are on its median, not on each run
      expect(m.thresholds).toBeUndefined();
    }
    expect(processesMentioning(series)).toEqual([]);
  }, 120_000);

  it('a violated absolute threshold exits 99; --json, run.json and the report carry the checks', async () => {
    const out = path.join(tmp, 'fail');
    const r = await runCli(['run', 'scenarios/hello.yaml', '--duration', '2s', '--warmup', '500ms', '--probes', 'none', '-t', 'rps>=100000000', '-t', 'errors==0', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(99);
    const json = JSON.parse(r.stdout) as { status: string; exitCode: number; checks: Array<{ metric: string; status: string }> };
    expect(json.status).toBe('ok');
    expect(json.exitCode).toBe(99);
    expect(json.checks).toEqual([expect.objectContaining({ metric: 'rps', status: 'fail' }), expect.objectContaining({ metric: 'errors', status: 'pass' })]);
    // A single run keeps its checks: run.json (read through the artifact layer, so it passes the schema) and report.html.
    const run = await loadRun(out);
    expect(run.problems).toEqual([]);
    expect(run.manifest.thresholds?.map((c) => [c.metric, c.status])).toEqual([
      ['rps', 'fail'],
      ['errors', 'pass'],
    ]);
    expect(run.manifest.thresholds?.[0]?.observed).toBeGreaterThan(0);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="thresholds">');
    expect(html).toContain('1 of 2 limit(s) failed');
    expect(html).toMatch(/<tr class="tone-bad"><td>FAIL<\/td><td>Requests\/s<\/td>/);
  }, 60_000);

  it("compare's stdout is only the markdown summary; where the files went is on stderr", async () => {
    const r = await runCli(['compare', series, series, '--out', path.join(tmp, 'cmp')]);
    expect([0, 98]).toContain(r.code);
    expect(r.stdout).not.toMatch(/^report: /m);
    expect(r.stdout.trimStart()).toMatch(/^(#|\*\*)/);
    expect(r.stderr).toContain(`report: ${path.join(tmp, 'cmp', 'compare.html')}`);
  }, 60_000);
});
