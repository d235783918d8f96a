/**
 * Power of the shipped decision procedure for shifts that whole real comparisons would take hours
 * to measure: real run-to-run noise, injected shift. Reads the A/A lines of a log written by
 * compare-power.bench.ts (every run's CPU µs/request, in A/B pairs of one round, so the drift the
 * two sides share stays in), resamples rounds with replacement, multiplies the candidate by
 * (1 + shift), and runs the same sequential procedure as `repeat: auto` (src/orchestrator/series.ts: first
 * look after minRepeats pairs, O'Brien–Fleming look levels, the decision rule of
 * src/compare/decide.ts, the last look when maxRepeats or the time budget is reached, at the
 * seconds per pair the log shows).
 * `npm run bench` runs it after compare-power.bench.ts, on the log that one wrote.
 * Usage: npx tsx test/bench/compare-simulated-power.bench.ts [power.log=reports/power.log] [simulations=2000] [limits %=shipped,5] [shifts %=0,7,10,25]
 */
import { existsSync, readFileSync } from 'node:fs';
import { changeInterval, decide } from '../../src/compare/decide.js';
import { lookLevel } from '../../src/compare/sequential.js';
import { median, mulberry32 } from '../../src/compare/stats.js';
import { loadScenario } from '../../src/scenario/index.js';

const LOG = process.argv[2] ?? 'reports/power.log';
const SIMS = Number(process.argv[3] ?? 2000);
const LIMITS_ARG = process.argv[4]?.split(',').map(Number);
const SHIFTS = (process.argv[5] ?? '0,7,10,25').split(',').map((x) => Number(x) / 100);
if (!existsSync(LOG)) {
  console.log(`no ${LOG}: run test/bench/compare-power.bench.ts first (it writes the runs this simulation resamples)`);
  process.exit(0);
}

const shipped = await loadScenario(new URL('../../scenarios/ab-lua.yaml', import.meta.url).pathname);
const { minRepeats, maxRepeats, maxSeconds } = shipped;
const shippedLimit = shipped.thresholds.find((t) => t.metric === 'cpuUsPerRequest')?.maxIncreasePct ?? 5;

/** Rounds of the A/A comparisons: [A, B] CPU µs/request per round; seconds per pair. */
const rounds: [number, number][] = [];
const secondsPerPair: number[] = [];
for (const line of readFileSync(LOG, 'utf8').split('\n')) {
  const m = / aa #\d+ exit=\S+ seconds=(\d+) pairs=(\d+) .* runs=(\S+)/.exec(line);
  if (!m) continue;
  secondsPerPair.push(Number(m[1]) / Math.max(1, Number(m[2])));
  const byRound = new Map<string, { A?: number; B?: number }>();
  for (const item of m[3]!.split(',')) {
    const r = /^([AB])(\d+):(\d+(?:\.\d+)?)$/.exec(item);
    if (!r) continue;
    const slot = byRound.get(r[2]!) ?? {};
    slot[r[1] as 'A' | 'B'] = Number(r[3]);
    byRound.set(r[2]!, slot);
  }
  for (const v of byRound.values()) if (v.A && v.B) rounds.push([v.A, v.B]);
}
if (rounds.length < 10) throw new Error(`only ${rounds.length} A/A rounds in ${LOG}`);
const pairSeconds = median(secondsPerPair);

type Exit = 0 | 98 | 99;
function simulate(shift: number, limitPct: number, rnd: () => number): { exit: Exit; pairs: number } {
  const a: number[] = [];
  const b: number[] = [];
  const looks: number[] = [];
  for (let rep = 1; rep <= maxRepeats; rep++) {
    // A random round, sides swapped half the time: A/A rounds carry no direction.
    const [x, y] = rounds[Math.floor(rnd() * rounds.length)]!;
    const swap = rnd() < 0.5;
    a.push(swap ? y : x);
    b.push((swap ? x : y) * (1 + shift));
    if (rep < Math.max(2, minRepeats)) continue;
    const elapsed = rep * pairSeconds;
    const final = rep >= maxRepeats || elapsed + elapsed / rep > maxSeconds;
    looks.push(rep);
    const level = lookLevel({ pairs: looks, maxRepeats, final }, 0.05);
    const ci = changeInterval(a, b, level);
    if (!ci.ok) continue;
    const { decision } = decide(ci.interval, 'increase', limitPct, final);
    if (decision === 'regression') return { exit: 99, pairs: rep };
    if (decision === 'pass' || decision === 'improvement') return { exit: 0, pairs: rep };
    if (final) return { exit: 98, pairs: rep };
  }
  return { exit: 98, pairs: maxRepeats };
}

const logs = (xs: number[]) => xs.map(Math.log);
const sd = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const all = rounds.flat();
console.log(`compare power, injected shifts on real noise — ${rounds.length} A/A rounds from ${LOG} (run-to-run SD of log CPU/req ${(100 * sd(logs(all))).toFixed(1)}%), ` +
  `${pairSeconds.toFixed(1)} s per pair; repeat auto: minRepeats ${minRepeats}, maxRepeats ${maxRepeats}, maxSeconds ${maxSeconds}; ${SIMS} simulated comparisons per cell`);
console.log('');
console.log('| CPU/req limit | true change | exit 0 pass | exit 99 regression | exit 98 inconclusive | machine time, median |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const limit of LIMITS_ARG ?? [shippedLimit, 5]) {
  for (const shift of SHIFTS) {
    const rnd = mulberry32(1234 + Math.round(shift * 1000) + limit);
    const out = Array.from({ length: SIMS }, () => simulate(shift, limit, rnd));
    const share = (e: Exit) => `${((100 * out.filter((o) => o.exit === e).length) / SIMS).toFixed(1)}%`;
    console.log(`| rise <= ${limit}% | +${(100 * shift).toFixed(0)}% | ${share(0)} | ${share(99)} | ${share(98)} | ${(median(out.map((o) => o.pairs)) * pairSeconds).toFixed(0)} s |`);
  }
}
