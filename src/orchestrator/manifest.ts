import { RUN_SCHEMA_VERSION, type RunManifest } from '../runs/types.js';
import type { Scenario } from '../scenario/types.js';

/** run.json as written the moment a run starts: a crash later still leaves a readable manifest. */
export function initialManifest(scenario: Scenario, id: string, startedAt: Date, repeat: number | null): RunManifest {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id,
    status: 'failed',
    error: { code: 'E_IN_PROGRESS', message: 'the run has not finished (or the harness was killed)', hint: '' },
    scenario,
    variant: scenario.variant ?? null,
    repeat,
    environment: null,
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      warmupStartedAt: null,
      measureStartedAt: null,
      measureEndedAt: null,
      postProcessMs: null,
    },
    target: null,
    load: null,
    cpu: { intervalMs: 1000, samples: [], summary: null },
    probes: [],
    saturation: null,
    loaderBound: null,
    warnings: [],
  };
}
