import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVariants } from '../../src/orchestrator/series.js';
import { mulberry32 } from '../../src/compare/stats.js';
import { environmentError, runFailed } from '../../src/errors.js';
import type { runScenario } from '../../src/orchestrator/index.js';
import type { RunManifest } from '../../src/runs/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { gaussian, scenarioOf, writeSyntheticRun } from './synthetic.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-variants-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function abScenario(variants: string[], repeat: number | 'auto'): Scenario {
  const s = scenarioOf('ab-lua', [{ metric: 'cpuUsPerRequest', maxIncreasePct: 5 }]);
  s.openresty.variables = { iterations: 60 };
  s.variants = variants.map((name, i) => ({ name, overrides: i === 0 ? {} : { openresty: { variables: { iterations: 60 + 18 * i } } } }));
  s.repeat = repeat;
  return s;
}

/**
 * A runner that writes a synthetic run whose CPU per request follows the variant's `iterations`,
 * with 1% noise (or `cpuOf` decides it), and advances `clock` by `secondsPerRun`.
 */
function fakeRunner(
  order: string[],
  fail?: (variant: string, rep: number) => Error | null,
  opts: { cpuOf?: (iterations: number, rep: number) => number; clock?: { t: number }; secondsPerRun?: number } = {},
): typeof runScenario {
  const noise = gaussian(mulberry32(99));
  return async (scenario, runOpts) => {
    const variant = scenario.variant ?? '?';
    order.push(`${variant}${runOpts.repeat}`);
    if (opts.clock) opts.clock.t += (opts.secondsPerRun ?? 0) * 1000;
    const err = fail?.(variant, runOpts.repeat ?? 0);
    if (err) throw err;
    const iterations = Number(scenario.openresty.variables.iterations);
    const dir = await writeSyntheticRun(runOpts.outDir!, {
      scenario: scenario.name,
      variant,
      rps: (40000 * 60) / iterations * (1 + 0.01 * noise()),
      cpuUsPerRequest: opts.cpuOf ? opts.cpuOf(iterations, runOpts.repeat ?? 0) : (iterations / 3) * (1 + 0.01 * noise()),
    });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
    return { dir, status: manifest.status, manifest, load: null, exitCode: 0, error: null, checks: [] };
  };
}

describe('runVariants', () => {
  it('interleaves A B A B … and compares B against A into <out>/compare.*', async () => {
    const order: string[] = [];
    const out = path.join(tmp, 'ab');
    const res = await runVariants(abScenario(['A', 'B'], 4), { outDir: out, quiet: true, run: fakeRunner(order), junit: true });
    expect(order).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'B3', 'A4', 'B4']);
    expect(res.runs.map((r) => path.relative(out, r.dir))).toEqual(['A/1', 'B/1', 'A/2', 'B/2', 'A/3', 'B/3', 'A/4', 'B/4']);
    expect(res.comparisons).toHaveLength(1);
    const c = res.comparisons[0]!.comparison;
    expect(c.baseline.variant).toBe('A');
    expect(c.candidate.variant).toBe('B');
    expect(c.metrics.find((m) => m.metric === 'cpuUsPerRequest')!.relativeChange!).toBeCloseTo(0.3, 1);
    expect(res.exitCode).toBe(99);
    for (const f of ['compare.json', 'compare.md', 'compare.html', 'compare.junit.xml']) await fs.access(path.join(out, f));
  });

  it('with three variants compares each against the first, in its own folder', async () => {
    const order: string[] = [];
    const out = path.join(tmp, 'abc');
    const res = await runVariants(abScenario(['A', 'B', 'C'], 2), { outDir: out, quiet: true, run: fakeRunner(order) });
    expect(order).toEqual(['A1', 'B1', 'C1', 'A2', 'B2', 'C2']);
    expect(res.comparisons.map((c) => c.candidate)).toEqual(['B', 'C']);
    await fs.access(path.join(out, 'compare-B', 'compare.json'));
    await fs.access(path.join(out, 'compare-C', 'compare.json'));
  });

  it('keeps going after a failed repeat and compares what succeeded', async () => {
    const order: string[] = [];
    const res = await runVariants(abScenario(['A', 'B'], 3), {
      outDir: path.join(tmp, 'flaky'),
      quiet: true,
      run: fakeRunner(order, (v, rep) => (v === 'B' && rep === 2 ? runFailed('E_LOADER_DIED', 'loader died') : null)),
    });
    expect(order).toHaveLength(6);
    expect(res.runs.filter((r) => r.error).map((r) => `${r.variant}${r.repeat}`)).toEqual(['B2']);
    expect(res.comparisons[0]!.comparison.candidate.runs).toHaveLength(2);
  });

  it('stops the series on an environment error (it would repeat on every run)', async () => {
    const order: string[] = [];
    const err = await runVariants(abScenario(['A', 'B'], 3), {
      outDir: path.join(tmp, 'env'),
      quiet: true,
      run: fakeRunner(order, () => environmentError('E_NO_NGINX', 'nginx not found')),
    }).catch((e: unknown) => e);
    expect(order).toEqual(['A1']);
    expect((err as { code?: string }).code).toBe('E_NO_NGINX');
  });

  it('refuses a scenario with fewer than two variants', async () => {
    const err = await runVariants(abScenario(['A'], 2), { outDir: path.join(tmp, 'one'), quiet: true, run: fakeRunner([]) }).catch((e: unknown) => e);
    expect((err as { exitCode?: number }).exitCode).toBe(2);
  });
});

describe('runVariants with repeat: auto (sequential)', () => {
  const auto = (variants: string[], budget: Partial<Pick<Scenario, 'minRepeats' | 'maxRepeats' | 'maxSeconds'>> = {}) => {
    const s = abScenario(variants, 'auto');
    Object.assign(s, { minRepeats: 3, maxRepeats: 20, maxSeconds: 3600 }, budget);
    return s;
  };

  it('a clear regression (+30% CPU, 1% noise) stops early, interleaved, with exit 99 and progress per look', async () => {
    const order: string[] = [];
    const lines: string[] = [];
    const res = await runVariants(auto(['A', 'B']), { outDir: path.join(tmp, 'auto-ab'), quiet: true, run: fakeRunner(order), log: (l) => lines.push(l) });
    expect(res.series).toMatchObject({ mode: 'auto', stoppedBy: 'decided' });
    expect(res.series.rounds).toBeGreaterThanOrEqual(3);
    expect(res.series.rounds).toBeLessThan(20);
    expect(order).toEqual(Array.from({ length: res.series.rounds }, (_, i) => [`A${i + 1}`, `B${i + 1}`]).flat());
    expect(res.exitCode).toBe(99);
    const c = res.comparisons[0]!.comparison;
    expect(c.verdict.status).toBe('regression');
    expect(c.design).toMatchObject({ kind: 'sequential', pairs: res.series.rounds, look: res.series.rounds - 2 });
    // Progress: one line per look with the running estimate and how far it is from a decision.
    const looks = lines.filter((l) => /^ {2}look \d+/.test(l));
    expect(looks).toHaveLength(res.series.rounds - 2);
    expect(looks[0]).toMatch(/pp from a decision/);
    expect(looks[looks.length - 1]).toContain('regression: ');
  });

  it('A/A with 1% noise stops early with a confirmed pass, exit 0', async () => {
    const s = auto(['A', 'A2']);
    s.variants = [
      { name: 'A', overrides: {} },
      { name: 'A2', overrides: {} },
    ];
    const res = await runVariants(s, { outDir: path.join(tmp, 'auto-aa'), quiet: true, run: fakeRunner([]) });
    expect(res.series.stoppedBy).toBe('decided');
    expect(res.series.rounds).toBeLessThan(20);
    expect(res.comparisons[0]!.comparison.verdict.status).toBe('pass');
    expect(res.comparisons[0]!.comparison.thresholds.every((t) => t.confirmed)).toBe(true);
    expect(res.exitCode).toBe(0);
  });

  it('a change beyond the limit that the budget cannot confirm ends inconclusive (exit 98), or as --on-inconclusive says', async () => {
    // B is +8% on average but repeats swing ±20%: maxRepeats 4 cannot confirm it either way.
    const cpuOf = (iterations: number, rep: number) => (iterations === 60 ? 100 : 108) * (rep % 2 ? 0.8 : 1.2);
    const s = auto(['A', 'B'], { maxRepeats: 4 });
    const res = await runVariants(s, { outDir: path.join(tmp, 'auto-open'), quiet: true, run: fakeRunner([], undefined, { cpuOf }) });
    expect(res.series).toMatchObject({ rounds: 4, stoppedBy: 'maxRepeats' });
    const c = res.comparisons[0]!.comparison;
    expect(c.verdict.status).toBe('inconclusive');
    expect(c.verdict.headline).toMatch(/^inconclusive: Worker CPU per request \+8\.0% \[/);
    expect(res.exitCode).toBe(98);
    const lenient = await runVariants(s, { outDir: path.join(tmp, 'auto-open-pass'), quiet: true, onInconclusive: 'pass', run: fakeRunner([], undefined, { cpuOf }) });
    expect([lenient.comparisons[0]!.comparison.verdict.status, lenient.exitCode]).toEqual(['inconclusive', 0]);
  });

  it('stops when the next round would overrun maxSeconds (but not before the first look)', async () => {
    const clock = { t: 0 };
    const cpuOf = (iterations: number, rep: number) => (iterations === 60 ? 100 : 108) * (rep % 2 ? 0.8 : 1.2);
    const res = await runVariants(auto(['A', 'B'], { maxSeconds: 200 }), {
      outDir: path.join(tmp, 'auto-time'),
      quiet: true,
      now: () => clock.t,
      run: fakeRunner([], undefined, { cpuOf, clock, secondsPerRun: 30 }),
    });
    // 60 s per round: after round 3 (180 s) a fourth would end at 240 s > 200 s.
    expect(res.series).toMatchObject({ rounds: 3, stoppedBy: 'maxSeconds', seconds: 180 });
    expect(res.comparisons[0]!.comparison.design.final).toBe(true);
  });

  it('an unconfirmed pass at the last look stays a pass in the final report (exit 0), not inconclusive', async () => {
    // A/A whose repeats swing ±20%: the interval straddles the 5% limit when the budget runs out,
    // with the estimate within it. The look decides "pass (unconfirmed)"; the report must agree.
    const cpuOf = (_iterations: number, rep: number) => 100 * (rep % 2 ? 0.8 : 1.2) * (1 + 0.01 * (rep % 3));
    const s = auto(['A', 'A2'], { maxRepeats: 4 });
    s.variants = [
      { name: 'A', overrides: {} },
      { name: 'A2', overrides: {} },
    ];
    const res = await runVariants(s, { outDir: path.join(tmp, 'auto-unconfirmed'), quiet: true, run: fakeRunner([], undefined, { cpuOf }) });
    const c = res.comparisons[0]!.comparison;
    const cpu = c.thresholds.find((t) => t.metric === 'cpuUsPerRequest')!;
    expect(cpu.confirmed).toBe(false);
    expect([c.verdict.status, c.design.final, res.exitCode]).toEqual(['pass', true, 0]);
  });
});
