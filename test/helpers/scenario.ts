import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadSpec, OpenrestySpec, Scenario } from '../../src/scenario/types.js';

export interface ScenarioOverrides {
  /** Absolute path of the (pretend) YAML file; also the config's source. */
  source?: string;
  name?: string;
  openresty?: Partial<OpenrestySpec>;
  load?: Partial<LoadSpec>;
  probes?: Scenario['probes'];
  thresholds?: Scenario['thresholds'];
}

/**
 * A resolved scenario as the scenario stage would produce it (small, loopback, 2 s fixed load),
 * for tests of the stages after it. Only what a test names differs from this base.
 */
export function testScenario(o: ScenarioOverrides = {}): Scenario {
  const source = o.source ?? '/test/scenario.yaml';
  return {
    source,
    name: o.name ?? 'test',
    description: '',
    openresty: {
      binary: 'auto',
      luajit: 'auto',
      workers: 1,
      cpus: 'auto',
      config: 'server { listen {{host}}:{{port}}; location / { return 200 "hello\\n"; } }',
      configKind: 'http',
      configSource: source,
      variables: {},
      files: [],
      port: 0,
      mainDirectives: '',
      eventsDirectives: '',
      luajitNoise: { method: 'auto', intervalMs: 250 },
      ...o.openresty,
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
      ...o.load,
    },
    probes: o.probes ?? [],
    thresholds: o.thresholds ?? [],
    variants: [],
    repeat: 1,
    minRepeats: 3,
    maxRepeats: 20,
    maxSeconds: 180,
  };
}

/** A fresh directory under /tmp (reachable by the unprivileged nginx worker user, unlike a home directory). */
export function tempRunDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
