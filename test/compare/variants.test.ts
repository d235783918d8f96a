import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVariants } from '../../src/run/series.js';
import { mulberry32 } from '../../src/compare/stats.js';
import { environmentError, runFailed } from '../../src/errors.js';
import type { runScenario } from '../../src/run/index.js';
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

function abScenario(variants: string[], repeat: number): Scenario {
  const s = scenarioOf('ab-lua', [{ metric: 'cpuUsPerRequest', maxIncreasePct: 5 }]);
  s.openresty.variables = { iterations: 60 };
  s.variants = variants.map((name, i) => ({ name, overrides: i === 0 ? {} : { openresty: { variables: { iterations: 60 + 18 * i } } } }));
  s.repeat = repeat;
  return s;
}

/** A runner that writes a synthetic run whose CPU per request follows the variant's `iterations`. */
function fakeRunner(order: string[], fail?: (variant: string, rep: number) => Error | null): typeof runScenario {
  const noise = gaussian(mulberry32(99));
  return async (scenario, opts) => {
    const variant = scenario.variant ?? '?';
    order.push(`${variant}${opts.repeat}`);
    const err = fail?.(variant, opts.repeat ?? 0);
    if (err) throw err;
    const iterations = Number(scenario.openresty.variables.iterations);
    const dir = await writeSyntheticRun(opts.outDir!, {
      scenario: scenario.name,
      variant,
      rps: (40000 * 60) / iterations * (1 + 0.01 * noise()),
      cpuUsPerRequest: (iterations / 3) * (1 + 0.01 * noise()),
    });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
    return { dir, manifest, load: null, exitCode: 0 };
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
      run: fakeRunner(order, (v, rep) => (v === 'B' && rep === 2 ? runFailed('E_TEST', 'loader died') : null)),
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
