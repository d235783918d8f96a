import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns, renderJunit, renderMarkdown, resolveRunDirs, writeComparison } from '../../src/compare/index.js';
import { isFlamebenchError } from '../../src/errors.js';
import type { ThresholdSpec } from '../../src/scenario/types.js';
import type { Folded } from '../../src/stacks/folded.js';
import { mulberry32 } from '../../src/compare/stats.js';
import type { RunEnvironment } from '../../src/runs/types.js';
import { environmentOf, gaussian, writeSyntheticRun, type SyntheticRun } from './synthetic.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-compare-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const THRESHOLDS: ThresholdSpec[] = [
  { metric: 'rps', maxDecreasePct: 5 },
  { metric: 'cpuUsPerRequest', maxIncreasePct: 5 },
  { metric: 'errors', max: 0 },
];

/** A Lua-heavy profile: `extra` scales the Lua work frame relative to the rest. */
function profile(extra: number, noise: () => number): Folded {
  const w = (x: number) => Math.max(1, Math.round(x * (1 + 0.03 * noise())));
  return new Map([
    ['nginx;ngx_process_events_and_timers;ngx_http_handler;ngx_http_lua_content_handler;lua_work', w(600 * extra)],
    ['nginx;ngx_process_events_and_timers;ngx_http_handler;ngx_http_write_filter;writev', w(250)],
    ['nginx;ngx_process_events_and_timers;epoll_wait', w(150)],
  ]);
}

/** `n` repeats around the given centre, with ~2% noise, into dir/<i>. */
async function side(dir: string, n: number, seed: number, centre: { rps: number; cpu: number; lua: number }, extra: Partial<SyntheticRun> = {}): Promise<string> {
  const noise = gaussian(mulberry32(seed));
  for (let i = 1; i <= n; i++) {
    await writeSyntheticRun(path.join(dir, String(i)), {
      scenario: 'ab-lua',
      thresholds: THRESHOLDS,
      rps: centre.rps * (1 + 0.02 * noise()),
      cpuUsPerRequest: centre.cpu * (1 + 0.02 * noise()),
      p99Us: 900 * (1 + 0.05 * noise()),
      probes: { cpu: profile(centre.lua, noise) },
      ...extra,
    });
  }
  return dir;
}

describe('compareRuns on synthetic run directories', () => {
  it('A/A (same distribution, 6 repeats each) passes', async () => {
    const a = await side(path.join(tmp, 'aa', 'A'), 6, 1, { rps: 40000, cpu: 22, lua: 1 });
    const b = await side(path.join(tmp, 'aa', 'B'), 6, 2, { rps: 40000, cpu: 22, lua: 1 });
    const c = await compareRuns(await resolveRunDirs(a), await resolveRunDirs(b), { thresholds: THRESHOLDS });
    expect(c.baseline.runs).toHaveLength(6);
    expect(c.verdict.status).toBe('pass');
    expect(c.verdict.exitCode).toBe(0);
    expect(c.thresholds.every((t) => t.status === 'pass')).toBe(true);
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!;
    expect(Math.abs(cpu.relativeChange!)).toBeLessThan(0.05);
    expect(cpu.ci!.low).toBeLessThan(0.05);
  });

  it('A/B with ~30% more CPU per request and lower rps is a regression, in the right direction', async () => {
    const a = await side(path.join(tmp, 'ab', 'A'), 5, 3, { rps: 40000, cpu: 22, lua: 1 });
    const b = await side(path.join(tmp, 'ab', 'B'), 5, 4, { rps: 31000, cpu: 22 * 1.3, lua: 1.5 });
    const c = await compareRuns(await resolveRunDirs(a), await resolveRunDirs(b), { thresholds: THRESHOLDS });
    expect(c.verdict.status).toBe('regression');
    expect(c.verdict.exitCode).toBe(99);
    expect(c.verdict.headline).toMatch(/^regression: /);
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!;
    expect(cpu.relativeChange!).toBeGreaterThan(0.2);
    expect(cpu.relativeChange!).toBeLessThan(0.4);
    expect(cpu.ci!.low).toBeGreaterThan(0.1);
    expect(cpu.assessment).toBe('worse');
    const rps = c.metrics.find((m) => m.metric === 'rps')!;
    expect(rps.relativeChange!).toBeLessThan(-0.1);
    expect(rps.assessment).toBe('worse');
    const failed = c.thresholds.filter((t) => t.status === 'fail').map((t) => t.metric);
    expect(failed.sort()).toEqual(['cpuUsPerRequest', 'rps']);
    // The probe's per-request weight is a metric, and the Lua frame leads the frame table, upwards.
    expect(c.metrics.some((m) => m.metric === 'probe:cpu')).toBe(true);
    const top = c.probes[0]!.frames[0]!;
    expect(top.frame).toBe('lua_work');
    expect(top.direction).toBe('up');
    expect(top.significance).toBe('significant');
    // Swapping the sides turns the regression into an improvement: direction is per metric.
    const back = await compareRuns(await resolveRunDirs(b), await resolveRunDirs(a), { thresholds: THRESHOLDS });
    // Both relative checks are decidedly better than their limits mirrored: an improvement (exit 0).
    expect(back.verdict.status).toBe('improvement');
    expect(back.verdict.exitCode).toBe(0);
    expect(back.metrics.find((m) => m.metric === 'cpuUsPerRequest')!.assessment).toBe('better');
    expect(back.metrics.find((m) => m.metric === 'rps')!.assessment).toBe('better');
  });

  it('an absolute threshold (errors == 0) violated fails with exit 99, even with one run per side', async () => {
    const a = await writeSyntheticRun(path.join(tmp, 'err', 'A'), { rps: 40000, cpuUsPerRequest: 22 });
    const b = await writeSyntheticRun(path.join(tmp, 'err', 'B'), { rps: 40000, cpuUsPerRequest: 22, errors: 17 });
    const c = await compareRuns([a], [b], { thresholds: [{ metric: 'errors', max: 0 }] });
    expect(c.verdict.exitCode).toBe(99);
    expect(c.thresholds[0]).toMatchObject({ status: 'fail', kind: 'absolute', observed: 17 });
    expect(c.verdict.reasons[0]).toContain('errors');
  });

  it('with one run per side a large change cannot be tested: inconclusive, exit 98, never a silent pass', async () => {
    const a = await writeSyntheticRun(path.join(tmp, 'one', 'A'), { rps: 40000, cpuUsPerRequest: 20 });
    const b = await writeSyntheticRun(path.join(tmp, 'one', 'B'), { rps: 20000, cpuUsPerRequest: 40 });
    const c = await compareRuns([a], [b], { thresholds: THRESHOLDS });
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!;
    expect(cpu.relativeChange).toBeCloseTo(1, 6);
    expect(cpu.ci).toBeNull();
    expect(cpu.note).toBe('1 vs 1 runs, cannot be tested — add repeats');
    expect(c.verdict.status).toBe('inconclusive');
    expect(c.verdict.exitCode).toBe(98);
    expect(c.verdict.headline).toMatch(/^inconclusive: /);
    expect(c.verdict.headline).toContain('(1 vs 1 runs, cannot be tested — add repeats)');
    expect(c.verdict.reasons).toContain('cpuUsPerRequest rise ≤ 5%: inconclusive — +100.0% (1 vs 1 runs, cannot be tested — add repeats)');
    expect(c.thresholds.find((t) => t.metric === 'cpuUsPerRequest')!.status).toBe('inconclusive');
    // --on-inconclusive maps the exit code, never the verdict.
    const lenient = await compareRuns([a], [b], { thresholds: THRESHOLDS, onInconclusive: 'pass' });
    expect([lenient.verdict.status, lenient.verdict.exitCode]).toEqual(['inconclusive', 0]);
    const strict = await compareRuns([a], [b], { thresholds: THRESHOLDS, onInconclusive: 'fail' });
    expect([strict.verdict.status, strict.verdict.exitCode]).toEqual(['inconclusive', 99]);
    // JUnit agrees with the exit code: open checks fail the suite, unless --on-inconclusive pass made it exit 0.
    expect(renderJunit(c)).toContain('<failure message="inconclusive: +100.0% (1 vs 1 runs, cannot be tested — add repeats)" type="inconclusive">');
    expect(renderJunit(lenient)).not.toContain('<failure');
    expect(renderJunit(lenient)).toContain('<skipped message="inconclusive: ');
    expect(renderMarkdown(c).split('\n')[0]).toBe(`## flamebench compare: ${c.verdict.headline}`);
  });

  it('3 vs 3 repeats decide a clear change (the interval rule has no rank-test floor)', async () => {
    const a = await side(path.join(tmp, 'three', 'A'), 3, 5, { rps: 40000, cpu: 20, lua: 1 });
    const b = await side(path.join(tmp, 'three', 'B'), 3, 6, { rps: 30000, cpu: 30, lua: 1 });
    const c = await compareRuns(await resolveRunDirs(a), await resolveRunDirs(b), { thresholds: THRESHOLDS });
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!;
    expect(cpu.ci!.low).toBeGreaterThan(0.05);
    expect(c.verdict.status).toBe('regression');
  });

  it('uses default thresholds when none are given, and marks them', async () => {
    const a = await side(path.join(tmp, 'def', 'A'), 4, 7, { rps: 40000, cpu: 20, lua: 1 });
    const b = await side(path.join(tmp, 'def', 'B'), 4, 8, { rps: 40000, cpu: 30, lua: 1 });
    const c = await compareRuns(await resolveRunDirs(a), await resolveRunDirs(b), { thresholds: [] });
    expect(c.thresholds.map((t) => `${t.metric}:${t.source}`)).toEqual(['rps:default', 'cpuUsPerRequest:default']);
    expect(c.verdict.status).toBe('regression');
  });

  it('leaves failed runs out with a warning, and warns when scenario names differ', async () => {
    const a = await side(path.join(tmp, 'mix', 'A'), 2, 9, { rps: 40000, cpu: 20, lua: 1 });
    await writeSyntheticRun(path.join(a, '3'), { rps: 1, cpuUsPerRequest: 1, status: 'failed', scenario: 'ab-lua' });
    const b = await writeSyntheticRun(path.join(tmp, 'mix', 'B'), { rps: 40000, cpuUsPerRequest: 20, scenario: 'other' });
    const c = await compareRuns(await resolveRunDirs(a), [b], { thresholds: THRESHOLDS });
    expect(c.baseline.runs).toHaveLength(2);
    expect(c.warnings.some((w) => w.includes('failed') && w.includes('left out'))).toBe(true);
    expect(c.warnings.some((w) => w.includes('scenario names differ'))).toBe(true);
  });

  it('sides from different machines: inconclusive, said in the first line, unless --allow-cross-machine', async () => {
    const runsOn = async (dir: string, env: Partial<RunEnvironment>, cpu: number) => {
      for (let i = 1; i <= 4; i++) await writeSyntheticRun(path.join(dir, String(i)), { rps: 40000, cpuUsPerRequest: cpu * (1 + 0.01 * i), environment: environmentOf(env) });
      return resolveRunDirs(dir);
    };
    const a = await runsOn(path.join(tmp, 'xm', 'A'), {}, 20);
    const b = await runsOn(path.join(tmp, 'xm', 'B'), { cpuModel: 'AMD EPYC 7763 64-Core Processor', kernel: '6.5.0-1016-azure', hostname: 'other' }, 30);
    const c = await compareRuns(a, b, { thresholds: THRESHOLDS });
    expect(c.machines.same).toBe(false);
    expect(c.machines.differences).toEqual([
      'CPU model: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz vs AMD EPYC 7763 64-Core Processor',
      'kernel: 6.1.0-18-amd64 vs 6.5.0-1016-azure',
    ]);
    expect(c.verdict.status).toBe('inconclusive');
    expect(c.verdict.exitCode).toBe(98);
    expect(c.verdict.headline).toMatch(/^inconclusive: the sides ran on different machines \(CPU model: .*; kernel: .*\)/);
    expect(renderMarkdown(c).split('\n')[0]).toContain('different machines');
    const allowed = await compareRuns(a, b, { thresholds: THRESHOLDS, allowCrossMachine: true });
    expect(allowed.verdict.status).toBe('regression');
    expect(allowed.verdict.headline).toMatch(/^different machines \(allowed: CPU model: .*\) — regression: /);
    // nginx -V alone (another build) counts too; the same machine does not.
    const sameHw = await runsOn(path.join(tmp, 'xm', 'C'), { nginxVersion: 'nginx version: nginx/1.22.1\nconfigure arguments: --with-debug' }, 20);
    expect((await compareRuns(a, sameHw, { thresholds: THRESHOLDS })).machines.differences).toEqual(['nginx -V: nginx version: nginx/1.22.1 vs nginx version: nginx/1.22.1 (build options differ)']);
    expect((await compareRuns(a, a, { thresholds: THRESHOLDS })).machines).toEqual({ same: true, differences: [], allowed: false });
  });

  it('rejects a directory that is not a run dir with exit code 2', async () => {
    const empty = path.join(tmp, 'empty');
    await fs.mkdir(empty, { recursive: true });
    const err = await resolveRunDirs(empty).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.exitCode).toBe(2);
    const missing = await resolveRunDirs(path.join(tmp, 'nope')).catch((e: unknown) => e);
    expect(isFlamebenchError(missing) && missing.code).toBe('E_NOT_A_RUN_DIR');
  });

  it('is deterministic: the same runs give byte-identical compare.json', async () => {
    const a = await resolveRunDirs(path.join(tmp, 'ab', 'A'));
    const b = await resolveRunDirs(path.join(tmp, 'ab', 'B'));
    const one = JSON.stringify(await compareRuns(a, b, { thresholds: THRESHOLDS }));
    const two = JSON.stringify(await compareRuns(a, b, { thresholds: THRESHOLDS }));
    expect(one).toBe(two);
  });
});

describe('compare outputs', () => {
  it('compare.json validates against schema/compare.schema.json; markdown, JUnit and HTML say the verdict', async () => {
    const hostile = '<script>alert("x")</script>&frame';
    const a = path.join(tmp, 'out', 'A');
    const b = path.join(tmp, 'out', 'B');
    const noise = gaussian(mulberry32(11));
    for (let i = 1; i <= 4; i++) {
      await writeSyntheticRun(path.join(a, String(i)), { scenario: hostile, rps: 40000 * (1 + 0.02 * noise()), cpuUsPerRequest: 20 * (1 + 0.02 * noise()), probes: { cpu: new Map([[`main;${hostile}`, 100], ['main;other', 100]]) } });
      await writeSyntheticRun(path.join(b, String(i)), { scenario: hostile, rps: 30000 * (1 + 0.02 * noise()), cpuUsPerRequest: 27 * (1 + 0.02 * noise()), errors: 3, probes: { cpu: new Map([[`main;${hostile}`, 200 + i], ['main;other', 100]]) } });
    }
    const c = await compareRuns(await resolveRunDirs(a), await resolveRunDirs(b), { thresholds: THRESHOLDS });
    const out = path.join(tmp, 'out', 'cmp');
    const written = await writeComparison(out, c, { junit: true });

    const schema = JSON.parse(readFileSync(new URL('../../schema/compare.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    const json = JSON.parse(await fs.readFile(written.json, 'utf8')) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not vacuous: a wrong version or an unknown key is rejected.
    expect(validate({ ...(json as object), schemaVersion: 1 })).toBe(false);
    expect(validate({ ...(json as object), extra: 1 })).toBe(false);

    const md = await fs.readFile(written.markdown, 'utf8');
    expect(md).toContain('## flamebench compare: regression: ');
    expect(md).toMatch(/\| Worker CPU per request \|/);
    expect(md).toContain('[FAIL]');
    expect(md).not.toContain('<script>');
    expect(md).toBe(renderMarkdown(c));

    const junit = await fs.readFile(written.junit!, 'utf8');
    expect(junit).toBe(renderJunit(c));
    expect((junit.match(/<testcase /g) ?? []).length).toBe(c.thresholds.length);
    expect((junit.match(/<failure /g) ?? []).length).toBe(3);
    expect(junit).not.toContain('<script>');

    const html = await fs.readFile(written.html, 'utf8');
    expect(html).toContain('REGRESSION');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert');
    expect(html).toMatch(/<svg[^>]*class="strip"/);
    // Self-contained: nothing fetched from elsewhere.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
