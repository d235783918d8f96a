/**
 * The friendly value forms the YAML accepts (durations, latencies, CPU lists), turned into the
 * numbers Scenario holds. The schema has already checked the shapes; these only convert.
 */

const TIME_RE = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)?\s*$/;
const MICROS_PER: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };

/** A time with an optional unit → microseconds; `bareUnit` says what a unitless value means. */
function toMicros(v: number | string, bareUnit: 'us' | 's'): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v * MICROS_PER[bareUnit]! : undefined;
  const m = TIME_RE.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * MICROS_PER[m[2] ?? bareUnit]!;
}

/** Duration → seconds. Numbers are seconds; strings may carry us/ms/s/m/h ("10s", "500ms"). */
export function parseDuration(v: number | string): number | undefined {
  const us = toMicros(v, 's');
  return us === undefined ? undefined : round(us / 1e6);
}

/** Latency → microseconds. Numbers are µs; strings may carry us/µs/ms/s ("5ms", "800us"). */
export function parseMicros(v: number | string): number | undefined {
  return toMicros(v, 'us');
}

/** "auto", [0, 1] or "0-3,6" → 'auto' | unique CPU numbers in the order written (workers are pinned round robin in that order); undefined when a range is backwards. */
export function parseCpus(v: string | number[]): 'auto' | number[] | undefined {
  if (Array.isArray(v)) return v;
  const s = v.trim();
  if (s === 'auto') return 'auto';
  const out: number[] = [];
  for (const part of s.split(',')) {
    const [a, b] = part.trim().split('-').map(Number) as [number, number | undefined];
    const hi = b ?? a;
    if (hi < a) return undefined;
    for (let c = a; c <= hi; c++) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Avoids 0.1 + 0.2 style noise in converted values (500ms → 0.5, not 0.49999…). */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
