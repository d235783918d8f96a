import { describe, expect, it } from 'vitest';
import { SaturationTuner } from '../../src/load/saturate.js';
import type { SaturateSpec, } from '../../src/scenario/types.js';
import type { SaturationStep } from '../../src/runs/types.js';

const spec: SaturateSpec = { targetCpuPct: 95, maxConnections: 128, maxPipelining: 16, maxThreads: 4, stepSeconds: 2, maxLatencyGrowth: 4 };

/** Runs the tuner against a model of the system: f(level) → measured step. */
function drive(model: (c: number, p: number, w: number) => Omit<SaturationStep, 'connections' | 'pipelining' | 'threads'>, maxThreads = 1, s = spec) {
  const t = new SaturationTuner({ connections: 16, pipelining: 1, threads: 0 }, s, s.stepSeconds, maxThreads);
  for (let l = t.next(), n = 0; l && n < 50; l = t.next(), n++) t.record({ ...l, ...model(l.connections, l.pipelining, l.threads) });
  return t.result();
}

describe('SaturationTuner', () => {
  it('stops as soon as the workers reach the target', () => {
    const r = drive((c) => ({ rps: c * 1000, workerCpuPct: c >= 64 ? 96 : c, loaderCpuPct: 50, p99Us: 500, errors: 0 }));
    expect(r.steps.map((s) => s.connections)).toEqual([16, 32, 64]);
    expect(r.chosen).toEqual({ connections: 64, pipelining: 1, threads: 0 });
    expect(r.reason).toMatch(/reached 96% CPU/);
  });

  it('moves on to pipelining when more connections stop paying (a loader-bound loader)', () => {
    const r = drive((c, p) => ({ rps: 18000 * Math.min(p, 3), workerCpuPct: 47 * Math.min(p, 3) * 0.6, loaderCpuPct: 99, p99Us: 800, errors: 0 }));
    const seq = r.steps.map((s) => `${s.connections}/${s.pipelining}`);
    expect(seq.slice(0, 3)).toEqual(['16/1', '32/1', '16/2']);
    expect(r.chosen.pipelining).toBeGreaterThanOrEqual(2);
    expect(r.reason).toMatch(/limit|no longer/);
  });

  it('backs off to the step before when p99 explodes without a throughput gain', () => {
    const r = drive((c) => ({ rps: Math.min(c, 32) * 100, workerCpuPct: Math.min(c, 32) / 2, loaderCpuPct: 30, p99Us: c >= 64 ? 10_000 : 400, errors: 0 }));
    expect(r.chosen.connections).toBe(32);
    expect(r.reason).toMatch(/p99 grew/);
  });

  it('measures a level again after one noisy step instead of stopping', () => {
    let noisy = 1;
    const r = drive((c) => {
      const spike = c === 64 && noisy-- > 0;
      return { rps: spike ? 3000 : c * 100, workerCpuPct: c >= 128 ? 96 : c / 2, loaderCpuPct: 30, p99Us: spike ? 50_000 : 400, errors: 0 };
    });
    expect(r.steps.map((s) => s.connections)).toEqual([16, 32, 64, 64, 128]);
    expect(r.chosen.connections).toBe(128);
    expect(r.reason).toMatch(/reached/);
  });

  it('accepts latency that grows with throughput (more in flight)', () => {
    const r = drive((c) => ({ rps: c * 100, workerCpuPct: c >= 128 ? 96 : c / 2, loaderCpuPct: 30, p99Us: c * 100, errors: 0 }));
    expect(r.chosen.connections).toBe(128);
    expect(r.reason).toMatch(/reached/);
  });

  it('backs off when errors appear', () => {
    const r = drive((c) => ({ rps: c * 100, workerCpuPct: c / 2, loaderCpuPct: 30, p99Us: 400, errors: c >= 64 ? 500 : 0 }));
    expect(r.chosen.connections).toBe(32);
    expect(r.reason).toMatch(/errors/);
  });

  it('uses loader threads only when the loader has CPUs for them', () => {
    const flat = () => ({ rps: 1000, workerCpuPct: 40, loaderCpuPct: 99, p99Us: 400, errors: 0 });
    expect(drive(flat, 1).steps.some((s) => s.threads > 0)).toBe(false);
    const threads = drive((c, p, w) => ({ rps: 1000 * Math.max(1, w), workerCpuPct: 30 * Math.max(1, w), loaderCpuPct: 99, p99Us: 400, errors: 0 }), 3);
    expect(threads.steps.map((s) => s.threads).filter((w) => w > 0)).toEqual([2, 3]);
    expect(threads.chosen.threads).toBe(3);
  });
});
