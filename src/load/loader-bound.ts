import type { LoaderBoundWarning } from '../runs/types.js';

export interface LoaderBoundInput {
  /** Loader CPU over the window, % of one CPU (200 = two CPUs busy). */
  loaderPct: number;
  /** CPUs the loader is pinned to. */
  loaderCpuCount: number;
  /** nginx worker CPU, mean per worker, % of one CPU. */
  workerPct: number;
  targetPct: number;
  /** Informational (callers pass it; the mean per worker is what is compared). */
  workerCount?: number;
  /**
   * Threads that generate load (load.threads, 0 = the main thread only). A Node loader cannot
   * use more CPUs than it has busy threads, whatever it is pinned to.
   */
  loaderThreads?: number;
  /** The load mode: in saturate mode the advice is about the tuner's limits, not about switching to it. */
  mode?: 'fixed' | 'saturate' | 'rate';
}

/** The loader counts as saturated at this share of what it can use. */
export const LOADER_BUSY_FRACTION = 0.9;

const fmt = (x: number): string => (Math.round(x * 10) / 10).toString();

/**
 * A run where the loader, not nginx, was the bottleneck: the loader sits at its CPU limit while
 * the workers stay below target. Its flame graphs would describe a half-idle nginx.
 */
export function detectLoaderBound(i: LoaderBoundInput): LoaderBoundWarning | null {
  const pinned = Math.max(1, i.loaderCpuCount);
  const usable = i.loaderThreads === undefined ? pinned : Math.min(pinned, Math.max(1, i.loaderThreads));
  const loaderLimitPct = 100 * usable;
  if (!(i.loaderPct >= LOADER_BUSY_FRACTION * loaderLimitPct) || !(i.workerPct < i.targetPct)) return null;
  const cpus = `${usable} CPU${usable === 1 ? '' : 's'}`;
  return {
    loaderPct: i.loaderPct,
    loaderLimitPct,
    workerPct: i.workerPct,
    message:
      `loader-bound run: the loader used ${fmt(i.loaderPct)}% CPU of the ${loaderLimitPct}% it can use (${cpus}) ` +
      `while the nginx workers averaged ${fmt(i.workerPct)}% (target ${fmt(i.targetPct)}%): ` +
      `the numbers and stacks describe a partly idle nginx`,
    hint:
      i.mode === 'saturate'
        ? 'Saturate mode stopped here: let it go further (raise load.saturate.maxPipelining, or give the loader more ' +
          'CPUs in load.cpus with a higher load.saturate.maxThreads), or lower load.saturate.targetCpuPct.'
        : 'Raise load.pipelining (8–16 drives several times more requests per loader CPU), give the loader more CPUs ' +
          '(load.cpus) together with load.threads, use load.mode: saturate to tune this automatically, ' +
          'or use wrk for pure throughput numbers.',
  };
}
