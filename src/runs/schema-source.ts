/**
 * The source of schema/run.schema.json: the shape of run.json (RunManifest in ./types.ts).
 * Each object below is typed against its TypeScript interface (`shape<T>`): a field added to,
 * removed from or made optional in types.ts is a compile error here until the schema follows,
 * and test/runs/schema.test.ts fails until the JSON file is regenerated:
 *   npx tsx src/runs/schema-source.ts > schema/run.schema.json
 * The resolved scenario is checked only for what readers use (its name): its full shape is the
 * scenario schema's business, and old runs keep the scenario keys of their day.
 */
import { pathToFileURL } from 'node:url';
import type { ErrorRecord } from '../errors.js';
import type { LuajitNoiseChoice } from '../nginx/luajit-noise.js';
import {
  LOAD_SCHEMA_VERSION,
  RUN_SCHEMA_VERSION,
  type CpuSample,
  type CpuSummary,
  type CpuTimeline,
  type DistributedLoad,
  type LatencySummaryUs,
  type LoadResult,
  type LoadSettings,
  type LoaderBoundWarning,
  type LoaderShare,
  type ThresholdRecord,
  type LuajitRecord,
  type ProbeStatus,
  type RunEnvironment,
  type RunLabel,
  type RunManifest,
  type RunTarget,
  type RunTimings,
  type SaturationRecord,
  type SaturationStep,
  type SteadyState,
} from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = { [k: string]: Json };

export const RUN_SCHEMA_ID = 'https://flamebench.dev/schema/run.schema.json';

/** Keys of T that may be absent (`a?: x`). */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * An object schema with exactly T's keys: `props` must name every key, `optional` exactly the
 * optional ones. Unknown keys are allowed (a newer flamebench may add facts; readers ignore them).
 */
function shape<T>(props: { [K in keyof T]-?: Schema }, optional: { [K in OptionalKeys<T>]: true }): Schema {
  const opt = new Set(Object.keys(optional));
  return { type: 'object', properties: props, required: Object.keys(props).filter((k) => !opt.has(k)) };
}

const str: Schema = { type: 'string' };
const num: Schema = { type: 'number' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const orNull = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const list = (items: Schema): Schema => ({ type: 'array', items });
const oneOf = (...values: string[]): Schema => ({ enum: values });
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

const errorRecord = shape<ErrorRecord>({ code: str, message: str, hint: str }, {});

const luajit = shape<LuajitRecord>(
  {
    choice: oneOf('system', 'profiling', 'auto'),
    used: oneOf('system', 'profiling', 'bundled', 'none'),
    library: orNull(str),
    luajitVersion: orNull(str),
    package: orNull(str),
    symbols: orNull(bool),
    framePointers: orNull(bool),
    reason: str,
  },
  {},
);

const environment = shape<RunEnvironment>(
  { nginxBinary: str, nginxVersion: str, luaModule: bool, kernel: str, cpuModel: str, cores: int, hostname: str, node: str, autocannon: str, perf: orNull(str), flamebench: str, luajit },
  { luajit: true },
);

const timings = shape<RunTimings>(
  { startedAt: str, finishedAt: orNull(str), warmupStartedAt: orNull(str), measureStartedAt: orNull(str), measureEndedAt: orNull(str), postProcessMs: orNull(num) },
  {},
);

const target = shape<RunTarget>(
  { binary: str, port: int, baseUrl: str, masterPid: int, workerPids: list(int), nginxCpus: list(int), loaderCpus: list(int) },
  {},
);

const latencyUs = shape<LatencySummaryUs>({ min: num, mean: num, stdev: num, p50: num, p90: num, p99: num, p999: num, max: num }, {});

const loadSettings = shape<LoadSettings>(
  { mode: oneOf('fixed', 'saturate', 'rate'), connections: int, pipelining: int, threads: int, duration: num, warmup: num, rate: orNull(num) },
  {},
);

type LoadSummary = Omit<LoadResult, 'histogram' | 'series' | 'spectrum'>;
const loadSummary = shape<LoadSummary>(
  {
    schemaVersion: { const: LOAD_SCHEMA_VERSION },
    settings: loadSettings,
    url: str,
    startedAt: str,
    durationMs: num,
    requests: int,
    rps: num,
    errors: int,
    connectionErrors: int,
    closedWithoutResponse: int,
    discardedAtClose: int,
    timeouts: int,
    non2xx: int,
    statusCodes: { type: 'object', additionalProperties: int },
    bytes: num,
    throughputBytesPerSec: num,
    latencyUs: ref('latencyUs'),
    correctedForCoordinatedOmission: bool,
    partial: bool,
  },
  { closedWithoutResponse: true, discardedAtClose: true, partial: true },
);

const cpuSample = shape<CpuSample>({ t: num, phase: oneOf('idle', 'warmup', 'measure', 'after'), workers: list(num), loader: num, probes: num }, {});

const cpuSummary = shape<CpuSummary>(
  { workerPctMean: num, workerPctPerWorker: list(num), loaderPctMean: num, probesPctMean: num, workerCpuUs: num, workerCpuUsPerRequest: orNull(num) },
  {},
);

const cpu = shape<CpuTimeline>({ intervalMs: num, samples: list(cpuSample), summary: orNull(cpuSummary) }, {});

const probeStatus = shape<ProbeStatus>(
  {
    id: str,
    kind: str,
    status: oneOf('ok', 'failed', 'unavailable', 'skipped'),
    error: ref('errorRecord'),
    folded: str,
    meta: str,
    unit: oneOf('samples', 'microseconds'),
    samples: num,
    totalWeight: num,
    warnings: list(str),
  },
  { error: true, folded: true, meta: true, unit: true, samples: true, totalWeight: true },
);

const saturationStep = shape<SaturationStep>({ connections: int, pipelining: int, threads: int, rps: num, workerCpuPct: num, loaderCpuPct: num, p99Us: num, errors: num }, {});

const saturation = shape<SaturationRecord>(
  {
    targetCpuPct: num,
    steps: list(saturationStep),
    chosen: { type: 'object', properties: { connections: int, pipelining: int, threads: int }, required: ['connections', 'pipelining', 'threads'] },
    reason: str,
  },
  {},
);

const loaderBound = shape<LoaderBoundWarning>({ loaderPct: num, loaderLimitPct: num, workerPct: num, message: str, hint: str }, {});

const label = shape<RunLabel>({ label: orNull(str), gitDescribe: orNull(str) }, {});

const steadyState = shape<SteadyState>(
  {
    status: oneOf('steady', 'drifting', 'unknown'),
    seconds: num,
    rpsChangePct: orNull(num),
    p50ChangePct: orNull(num),
    bounds: { type: 'object', properties: { rpsPct: num, p50Pct: num }, required: ['rpsPct', 'p50Pct'] },
    message: str,
  },
  {},
);

const luajitNoise = shape<LuajitNoiseChoice>(
  { method: oneOf('none', 'flush'), intervalMs: num, requested: oneOf('auto', 'none', 'flush'), reason: str },
  {},
);

const loaderShare = shape<LoaderShare>({ host: str, hostname: str, connections: int, requests: int, rps: num, cpuPct: num }, {});

const loaders = shape<DistributedLoad>(
  {
    loaders: list(loaderShare),
    startSkewMs: { type: 'object', properties: { warmup: num, measure: num }, required: ['warmup', 'measure'] },
  },
  {},
);

const thresholdRecord = shape<ThresholdRecord>(
  { metric: str, rule: str, status: oneOf('pass', 'fail', 'improvement', 'inconclusive'), observed: orNull(num), reason: str },
  {},
);

/** The resolved scenario as far as readers of a run rely on it. */
const scenario: Schema = { type: 'object', properties: { name: str }, required: ['name'] };

export function buildRunSchema(): Schema {
  const manifest = shape<RunManifest>(
    {
      schemaVersion: { const: RUN_SCHEMA_VERSION, description: `The run.json format; this flamebench writes version ${RUN_SCHEMA_VERSION} and upgrades version 1 (loader threads named workers) when it reads it.` },
      id: str,
      status: oneOf('ok', 'partial', 'failed'),
      error: orNull(ref('errorRecord')),
      scenario,
      variant: orNull(str),
      repeat: orNull(int),
      environment: orNull(environment),
      timings,
      target: orNull(target),
      load: orNull(loadSummary),
      cpu,
      probes: list(probeStatus),
      saturation: orNull(saturation),
      loaderBound: orNull(loaderBound),
      warnings: list(str),
      label,
      steadyState,
      luajitNoise,
      loaders,
      thresholds: list(thresholdRecord),
    },
    { label: true, steadyState: true, luajitNoise: true, loaders: true, thresholds: true },
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: RUN_SCHEMA_ID,
    title: 'flamebench run.json',
    description: 'The manifest of a run directory (src/runs/types.ts RunManifest), written by `flamebench run` and read by report, compare, history and export.',
    ...manifest,
    $defs: { errorRecord, latencyUs },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(buildRunSchema(), null, 2) + '\n');
}
