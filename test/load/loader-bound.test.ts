import { describe, expect, it } from 'vitest';
import { detectLoaderBound } from '../../src/load/index.js';

describe('detectLoaderBound', () => {
  const cases: Array<{ name: string; loaderPct: number; cpus: number; workerPct: number; threads?: number; bound: boolean }> = [
    { name: 'loader at 98% of 1 CPU, workers at 47%', loaderPct: 98, cpus: 1, workerPct: 47, bound: true },
    { name: 'loader exactly at 90%', loaderPct: 90, cpus: 1, workerPct: 60, bound: true },
    { name: 'loader at 89%', loaderPct: 89, cpus: 1, workerPct: 60, bound: false },
    { name: 'workers at target although the loader is busy', loaderPct: 99, cpus: 1, workerPct: 95, bound: false },
    { name: 'loader at 100% of 2 CPUs is half its limit', loaderPct: 100, cpus: 2, workerPct: 50, bound: false },
    { name: 'loader at 190% of 2 CPUs', loaderPct: 190, cpus: 2, workerPct: 50, bound: true },
    { name: 'in-process loader on 4 CPUs can only use one', loaderPct: 97, cpus: 4, workerPct: 40, threads: 0, bound: true },
    { name: '2 threads on 4 CPUs: limit 200%', loaderPct: 150, cpus: 4, workerPct: 40, threads: 2, bound: false },
    { name: 'unpinned (0 CPUs) counts as one', loaderPct: 95, cpus: 0, workerPct: 40, bound: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = detectLoaderBound({
        loaderPct: c.loaderPct,
        loaderCpuCount: c.cpus,
        workerPct: c.workerPct,
        targetPct: 95,
        ...(c.threads !== undefined ? { loaderThreads: c.threads } : {}),
      });
      expect(w !== null).toBe(c.bound);
      if (w) {
        expect(w.loaderPct).toBe(c.loaderPct);
        expect(w.workerPct).toBe(c.workerPct);
        expect(w.message).toContain(`${c.loaderPct}%`);
        expect(w.message).toContain(`${c.workerPct}%`);
        expect(w.message).toContain(`${w.loaderLimitPct}%`);
        expect(w.hint).toMatch(/pipelining/);
        expect(w.hint).toMatch(/saturate/);
        expect(w.hint).toMatch(/wrk/);
      }
    });
  }
});

describe('detectLoaderBound advice in saturate mode', () => {
  it('points at the tuner limits instead of suggesting the mode it already ran in', () => {
    const w = detectLoaderBound({ loaderPct: 99, loaderCpuCount: 1, workerPct: 80, targetPct: 95, mode: 'saturate' });
    expect(w?.hint).toMatch(/maxPipelining/);
    expect(w?.hint).not.toMatch(/use load\.mode: saturate/);
  });
});
