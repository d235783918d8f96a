/**
 * How honest is compare's verdict on this machine? Runs scenarios/ab-lua.yaml for real (nginx +
 * Lua, autocannon), variants A (60 iterations) and B (66, i.e. +10% Lua work), interleaved
 * A B A B …, POOL runs each, with short windows, no probes. Then, from those pools:
 *   - false-positive rate: A/A comparisons (REPS vs REPS runs, drawn without replacement from one
 *     variant's pool, seeded) with the default thresholds; a "fail" verdict is a false positive;
 *   - detection rate of a real +10%-Lua-work change (A vs B, REPS vs REPS, disjoint draws);
 *   - detection rate of an exactly +10% CPU-per-request change: A's real runs vs A's real runs
 *     with cpuUsPerRequest scaled by 1.10 (real noise, injected shift; labelled "injected").
 * Usage: npx tsx test/bench/compare-power.bench.ts [pool=12] [reps=4] [duration=2]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareRuns } from '../../src/compare/compare.js';
import { median, mulberry32 } from '../../src/compare/stats.js';
import { runScenario } from '../../src/run/index.js';
import type { RunManifest } from '../../src/runs/types.js';
import { applyVariant, loadScenario } from '../../src/scenario/index.js';

const POOL = Number(process.argv[2] ?? 12);
const REPS = Number(process.argv[3] ?? 4);
const DURATION = Number(process.argv[4] ?? 2);
const COMPARISONS = 12;

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-power-'));
const scenario = await loadScenario(new URL('../../scenarios/ab-lua.yaml', import.meta.url).pathname);
const variantB = { ...scenario, variants: scenario.variants.map((v) => (v.name === 'B' ? { ...v, overrides: { openresty: { variables: { iterations: 66 } } } } : v)) };
const short = (name: string) => {
  const v = applyVariant(name === 'B' ? variantB : scenario, name);
  v.load.duration = DURATION;
  v.load.warmup = 1;
  v.probes = [];
  return v;
};
const pools: Record<'A' | 'B', string[]> = { A: [], B: [] };
const t0 = Date.now();
for (let rep = 1; rep <= POOL; rep++) {
  for (const name of ['A', 'B'] as const) {
    const out = path.join(root, name, String(rep));
    try {
      const r = await runScenario(short(name), { reportsDir: root, outDir: out, quiet: true, noReport: true, repeat: rep });
      if (r.manifest.status === 'ok') pools[name].push(r.dir);
    } catch (e) {
      console.error(`run ${name}${rep} failed: ${(e as Error).message}`);
    }
  }
}
const elapsed = (Date.now() - t0) / 1000;

const cpuOf = async (dir: string) => (JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as RunManifest).cpu.summary?.workerCpuUsPerRequest ?? NaN;
const cpuA = await Promise.all(pools.A.map(cpuOf));
const cpuB = await Promise.all(pools.B.map(cpuOf));
const cv = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) / m;
};

/** Copies of runs with cpuUsPerRequest scaled: the injected-shift candidate. */
async function scaled(dirs: string[], factor: number, tag: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    const dest = path.join(root, `scaled-${tag}`, path.basename(path.dirname(d)) + '-' + path.basename(d));
    await fs.cp(d, dest, { recursive: true });
    const m = JSON.parse(await fs.readFile(path.join(dest, 'run.json'), 'utf8')) as RunManifest;
    if (m.cpu.summary?.workerCpuUsPerRequest) m.cpu.summary.workerCpuUsPerRequest *= factor;
    await fs.writeFile(path.join(dest, 'run.json'), JSON.stringify(m));
    out.push(dest);
  }
  return out;
}

const rnd = mulberry32(2024);
const draw = (pool: string[], n: number) => {
  const copy = [...pool];
  const out: string[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0] as string);
  return out;
};

interface Tally { n: number; regression: number; inconclusive: number; cpuWorse: number }
const tally = (): Tally => ({ n: 0, regression: 0, inconclusive: 0, cpuWorse: 0 });
async function study(pairs: () => Promise<[string[], string[]]>): Promise<Tally> {
  const t = tally();
  for (let i = 0; i < COMPARISONS; i++) {
    const [a, b] = await pairs();
    if (a.length < REPS || b.length < REPS) break;
    const c = await compareRuns(a, b, { thresholds: [] });
    const cpu = c.metrics.find((m) => m.metric === 'cpuUsPerRequest');
    t.n++;
    if (c.verdict.status === 'regression') t.regression++;
    if (c.verdict.status === 'inconclusive') t.inconclusive++;
    if (cpu?.assessment === 'worse') t.cpuWorse++;
  }
  return t;
}

const aa = await study(async () => {
  const pool = rnd() < 0.5 ? pools.A : pools.B;
  const both = draw(pool, 2 * REPS);
  return [both.slice(0, REPS), both.slice(REPS)];
});
const ab = await study(async () => [draw(pools.A, REPS), draw(pools.B, REPS)]);
let injectedTag = 0;
const injected = await study(async () => {
  const both = draw(pools.A, 2 * REPS);
  return [both.slice(0, REPS), await scaled(both.slice(REPS), 1.1, String(injectedTag++))];
});

const pct = (t: Tally, k: keyof Tally) => `${k === 'n' ? t.n : `${t[k]}/${t.n} (${((100 * (t[k] as number)) / Math.max(1, t.n)).toFixed(0)}%)`}`;
console.log(`compare power study — real runs of scenarios/ab-lua.yaml, ${DURATION}s measured + 1s warm-up per run, no probes`);
console.log(`pool: ${pools.A.length} A (60 iterations) + ${pools.B.length} B (66 iterations) runs, interleaved, ${elapsed.toFixed(0)} s of runs; comparisons ${REPS} vs ${REPS} repeats; default thresholds (rps -5%, cpuUsPerRequest +5%), alpha 0.05`);
console.log(`CPU µs/request: A median ${median(cpuA).toFixed(1)} (CV ${(100 * cv(cpuA)).toFixed(1)}%), B median ${median(cpuB).toFixed(1)} (CV ${(100 * cv(cpuB)).toFixed(1)}%), B/A ${((median(cpuB) / median(cpuA) - 1) * 100).toFixed(1)}%`);
console.log('');
console.log('| study | comparisons | regression (99) | inconclusive (98) | CPU/req interval wholly worse |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| A/A (false positives) | ${aa.n} | ${pct(aa, 'regression')} | ${pct(aa, 'inconclusive')} | ${pct(aa, 'cpuWorse')} |`);
console.log(`| A vs B, +10% Lua iterations (real) | ${ab.n} | ${pct(ab, 'regression')} | ${pct(ab, 'inconclusive')} | ${pct(ab, 'cpuWorse')} |`);
console.log(`| A vs A×1.10 CPU/req (injected) | ${injected.n} | ${pct(injected, 'regression')} | ${pct(injected, 'inconclusive')} | ${pct(injected, 'cpuWorse')} |`);
await fs.rm(root, { recursive: true, force: true });
