/**
 * Steady-state check of a measured window: a number from a window whose throughput or median
 * latency drifted (a warming JIT, a filling cache, a neighbour's load) describes no single state.
 * The first and last thirds of the per-second series are set against each other:
 *   rps: the mean requests/s of each third;  p50: the median of each third's per-second p50s.
 * A window drifts when either moved by more than its bound. The bounds sit above the noise
 * measured here between the thirds of windows that nothing disturbed (12 runs, hello and lua-work,
 * 9 s windows after 2 s warm-up, on the shared 2-core machine: |rps change| median 8.6%, max 17%;
 * |p50 change| median 7%, max 24.5%; none flagged) and below the drifts worth telling (lua-work's
 * p50 went 5 ms → 15 ms: +200%; 4 earlier runs here with 0.5–2 s warm-ups at busier moments: rps −40% to +79%).
 * Only whole seconds count; fewer than 3 of them cannot be judged.
 */
import type { LoadSecond, SteadyState } from '../runs/types.js';

export const STEADY_BOUNDS = { rpsPct: 20, p50Pct: 50 } as const;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const medianOf = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const change = (first: number, last: number) => (first > 0 ? ((last - first) / first) * 100 : last > 0 ? Infinity : 0);
const round1 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : x);

/** `wholeSeconds`: how many leading entries of `series` are complete seconds (the window's length, floored). */
export function assessSteadyState(series: readonly LoadSecond[], wholeSeconds: number, bounds = STEADY_BOUNDS): SteadyState {
  // A window measured as 8.99 s has 9 whole seconds: timers end a little early.
  const secs = series.slice(0, Math.max(0, Math.floor(wholeSeconds + 0.05)));
  const base = { bounds: { ...bounds }, seconds: secs.length };
  if (secs.length < 3) return { ...base, status: 'unknown', rpsChangePct: null, p50ChangePct: null, message: `too short to judge (${secs.length} whole second(s); 3 needed)` };
  const third = Math.floor(secs.length / 3);
  const first = secs.slice(0, third);
  const last = secs.slice(secs.length - third);
  const rpsChangePct = round1(change(mean(first.map((s) => s.requests)), mean(last.map((s) => s.requests))));
  const p50ChangePct = round1(change(medianOf(first.map((s) => s.p50Us)), medianOf(last.map((s) => s.p50Us))));
  const drifts: string[] = [];
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x}%`;
  if (Math.abs(rpsChangePct) > bounds.rpsPct) drifts.push(`rps ${signed(rpsChangePct)}`);
  if (Math.abs(p50ChangePct) > bounds.p50Pct) drifts.push(`p50 ${signed(p50ChangePct)}`);
  if (drifts.length === 0) {
    return { ...base, status: 'steady', rpsChangePct, p50ChangePct, message: `steady: last vs first third rps ${signed(rpsChangePct)}, p50 ${signed(p50ChangePct)} (bounds ±${bounds.rpsPct}%, ±${bounds.p50Pct}%)` };
  }
  return {
    ...base,
    status: 'drifting',
    rpsChangePct,
    p50ChangePct,
    message: `not a steady state: ${drifts.join(', ')} from the first to the last third of the measured window (bounds ±${bounds.rpsPct}% rps, ±${bounds.p50Pct}% p50); its averages describe no single state — lengthen the warm-up`,
  };
}
