import type { LoadSpec } from '../../src/scenario/types.js';
import type { LoadRunOptions } from '../../src/load/index.js';
import { testScenario } from '../helpers/scenario.js';

/** The shared test scenario's load section, with this folder's own warm-up and saturate limits. */
export function loadSpec(over: Partial<LoadSpec> = {}): LoadSpec {
  const base = testScenario().load;
  return { ...base, warmup: 0.5, saturate: { ...base.saturate, maxThreads: 2 }, ...over };
}

export function runOpts(over: Partial<LoadRunOptions> = {}): LoadRunOptions & { pids: number[] } {
  const pids: number[] = [];
  return { loaderCpus: [], workerPids: [], quiet: true, onLoaderStarted: (pid) => pids.push(pid), pids, ...over };
}
