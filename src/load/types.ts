import type { FlamebenchError } from '../errors.js';
import type { LoadResult, LoadSecond } from '../runs/types.js';

export interface LoadHooks {
  /** Called when the warm-up ends and the measured window begins (probes start here). */
  onMeasureStart?(): void | Promise<void>;
  /** Called just before the measured window ends (probes stop before the load ends). */
  onMeasureEnding?(): void | Promise<void>;
  /** Once a second during the measured window. */
  onSecond?(s: LoadSecond): void;
  /** Aborts the load; runLoad then resolves with what was measured so far (partial). */
  signal?: AbortSignal;
}

export interface LoadOutcome {
  result: LoadResult;
  /** True when stopped by the signal before the window ended. */
  aborted: boolean;
  /** Set when the window ended early otherwise (the loader died): `result` is partial, the run fails with this error. */
  failure: FlamebenchError | null;
}

/**
 * The nginx workers' CPU over a window, following workers the master respawns: a worker that died
 * counts up to its last reading, its successor from its start (src/nginx/workers.ts trackWorkers).
 */
export interface WorkerCpuMeter {
  /** The workers now, one per slot. */
  pids(): number[];
  /** Worker CPU µs from now on: the returned function gives what they used since. */
  cpuFromNow(): () => number;
}

export interface LoadRunOptions {
  /** CPUs the loader process is pinned to (taskset); empty = not pinned. */
  loaderCpus: number[];
  /** The nginx workers' CPU: saturate mode reads it over each step to decide when to stop raising load. */
  workers: WorkerCpuMeter;
  quiet: boolean;
  /** Called once the loader process exists (its CPU is sampled and it is killed on Ctrl-C). */
  onLoaderStarted?(pid: number): void;
  /** The nginx workers' CPU % over the last sampled second, for the progress line; null when not sampled yet. */
  workerCpuPct?(): number | null;
}
