import type { LoadSpec } from '../../src/scenario/types.js';
import type { LoadRunOptions } from '../../src/load/index.js';
import type { WorkerCpuMeter } from '../../src/load/index.js';
import { testScenario } from '../helpers/scenario.js';

/** The shared test scenario's load section, with this folder's own warm-up and saturate limits. */
export function loadSpec(over: Partial<LoadSpec> = {}): LoadSpec {
  const base = testScenario().load;
  return { ...base, warmup: 0.5, saturate: { ...base.saturate, maxThreads: 2 }, ...over };
}

/** Where no nginx worker is measured (a stand-in server): no worker, no CPU. */
const NO_WORKERS: WorkerCpuMeter = { pids: () => [], cpuFromNow: () => () => 0 };

export function runOpts(over: Partial<LoadRunOptions> = {}): LoadRunOptions & { pids: number[] } {
  const pids: number[] = [];
  return { loaderCpus: [], workers: NO_WORKERS, quiet: true, onLoaderStarted: (pid) => pids.push(pid), pids, ...over };
}
