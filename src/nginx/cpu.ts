import type { CpuSample, CpuSummary } from '../runs/types.js';
import { processCpuMicros, processCpuMicrosPrecise } from '../util/proc.js';

export interface CpuSources {
  /** nginx worker pids, in the order CpuSample.workers follows. */
  workers: () => number[];
  /** Loader process(es): a process's CPU counts all its threads, so one pid covers autocannon's workers. */
  loader: () => number[];
  /** Probe recorders (perf, bpftrace). */
  probes: () => number[];
}

export interface CpuSamplerOptions {
  intervalMs: number;
  phase: () => CpuSample['phase'];
  /** Date.now() that CpuSample.t counts from; default: when the sampler starts. */
  origin?: number;
}

export interface CpuSampler {
  /** Stops sampling (idempotent) and returns every sample. */
  stop(): CpuSample[];
  current(): CpuSample[];
}

/**
 * Once per interval, each process's CPU use over that interval as % of one CPU (100 = one
 * core busy), from /proc deltas over the measured wall time of the interval (timer drift does not
 * skew it). A pid seen for the first time contributes from its first reading on; a pid that
 * vanished contributes nothing for its last partial interval.
 */
export function startCpuSampler(sources: CpuSources, opts: CpuSamplerOptions): CpuSampler {
  const origin = opts.origin ?? Date.now();
  const samples: CpuSample[] = [];
  // Workers are single-threaded and long-lived: nanosecond schedstat. Loader/probes have
  // threads that come and go: /proc/<pid>/stat, which keeps exited threads' time.
  const workerPrev = new Map<number, number>();
  const loaderPrev = new Map<number, number>();
  const probePrev = new Map<number, number>();
  let last = process.hrtime.bigint();

  const deltas = (pids: number[], prev: Map<number, number>, read: (pid: number) => number | null): number[] =>
    pids.map((pid) => {
      const now = read(pid);
      const before = prev.get(pid);
      if (now === null) {
        prev.delete(pid);
        return 0;
      }
      prev.set(pid, now);
      return before === undefined ? 0 : Math.max(0, now - before);
    });

  const prime = () => {
    deltas(sources.workers(), workerPrev, processCpuMicrosPrecise);
    deltas(sources.loader(), loaderPrev, processCpuMicros);
    deltas(sources.probes(), probePrev, processCpuMicros);
  };

  const tick = () => {
    const now = process.hrtime.bigint();
    const wallUs = Number(now - last) / 1000;
    last = now;
    if (wallUs <= 0) return;
    const pct = (us: number) => round1((us / wallUs) * 100);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    samples.push({
      t: round1((Date.now() - origin) / 1000),
      phase: opts.phase(),
      workers: deltas(sources.workers(), workerPrev, processCpuMicrosPrecise).map(pct),
      loader: pct(sum(deltas(sources.loader(), loaderPrev, processCpuMicros))),
      probes: pct(sum(deltas(sources.probes(), probePrev, processCpuMicros))),
    });
  };

  prime();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
      }
      return samples.slice();
    },
    current: () => samples.slice(),
  };
}

/** Total CPU µs of the given processes right now (exact, for window start/end deltas). Gone pids count 0. */
export function snapshotCpu(pids: number[]): number {
  let total = 0;
  for (const pid of pids) total += processCpuMicrosPrecise(pid) ?? 0;
  return total;
}

export interface CpuWindow {
  /** Requests completed in the measured window. */
  requests: number;
  /** snapshotCpu(workers) at the window's end minus at its start; null/absent → integrated from the samples. */
  workerCpuUs?: number | null;
  /** Sample interval, for integrating when workerCpuUs is absent. */
  intervalMs?: number;
}

/** Means over the 'measure' samples; null when there is nothing measured to summarise. */
export function summarizeCpu(samples: CpuSample[], window: CpuWindow): CpuSummary | null {
  const measured = samples.filter((s) => s.phase === 'measure');
  const exact = window.workerCpuUs ?? null;
  if (measured.length === 0 && exact === null) return null;
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const width = Math.max(0, ...measured.map((s) => s.workers.length));
  const perWorker = Array.from({ length: width }, (_, i) => round1(mean(measured.map((s) => s.workers[i] ?? 0))));
  // CPU time only grows; a negative difference means a process went away between readings.
  const workerCpuUs = Math.max(
    0,
    exact ?? measured.reduce((acc, s) => acc + s.workers.reduce((a, b) => a + b, 0), 0) * (window.intervalMs ?? 1000) * 10,
  );
  return {
    workerPctMean: round1(mean(perWorker)),
    workerPctPerWorker: perWorker,
    loaderPctMean: round1(mean(measured.map((s) => s.loader))),
    probesPctMean: round1(mean(measured.map((s) => s.probes))),
    workerCpuUs: Math.round(workerCpuUs),
    workerCpuUsPerRequest: window.requests > 0 ? round3(workerCpuUs / window.requests) : null,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
