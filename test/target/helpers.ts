import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Scenario, OpenrestySpec } from '../../src/scenario/types.js';

/** A resolved scenario as the scenario stage would produce it, with only `openresty` varying. */
export function scenarioWith(openresty: Partial<OpenrestySpec>): Scenario {
  return {
    source: '/test/scenario.yaml',
    name: 'target-test',
    description: '',
    openresty: {
      binary: 'auto',
      workers: 1,
      cpus: 'auto',
      config: 'server { listen {{host}}:{{port}}; location / { return 200 "hello\\n"; } }',
      configKind: 'http',
      configSource: '/test/scenario.yaml',
      variables: {},
      files: [],
      port: 0,
      mainDirectives: '',
      eventsDirectives: '',
      ...openresty,
    },
    load: {
      mode: 'fixed',
      host: '127.0.0.1',
      allowNonLoopback: false,
      requests: [{ method: 'GET', path: '/', headers: {} }],
      connections: 8,
      pipelining: 1,
      duration: 2,
      warmup: 0,
      timeout: 5,
      workers: 0,
      cpus: 'auto',
      saturate: { targetCpuPct: 95, maxConnections: 64, maxPipelining: 8, maxWorkers: 1, stepSeconds: 1, maxLatencyGrowth: 4 },
    },
    probes: [],
    thresholds: [],
    variants: [],
    repeat: 1,
  };
}

/** A fresh run directory under /tmp (reachable by the unprivileged nginx worker user). */
export function tempRunDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'flamebench-target-'));
}
