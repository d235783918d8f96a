/**
 * Number formatting for the report. Hand-rolled rather than toLocaleString so the output does not
 * depend on the machine's locale (the report must be byte-identical for the same run directory).
 */

import { groupThousands } from '../../util/format.js';

export { groupThousands };

/** Significant-ish decimals: 3 significant digits below 100, none above. */
function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 100) return groupThousands(n, 0);
  if (a >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Latency/time given in microseconds: "812 µs", "1.23 ms", "2.50 s". */
export function formatUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '—';
  const a = Math.abs(us);
  if (a < 1000) return `${a >= 100 ? Math.round(us) : compact(us)} µs`;
  if (a < 1_000_000) return `${compact(us / 1000)} ms`;
  return `${compact(us / 1_000_000)} s`;
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
