/**
 * Synthetic run directories, consistent with src/runs/types.ts, for compare's tests and the
 * synthetic power study. Only what compare reads is filled with meaning; the rest is plausible.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runPaths } from '../../src/runs/paths.js';
import { LOAD_SCHEMA_VERSION, RUN_SCHEMA_VERSION, type LoadResult, type ProbeMeta, type RunEnvironment, type RunManifest } from '../../src/runs/types.js';
import type { Scenario, ThresholdSpec } from '../../src/scenario/types.js';
import { formatFolded, type Folded } from '../../src/stacks/folded.js';
import { testScenario } from '../helpers/scenario.js';

export interface SyntheticRun {
  scenario?: string;
  variant?: string | null;
  thresholds?: ThresholdSpec[];
  rps: number;
  cpuUsPerRequest: number;
  p99Us?: number;
  errors?: number;
  durationS?: number;
  status?: RunManifest['status'];
  probes?: Record<string, Folded>;
  environment?: RunEnvironment | null;
}

/** A plausible recorded environment; tests vary one fact of it. */
export function environmentOf(over: Partial<RunEnvironment> = {}): RunEnvironment {
  return {
    nginxBinary: '/usr/sbin/nginx',
    nginxVersion: 'nginx version: nginx/1.22.1\nbuilt with OpenSSL 3.0.9\nconfigure arguments: --with-cc-opt=-O2',
    luaModule: true,
    kernel: '6.1.0-18-amd64',
    cpuModel: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz',
    cores: 2,
    hostname: 'ci-runner-1',
    node: 'v20.11.0',
    autocannon: '7.15.0',
    perf: 'perf version 6.1',
    flamebench: '0.0.0',
    ...over,
  };
}

export function scenarioOf(name: string, thresholds: ThresholdSpec[] = []): Scenario {
  return testScenario({
    source: `/tmp/${name}.yaml`,
    name,
    openresty: { config: 'location / { return 200; }' },
    load: {
      connections: 32,
      duration: 3,
      warmup: 1,
      timeout: 10,
      saturate: { targetCpuPct: 90, maxConnections: 256, maxPipelining: 16, maxThreads: 2, stepSeconds: 2, maxLatencyGrowth: 3 },
    },
    thresholds,
  });
}

export async function writeSyntheticRun(dir: string, r: SyntheticRun): Promise<string> {
  const paths = runPaths(dir);
  await fs.mkdir(paths.stacksDir, { recursive: true });
  const duration = r.durationS ?? 3;
  const requests = Math.round(r.rps * duration);
  const errors = r.errors ?? 0;
  const p99 = r.p99Us ?? 900;
  const latencyUs = { min: 50, mean: p99 / 3, stdev: p99 / 6, p50: p99 / 4, p90: p99 / 2, p99, p999: p99 * 1.5, max: p99 * 3 };
  const load: LoadResult = {
    schemaVersion: LOAD_SCHEMA_VERSION,
    settings: { mode: 'fixed', connections: 32, pipelining: 1, threads: 0, duration, warmup: 1, rate: null },
    url: 'http://127.0.0.1:8080/',
    startedAt: '2024-05-01T12:00:00.000Z',
    durationMs: duration * 1000,
    requests,
    rps: r.rps,
    errors,
    connectionErrors: 0,
    timeouts: 0,
    non2xx: errors,
    statusCodes: { '200': requests - errors, ...(errors ? { '500': errors } : {}) },
    bytes: requests * 100,
    throughputBytesPerSec: r.rps * 100,
    latencyUs,
    spectrum: [
      [50, latencyUs.p50],
      [99, p99],
    ],
    histogram: '',
    series: [],
    correctedForCoordinatedOmission: false,
  };
  const workerCpuUs = r.cpuUsPerRequest * requests;
  const probes = Object.entries(r.probes ?? {});
  const manifest: RunManifest = {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: path.basename(dir),
    status: r.status ?? 'ok',
    error: r.status === 'failed' ? { code: 'E_TEST', message: 'synthetic failure', hint: '' } : null,
    scenario: scenarioOf(r.scenario ?? 'synthetic', r.thresholds),
    variant: r.variant ?? null,
    repeat: null,
    environment: r.environment ?? null,
    timings: { startedAt: load.startedAt, finishedAt: load.startedAt, warmupStartedAt: null, measureStartedAt: null, measureEndedAt: null, postProcessMs: null },
    target: null,
    load: (({ histogram: _h, series: _s, spectrum: _sp, ...rest }) => rest)(load),
    cpu: {
      intervalMs: 500,
      samples: [],
      summary: {
        workerPctMean: Math.min(100, workerCpuUs / (duration * 1e4)),
        workerPctPerWorker: [Math.min(100, workerCpuUs / (duration * 1e4))],
        loaderPctMean: 50,
        probesPctMean: 0,
        workerCpuUs,
        workerCpuUsPerRequest: r.cpuUsPerRequest,
      },
    },
    probes: probes.map(([id, f]) => ({ id, kind: 'cpu', status: 'ok' as const, folded: `stacks/${id}.folded`, meta: `stacks/${id}.meta.json`, unit: 'samples' as const, warnings: [] })),
    saturation: null,
    loaderBound: null,
    warnings: [],
  };
  await fs.writeFile(paths.manifest, JSON.stringify(manifest, null, 2));
  await fs.writeFile(paths.loadResult, JSON.stringify(load, null, 2));
  for (const [id, folded] of probes) {
    let total = 0;
    for (const v of folded.values()) total += v;
    const meta: ProbeMeta = {
      schemaVersion: 1,
      id,
      kind: 'cpu',
      unit: 'samples',
      frequencyHz: 99,
      pids: [1234],
      sampleCount: total,
      totalWeight: total,
      stacks: folded.size,
      skippedLines: 0,
      truncated: false,
      warnings: [],
      extra: {},
    };
    await fs.writeFile(paths.folded(id), formatFolded(folded));
    await fs.writeFile(paths.probeMeta(id), JSON.stringify(meta, null, 2));
  }
  return paths.dir;
}

/** Seeded normal draws (Box–Muller over mulberry32). */
export function gaussian(rnd: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}
