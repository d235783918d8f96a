import type { LoadResult } from '../runs/types.js';

/**
 * Little's law as a self-check of the latency measurement. A closed-loop loader keeps exactly
 * `connections × pipelining` requests outstanding, so over the window
 *   mean latency × throughput = mean requests in flight ≈ connections × pipelining.
 * A measured latency that implies more requests in flight than the loader can have is wrong (a
 * request timed from someone else's send time, as autocannon's reconnect did). Fewer is wrong
 * too, unless requests left the loop without an answer (errors, timeouts, requests discarded
 * at a server-announced close): then only the upper side is checked.
 *
 * Open-loop (rate) runs are not checked: their in-flight count follows the server, not the loader.
 */

/** Disagreement above this share is reported. */
export const LITTLE_TOLERANCE = 0.15;
/**
 * Requests in flight at the window's edges are counted with latency partly outside it; the
 * effects cancel on average but not in a short window. Each connection slot must have cycled
 * this many times for the check to be meaningful.
 */
export const LITTLE_MIN_CYCLES = 20;

export interface LittleCheck {
  /** Requests the loader keeps in flight (connections × pipelining over all loader units). */
  inFlightBound: number;
  /** mean latency × throughput. */
  inFlightFromLatency: number;
  ratio: number;
}

type CheckedFields = Pick<
  LoadResult,
  'requests' | 'rps' | 'latencyUs' | 'errors' | 'closedWithoutResponse' | 'discardedAtClose' | 'correctedForCoordinatedOmission'
> & { settings: Pick<LoadResult['settings'], 'mode'> };

/** The numbers of the check, or null when it does not apply (open loop, no requests, too short a window). */
export function littleCheck(r: CheckedFields, inFlightBound: number): LittleCheck | null {
  if (r.settings.mode === 'rate' || r.correctedForCoordinatedOmission) return null;
  if (inFlightBound <= 0 || r.requests < LITTLE_MIN_CYCLES * inFlightBound || r.rps <= 0) return null;
  const inFlightFromLatency = (r.latencyUs.mean / 1e6) * r.rps;
  return { inFlightBound, inFlightFromLatency, ratio: inFlightFromLatency / inFlightBound };
}

/** A warning for run.json, the terminal and the report when latency and throughput disagree; else null. */
export function latencyInconsistency(r: CheckedFields, inFlightBound: number): string | null {
  const c = littleCheck(r, inFlightBound);
  if (!c) return null;
  const leftTheLoop = r.errors > 0 || (r.discardedAtClose ?? 0) > 0;
  const tooHigh = c.ratio > 1 + LITTLE_TOLERANCE;
  const tooLow = !leftTheLoop && c.ratio < 1 - LITTLE_TOLERANCE;
  if (!tooHigh && !tooLow) return null;
  const pct = Math.round((c.ratio - 1) * 100);
  return (
    `latency measurement inconsistent: mean latency ${fmt(r.latencyUs.mean / 1000)} ms × ${fmt(r.rps)} req/s ` +
    `means ${fmt(c.inFlightFromLatency)} requests in flight, but the loader keeps ${c.inFlightBound} ` +
    `(connections × pipelining; Little's law): ${pct > 0 ? '+' : ''}${pct}%. ` +
    (tooHigh
      ? 'Latencies are over-measured (timed from the wrong send time); do not trust the latency figures of this run.'
      : 'Latencies are under-measured, or the loader left requests unsent; do not trust the latency figures of this run.')
  );
}

const fmt = (x: number): string => (x >= 100 ? Math.round(x).toString() : (Math.round(x * 100) / 100).toString());
