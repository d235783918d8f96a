import { describe, expect, it } from 'vitest';
import { latencyInconsistency, littleCheck } from '../../src/load/latency-check.js';
import type { LoadResult } from '../../src/runs/types.js';

type Checked = Parameters<typeof latencyInconsistency>[0];

/** 64 × 16 = 1024 in flight; 100k req/s × 10.24 ms mean = 1024: consistent. */
function result(over: Partial<Checked> & { meanUs?: number } = {}): Checked {
  const { meanUs = 10_240, ...rest } = over;
  return {
    settings: { mode: 'fixed' },
    requests: 1_000_000,
    rps: 100_000,
    durationMs: 10_000,
    latencyUs: { min: 1, mean: meanUs, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } as LoadResult['latencyUs'],
    errors: 0,
    closedWithoutResponse: 0,
    discardedAtClose: 0,
    correctedForCoordinatedOmission: false,
    ...rest,
  };
}

describe("Little's law self-check of closed-loop latency", () => {
  it('is silent when latency × throughput equals connections × pipelining (within 15%)', () => {
    expect(latencyInconsistency(result(), 1024)).toBeNull();
    expect(latencyInconsistency(result({ meanUs: 10_240 * 1.14 }), 1024)).toBeNull();
    expect(latencyInconsistency(result({ meanUs: 10_240 * 0.86 }), 1024)).toBeNull();
    expect(littleCheck(result(), 1024)?.ratio).toBeCloseTo(1, 6);
  });

  it('warns when latency implies more requests in flight than the loader can have (the reconnect defect: 45 ms for 5.7 ms)', () => {
    const w = latencyInconsistency(result({ meanUs: 45_000, rps: 180_000 }), 1024);
    expect(w).toMatch(/^latency measurement inconsistent: /);
    expect(w).toContain('8100 requests in flight');
    expect(w).toContain('the loader keeps 1024');
    expect(w).toContain('+691%');
    expect(w).toMatch(/over-measured/);
    // Over-measurement is reported even when requests also left the loop.
    expect(latencyInconsistency(result({ meanUs: 45_000, errors: 3, discardedAtClose: 15 }), 1024)).not.toBeNull();
  });

  it('allows max latency / window length more at the edges (a stall at the window start or end), and no more', () => {
    // A 1 s stall in a 10 s window: up to 10% more (or less) in flight from the edges alone.
    const stalled = (meanUs: number): Checked => {
      const r = result({ meanUs });
      return { ...r, latencyUs: { ...r.latencyUs, max: 1_000_000 } };
    };
    expect(latencyInconsistency(stalled(10_240 * 1.24), 1024)).toBeNull();
    expect(latencyInconsistency(stalled(10_240 * 0.76), 1024)).toBeNull();
    expect(latencyInconsistency(stalled(10_240 * 1.26), 1024)).toMatch(/over-measured/);
    expect(latencyInconsistency(stalled(10_240 * 0.74), 1024)).toMatch(/under-measured/);
  });

  it('warns when latency is too low for a clean closed loop, but not when requests left the loop unanswered', () => {
    expect(latencyInconsistency(result({ meanUs: 5_000 }), 1024)).toMatch(/-51%.*under-measured/);
    expect(latencyInconsistency(result({ meanUs: 5_000, discardedAtClose: 100 }), 1024)).toBeNull();
    expect(latencyInconsistency(result({ meanUs: 5_000, errors: 1 }), 1024)).toBeNull();
  });

  it('does not apply to open-loop (rate) runs, empty windows, or windows too short for the edges to cancel', () => {
    expect(latencyInconsistency(result({ meanUs: 1_000_000, settings: { mode: 'rate' } }), 1024)).toBeNull();
    expect(latencyInconsistency(result({ meanUs: 1_000_000, correctedForCoordinatedOmission: true }), 1024)).toBeNull();
    expect(latencyInconsistency(result({ requests: 0, rps: 0 }), 1024)).toBeNull();
    expect(littleCheck(result({ requests: 20 * 1024 - 1 }), 1024)).toBeNull();
    expect(littleCheck(result({ requests: 20 * 1024 }), 1024)).not.toBeNull();
    expect(latencyInconsistency(result(), 0)).toBeNull();
  });

  it('applies in saturate mode (the window runs closed-loop at the chosen level)', () => {
    expect(latencyInconsistency(result({ meanUs: 45_000, settings: { mode: 'saturate' } }), 1024)).not.toBeNull();
  });
});
