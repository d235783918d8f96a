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

/** Disagreement above this share (plus the edge allowance below) is reported. */
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
  'requests' | 'rps' | 'durationMs' | 'latencyUs' | 'errors' | 'closedWithoutResponse' | 'discardedAtClose' | 'correctedForCoordinatedOmission'
> & { settings: Pick<LoadResult['settings'], 'mode'> };

/**
 * How far the window's edges alone can move the ratio. The latencies summed are those of the
 * requests answered in the window, so
 *   Σ latency = ∫ in-flight dt over the window + (the part before the window of the requests
 *               already in flight at its start) − (the part inside it of those still in flight at its end).
 * The first term is at most inFlightBound × window; each request's part before the window is at
 * most its latency, so the second is at most inFlightBound × max latency: the ratio can exceed 1
 * by max latency / window length and no more. On a busy machine a stall (nginx or the loader
 * descheduled for a few hundred ms) puts that much latency on every request in flight: at a
 * window edge it moves the ratio by up to stall / window (1.28 measured for a 2 s window). The
 * end edge is the mirror image but its requests are not in the histogram, so the same allowance
 * is used there (not a proof: a stall straddling only the end can go unseen in max latency).
 */
export function edgeAllowance(r: Pick<LoadResult, 'durationMs' | 'latencyUs'>): number {
  return r.durationMs > 0 ? r.latencyUs.max / (r.durationMs * 1000) : 0;
}

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
  const tolerance = LITTLE_TOLERANCE + edgeAllowance(r);
  const tooHigh = c.ratio > 1 + tolerance;
  const tooLow = !leftTheLoop && c.ratio < 1 - tolerance;
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
