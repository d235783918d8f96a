import type { LoadSpec } from '../../src/scenario/types.js';
import type { LoadRunOptions } from '../../src/load/index.js';

export function loadSpec(over: Partial<LoadSpec> = {}): LoadSpec {
  return {
    mode: 'fixed',
    host: '127.0.0.1',
    allowNonLoopback: false,
    requests: [{ method: 'GET', path: '/', headers: {} }],
    connections: 8,
    pipelining: 1,
    duration: 2,
    warmup: 0.5,
    timeout: 5,
    workers: 0,
    cpus: 'auto',
    saturate: { targetCpuPct: 95, maxConnections: 64, maxPipelining: 8, maxWorkers: 2, stepSeconds: 1, maxLatencyGrowth: 4 },
    ...over,
  };
}

export function runOpts(over: Partial<LoadRunOptions> = {}): LoadRunOptions & { pids: number[] } {
  const pids: number[] = [];
  return { loaderCpus: [], workerPids: [], quiet: true, onLoaderStarted: (pid) => pids.push(pid), pids, ...over };
}
