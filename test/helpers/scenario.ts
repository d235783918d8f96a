import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULTS } from '../../src/scenario/defaults.js';
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

/** What tests run smaller than a real scenario would: a 2 s fixed load, few connections, no warm-up, one repeat. */
const TEST_LOAD = {
  connections: 8,
  duration: 2,
  warmup: 0,
  timeout: 5,
  saturate: { ...DEFAULTS.load.saturate, maxConnections: 64, maxPipelining: 8, maxThreads: 1, stepSeconds: 1 },
} as const;

/**
 * A resolved scenario as the scenario stage would produce it: the real defaults
 * (src/scenario/defaults.ts), made small for tests (TEST_LOAD, one repeat), then whatever the test
 * names. So a changed default reaches the tests of every later stage.
 */
export function testScenario(o: ScenarioOverrides = {}): Scenario {
  const source = o.source ?? '/test/scenario.yaml';
  const d = structuredClone(DEFAULTS);
  return {
    source,
    name: o.name ?? 'test',
    description: d.description,
    openresty: {
      ...d.openresty,
      variables: {},
      files: [],
      config: 'server { listen {{host}}:{{port}}; location / { return 200 "hello\\n"; } }',
      configSource: source,
      ...o.openresty,
    },
    load: {
      ...d.load,
      requests: [{ ...d.request, headers: {} }],
      ...TEST_LOAD,
      saturate: { ...TEST_LOAD.saturate },
      ...o.load,
    },
    probes: o.probes ?? [],
    thresholds: o.thresholds ?? [],
    variants: [],
    repeat: 1,
    minRepeats: d.minRepeats,
    maxRepeats: d.maxRepeats,
    maxSeconds: d.maxSeconds,
  };
}

/** A fresh directory under /tmp (reachable by the unprivileged nginx worker user, unlike a home directory). */
export function tempRunDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** What writeScenarioFile puts in a scenario file besides its name. */
export interface ScenarioFileParts {
  /** The body of the one server's `location / { … }` (it listens on 127.0.0.1:{{port}}). */
  location: string;
  /** Keys under `openresty:` besides config, one YAML line each, unindented. */
  openresty?: string[];
  /** Keys under `load:`, one YAML line each, unindented. */
  load: string[];
}

/**
 * Writes `<dir>/<name>.yaml` for tests that run the CLI: one small server, the given load, no
 * probes. Everything else comes from the real defaults, as `flamebench run` would resolve it.
 */
export function writeScenarioFile(dir: string, name: string, parts: ScenarioFileParts): string {
  const file = path.join(dir, `${name}.yaml`);
  const indented = (lines: string[] = []) => lines.map((l) => `  ${l}`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'openresty:',
      ...indented(parts.openresty),
      '  config: |',
      `    server { listen 127.0.0.1:{{port}}; location / { ${parts.location} } }`,
      'load:',
      ...indented(parts.load),
      'probes: []',
    ].join('\n'),
  );
  return file;
}
