/**
 * The value formatters of every output (terminal, report, compare's markdown/HTML/JUnit), one per
 * kind of value as in speedscope's value-formatters. Hand-rolled rather than toLocaleString, so
 * output does not depend on the machine's locale or ICU build and the same input renders
 * byte-identical.
 */

/** 1234567.8 → "1,234,568"; keeps `digits` decimals; "—" for a non-finite value. */
export function groupThousands(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '—';
  const fixed = Math.abs(n).toFixed(digits);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (frac !== undefined ? `.${frac}` : '');
}

/** Significant-ish decimals: 3 significant digits below 100, none above. */
function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 100) return groupThousands(n, 0);
  if (a >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Latency/time given in microseconds: "812 µs", "1.23 ms", "2.5 s". */
export function formatUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '—';
  const a = Math.abs(us);
  // three significant digits, no trailing zeros: a limit written "5ms" reads back as "5 ms"
  if (a < 1000) return `${significant(us, 3)} µs`;
  if (a < 1_000_000) return `${significant(us / 1000, 3)} ms`;
  return `${significant(us / 1_000_000, 3)} s`;
}

/** Short axis label for µs values (no space, fewer decimals). */
export function formatUsShort(us: number): string {
  const a = Math.abs(us);
  const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (a < 1000) return `${trim(us.toFixed(a < 10 ? 1 : 0))}µs`;
  if (a < 1_000_000) return `${trim((us / 1000).toFixed(a < 10_000 ? 2 : 1))}ms`;
  return `${trim((us / 1_000_000).toFixed(2))}s`;
}

export function formatRps(rps: number | null | undefined): string {
  if (rps === null || rps === undefined || !Number.isFinite(rps)) return '—';
  return `${groupThousands(rps, rps < 100 ? 1 : 0)} req/s`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return groupThousands(n, Number.isInteger(n) ? 0 : 1);
}

/** A value already in percent (47.25 → "47.3%"). */
export function formatPct(p: number | null | undefined, digits = 1): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${p.toFixed(digits)}%`;
}

/** part/whole as a percentage; "—" when whole is 0. */
export function formatShare(part: number, whole: number, digits = 2): string {
  return whole > 0 ? formatPct((100 * part) / whole, digits) : '—';
}

export function formatBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${compact(v)} ${units[i]}`;
}

export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${compact(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** ISO time → "2024-05-01 12:00:03 UTC" (UTC, so the report does not depend on the reader's zone). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Percentile label in the HdrHistogram style: 50, 90, 99, 99.9, 99.99. */
export function formatPercentile(p: number): string {
  if (p >= 100) return '100';
  const s = p.toFixed(6).replace(/\.?0+$/, '');
  return s;
}

/** A number with `digits` significant digits, trailing zeros dropped; grouped from 1000 up. */
function significant(n: number, digits: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return groupThousands(n, 0);
  return String(Number(n.toPrecision(digits)));
}

/** A fraction as a signed percentage: 0.301 → "+30.1%", −0.05 → "−5.0%" (a true minus sign). */
export function formatSignedPct(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)}%`;
}

/** Coverage of an interval with the digits it needs: 90%, 99.1%, 99.967% (never a rounded "100%"). */
export function formatConfidence(c: number): string {
  // 1 − 0.9 is 0.0999…98 in floating point: round it first, or 90% would print as "90.0%"
  const tail = Number(((1 - c) * 100).toPrecision(12));
  const digits = Math.min(6, Math.max(0, Math.ceil(-Math.log10(Math.max(1e-9, tail))) + 1));
  return `${(c * 100).toFixed(digits)}%`;
}

/** A p-value: three decimals, "<0.001" below that. */
export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** A metric's value in its catalogue unit (src/metrics): µs as µs/ms/s, req/s and counts grouped, ratios as %. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'µs':
      return formatUs(v);
    case 'req/s':
      return groupThousands(v, Math.abs(v) >= 100 ? 0 : 1);
    case '%':
      return formatPct(v, 1);
    case 'ratio':
      return `${(v * 100).toFixed(v === 0 ? 0 : 3)}%`;
    case '':
      return Number.isInteger(v) ? groupThousands(v, 0) : significant(v, 4);
    default:
      return significant(v, 4);
  }
}
