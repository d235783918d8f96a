/**
 * How trustworthy is the verdict of a comparison with the defaults? Runs whole comparisons, each
 * exactly as `flamebench run scenarios/ab-lua.yaml` does (runVariants: A/B pairs interleaved,
 * `repeat: auto` until decided or the budget is spent; the scenario's thresholds, windows and
 * LuaJIT-noise method), interleaving the kinds:
 *   aa     A/A: B is A (60 iterations both)   → a verdict other than pass (exit ≠ 0) is a failure,
 *                                               exit 99 a false positive
 *   ab10   B does 66 iterations (+10% Lua work) → detected when the exit code is 99
 *   ab30   B does 78 iterations (+30%; ab-lua as shipped) → detected when the exit code is 99
 * Prints the table of docs/compare.md ("Power on this machine") and appends one line per
 * comparison (kind, exit code, seconds, pairs, estimate) to the log file as it goes, so a long
 * session can be followed and cut short without losing what was measured.
 * Usage: npx tsx test/bench/compare-power.bench.ts [comparisons per kind=20] [kinds=aa,ab30,ab10] [log=reports/power.log]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../../src/compare/stats.js';
import { runScenario } from '../../src/orchestrator/index.js';
import { runVariants } from '../../src/orchestrator/series.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { RunManifest } from '../../src/runs/types.js';
import type { Scenario } from '../../src/scenario/types.js';

const PER_KIND = Number(process.argv[2] ?? 20);
const KINDS = (process.argv[3] ?? 'aa,ab30,ab10').split(',').filter(Boolean) as Kind[];
const LOG = process.argv[4] ?? 'reports/power.log';
type Kind = 'aa' | 'ab10' | 'ab30';
const ITERATIONS: Record<Kind, number> = { aa: 60, ab10: 66, ab30: 78 };

const shipped = await loadScenario(new URL('../../scenarios/ab-lua.yaml', import.meta.url).pathname);
/** ab-lua as shipped, with variant B's iterations set (A stays at 60). */
function scenarioFor(kind: Kind): Scenario {
  return {
    ...shipped,
    variants: shipped.variants.map((v) =>
      v.name === 'B' ? { ...v, overrides: { ...v.overrides, openresty: { ...v.overrides.openresty, variables: { iterations: ITERATIONS[kind] } } } } : v,
    ),
  };
}

interface Outcome {
  kind: Kind;
  exitCode: number;
  seconds: number;
  pairs: number;
  estimate: number | null;
}
const outcomes: Outcome[] = [];
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-power-'));
await fs.mkdir(path.dirname(path.resolve(LOG)), { recursive: true });
await fs.appendFile(LOG, `# ${new Date().toISOString()} compare power: ${PER_KIND} per kind, kinds ${KINDS.join(',')}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}\n`);
for (let i = 1; i <= PER_KIND; i++) {
  for (const kind of KINDS) {
    const outDir = path.join(root, `${kind}-${i}`);
    const t0 = Date.now();
    let o: Outcome;
    let perRun: string[] = [];
    try {
      const r = await runVariants(scenarioFor(kind), { outDir, quiet: true, run: runScenario, noReport: true });
      const cpu = r.comparisons[0]?.comparison.metrics.find((m) => m.metric === 'cpuUsPerRequest');
      o = { kind, exitCode: r.exitCode, seconds: r.series.seconds, pairs: r.series.rounds, estimate: cpu?.relativeChange ?? null };
      // Every run's CPU µs/request, for the run-to-run spread under the shipped settings.
      perRun = await Promise.all(
        r.runs.filter((x) => x.error === null).map(async (x) => {
          const m = JSON.parse(await fs.readFile(path.join(x.dir, 'run.json'), 'utf8')) as RunManifest;
          return `${x.variant}${x.repeat}:${m.cpu.summary?.workerCpuUsPerRequest?.toFixed(0) ?? 'n/a'}`;
        }),
      );
    } catch (e) {
      o = { kind, exitCode: -1, seconds: (Date.now() - t0) / 1000, pairs: 0, estimate: null };
      console.error(`${kind} #${i} failed: ${(e as Error).message}`);
    }
    outcomes.push(o);
    await fs.appendFile(
      LOG,
      `${new Date().toISOString()} ${kind} #${i} exit=${o.exitCode} seconds=${o.seconds.toFixed(0)} pairs=${o.pairs} cpuChange=${o.estimate === null ? 'n/a' : `${(100 * o.estimate).toFixed(1)}%`} runs=${perRun.join(',')}\n`,
    );
    await fs.rm(outDir, { recursive: true, force: true });
  }
}
await fs.rm(root, { recursive: true, force: true });

const label: Record<Kind, string> = { aa: 'A/A (B = A)', ab10: '+10% Lua work (66 vs 60 iterations)', ab30: '+30% Lua work (78 vs 60, ab-lua)' };
const count = (xs: Outcome[], code: number) => xs.filter((o) => o.exitCode === code).length;
const pct = (k: number, n: number) => `${k}/${n} (${n ? Math.round((100 * k) / n) : 0}%)`;
console.log(`compare power — whole comparisons of scenarios/ab-lua.yaml with its shipped settings (repeat: ${shipped.repeat}, ` +
  `${shipped.load.duration} s windows, luajitNoise ${shipped.openresty.luajitNoise.method}), ${os.cpus().length} cores`);
console.log('');
console.log('| comparison | n | exit 0 pass | exit 99 regression | exit 98 inconclusive | other | machine time per comparison, median (max) | pairs, median |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const kind of KINDS) {
  const xs = outcomes.filter((o) => o.kind === kind);
  const other = xs.length - count(xs, 0) - count(xs, 99) - count(xs, 98);
  const secs = xs.map((o) => o.seconds);
  console.log(
    `| ${label[kind]} | ${xs.length} | ${pct(count(xs, 0), xs.length)} | ${pct(count(xs, 99), xs.length)} | ${pct(count(xs, 98), xs.length)} | ${other} | ` +
      `${xs.length ? `${median(secs).toFixed(0)} s (${Math.max(...secs).toFixed(0)} s)` : '–'} | ${xs.length ? median(xs.map((o) => o.pairs)) : '–'} |`,
  );
}
