import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { CpuSample } from '../../src/runs/types.js';
import { snapshotCpu, startCpuSampler, summarizeCpu } from '../../src/nginx/index.js';
import { processCpuMicros, processCpuMicrosPrecise } from '../../src/util/proc.js';

const sample = (phase: CpuSample['phase'], workers: number[], loader = 0, probes = 0): CpuSample => ({ t: 0, phase, workers, loader, probes });

describe('summarizeCpu', () => {
  it('averages the measured window only, per worker and overall', () => {
    const s = summarizeCpu(
      [sample('warmup', [100, 100], 100), sample('measure', [80, 40], 50, 10), sample('measure', [90, 60], 70, 20), sample('after', [0, 0])],
      { requests: 1000, workerCpuUs: 250_000 },
    );
    expect(s).toEqual({
      workerPctMean: 67.5,
      workerPctPerWorker: [85, 50],
      loaderPctMean: 60,
      probesPctMean: 15,
      workerCpuUs: 250_000,
      workerCpuUsPerRequest: 250,
    });
  });

  it('integrates the samples when no exact window delta is given', () => {
    const s = summarizeCpu([sample('measure', [50]), sample('measure', [100])], { requests: 0, intervalMs: 1000 });
    expect(s?.workerCpuUs).toBe(1_500_000);
    expect(s?.workerCpuUsPerRequest).toBeNull();
  });

  it('is null when nothing was measured', () => {
    expect(summarizeCpu([sample('warmup', [10])], { requests: 5 })).toBeNull();
  });
});

describe('CPU readings from /proc', () => {
  it('sees a busy process busier than an idle one', async () => {
    const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 5000; while (Date.now() < end) {}'], { stdio: 'ignore' });
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
    try {
      const pids = [busy.pid as number, idle.pid as number];
      const sampler = startCpuSampler(
        { workers: () => pids, loader: () => [busy.pid as number], probes: () => [idle.pid as number] },
        { intervalMs: 250, phase: () => 'measure' },
      );
      const before = snapshotCpu([busy.pid as number]);
      await sleep(1600);
      const after = snapshotCpu([busy.pid as number]);
      const samples = sampler.stop();
      expect(sampler.stop()).toEqual(samples);
      expect(samples.length).toBeGreaterThanOrEqual(3);
      const s = summarizeCpu(samples, { requests: 1, workerCpuUs: after - before });
      // Shared, noisy machine: no absolute levels, only what holds under any contention.
      expect(s?.loaderPctMean).toBeGreaterThan(0);
      expect(s?.workerPctPerWorker[0]).toBeGreaterThan(s?.workerPctPerWorker[1] ?? Infinity);
      expect(s?.probesPctMean).toBeLessThan(s?.loaderPctMean ?? 0);
      expect(after - before).toBeGreaterThan(0);
      // Nanosecond and tick readings agree to within a few ticks.
      const precise = processCpuMicrosPrecise(busy.pid as number) ?? 0;
      const ticks = processCpuMicros(busy.pid as number) ?? 0;
      expect(Math.abs(precise - ticks)).toBeLessThan(100_000);
    } finally {
      busy.kill('SIGKILL');
      idle.kill('SIGKILL');
    }
  });

  it('reads a gone process as null and counts it as 0', () => {
    expect(processCpuMicros(2 ** 22 + 1)).toBeNull();
    expect(processCpuMicrosPrecise(2 ** 22 + 1)).toBeNull();
    expect(snapshotCpu([2 ** 22 + 1])).toBe(0);
  });
});
