import type { LoadResult, SaturationRecord } from '../runs/types.js';

import { groupThousands } from '../util/format.js';

const int = (x: number): string => groupThousands(x, 0);
const num1 = (x: number): string => groupThousands(x, 1);

function bytesPerSec(x: number): string {
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let v = x;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${num1(v)} ${units[i]}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

/** Fixed-width summary of a load result for the end of a run. Deterministic: no clock, no locale surprises. */
export function formatLoadSummary(r: LoadResult): string {
  const s = r.settings;
  const how =
    s.mode === 'rate'
      ? `rate ${int(s.rate ?? 0)}/s over ${s.connections} connections`
      : `${s.mode}: ${s.connections} connections, pipelining ${s.pipelining}, ${s.threads === 0 ? 'in-process' : `${s.threads} threads`}`;
  const l = r.latencyUs;
  const codes = Object.entries(r.statusCodes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}: ${int(n)}`)
    .join(', ');
  const lines = [
    `load  ${r.url}  (${how}; ${num1(r.durationMs / 1000)} s measured after ${s.warmup} s warm-up)`,
    ...table([
      ['requests', int(r.requests), 'rps', num1(r.rps)],
      ['errors', int(r.errors), 'throughput', bytesPerSec(r.throughputBytesPerSec)],
      ['connection errors', int(r.connectionErrors), 'closed w/o response', int(r.closedWithoutResponse ?? 0)],
      ['timeouts', int(r.timeouts), 'non-2xx', int(r.non2xx)],
      ['bytes', int(r.bytes), 'discarded at close', int(r.discardedAtClose ?? 0)],
    ]).map((x) => `  ${x}`),
    `  status codes  ${codes || '—'}`,
    `  latency (µs${r.correctedForCoordinatedOmission ? ', from intended send time' : ''}):`,
    ...table([
      ['min', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean', 'stdev'],
      [int(l.min), int(l.p50), int(l.p90), int(l.p99), int(l.p999), int(l.max), num1(l.mean), num1(l.stdev)],
    ]).map((x) => `    ${x}`),
  ];
  return lines.join('\n');
}

export function formatSaturation(rec: SaturationRecord): string {
  const rows = [
    ['conns', 'pipe', 'threads', 'rps', 'worker %', 'loader %', 'p99 µs', 'errors'],
    ...rec.steps.map((s) => [
      String(s.connections),
      String(s.pipelining),
      String(s.threads),
      int(s.rps),
      num1(s.workerCpuPct),
      num1(s.loaderCpuPct),
      int(s.p99Us),
      int(s.errors),
    ]),
  ];
  const c = rec.chosen;
  return [
    `saturate (target ${rec.targetCpuPct}% worker CPU):`,
    ...table(rows).map((x) => `  ${x}`),
    `  chosen: ${c.connections} connections, pipelining ${c.pipelining}, threads ${c.threads} — ${rec.reason}`,
  ].join('\n');
}
