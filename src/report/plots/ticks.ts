/** "Nice" axis ticks (1, 2, 5 × 10^k steps), as most plotting libraries choose them. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !(target > 0)) return 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const m = r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10;
  return m * mag;
}

export interface NiceScale {
  min: number;
  max: number;
  ticks: number[];
}

/** Extends [min, max] outward to whole steps and lists the ticks. A flat range gets a unit span. */
export function niceScale(min: number, max: number, target = 5): NiceScale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, ticks: [0, 1] };
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min));
  const step = niceStep(max - min, target);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Index-based so float error never adds or drops a tick.
  const n = Math.round((hi - lo) / step);
  for (let i = 0; i <= n; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  return { min: lo, max: hi, ticks };
}
