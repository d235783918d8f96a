import type { LuajitNoiseChoice } from '../nginx/luajit-noise.js';
import type { ErrorRecord } from '../errors.js';
import type { Scenario } from '../scenario/types.js';

/**
 * run.json's format. 2: loader threads are `threads` (load settings, saturation steps and chosen
 * level, the scenario's load), so that "workers" means nginx workers only; version 1 runs are
 * upgraded when read (./upgrade.ts). load.json's version moves with it.
 */
export const RUN_SCHEMA_VERSION = 2;
export const LOAD_SCHEMA_VERSION = 2;

export type RunStatus = 'ok' | 'partial' | 'failed';

export interface RunEnvironment {
  nginxBinary: string;
  /** `nginx -V` output (stderr), verbatim. */
  nginxVersion: string;
  luaModule: boolean;
  kernel: string;
  cpuModel: string;
  cores: number;
  hostname: string;
  node: string;
  autocannon: string;
  perf: string | null;
  flamebench: string;
  /** Which LuaJIT the Lua module loaded (openresty.luajit), and why; absent in runs made before it was recorded. */
  luajit?: LuajitRecord;
}

/** The LuaJIT of a run: src/luajit/select.ts. */
export interface LuajitRecord {
  /** What the scenario asked for. */
  choice: 'system' | 'profiling' | 'auto';
  /** What ran: the distribution's library, the profiling build, OpenResty's bundled one, or none (no Lua module). */
  used: 'system' | 'profiling' | 'bundled' | 'none';
  library: string | null;
  /** LuaJIT's own version string ("LuaJIT 2.1.0-beta3"). */
  luajitVersion: string | null;
  /** The Debian package (and version) it comes from, or the source it was rebuilt from. */
  package: string | null;
  /** Has a symbol table: perf names its functions (lj_str_new, lj_BC_…), not [libluajit…]. */
  symbols: boolean | null;
  framePointers: boolean | null;
  /** Why this one (and so why not the profiling build). */
  reason: string;
}

export interface RunTimings {
  startedAt: string;
  finishedAt: string | null;
  /** Wall-clock ISO times of the phases; null when the run did not reach them. */
  warmupStartedAt: string | null;
  measureStartedAt: string | null;
  measureEndedAt: string | null;
  /** Time from the end of the load to the run directory being complete (probe post-processing, report). */
  postProcessMs: number | null;
}

/** One sample of the CPU timeline: % of one CPU (100 = one core busy), per process, over the last interval. */
export interface CpuSample {
  /** Seconds since the target started. */
  t: number;
  phase: 'idle' | 'warmup' | 'measure' | 'after';
  /** Aligned with RunTarget.workerPids. */
  workers: number[];
  loader: number;
  /** Probe recorders (perf, bpftrace) summed. */
  probes: number;
}

export interface CpuSummary {
  /** Means over the measured window. */
  workerPctMean: number;
  workerPctPerWorker: number[];
  loaderPctMean: number;
  probesPctMean: number;
  /** Worker CPU time (user+sys) in the measured window, µs, all workers. */
  workerCpuUs: number;
  /** workerCpuUs / requests in the window. */
  workerCpuUsPerRequest: number | null;
}

export interface CpuTimeline {
  intervalMs: number;
  samples: CpuSample[];
  summary: CpuSummary | null;
}

export interface RunTarget {
  binary: string;
  port: number;
  baseUrl: string;
  masterPid: number;
  workerPids: number[];
  nginxCpus: number[];
  loaderCpus: number[];
}

export type ProbeState = 'ok' | 'failed' | 'unavailable' | 'skipped';

export interface ProbeStatus {
  id: string;
  kind: string;
  status: ProbeState;
  error?: ErrorRecord;
  /** Relative to the run directory. */
  folded?: string;
  meta?: string;
  unit?: StackUnit;
  samples?: number;
  totalWeight?: number;
  warnings: string[];
}

export type StackUnit = 'samples' | 'microseconds';

/** stacks/<probe>.meta.json */
export interface ProbeMeta {
  schemaVersion: 1;
  id: string;
  kind: string;
  unit: StackUnit;
  frequencyHz: number | null;
  pids: number[];
  /** Number of raw samples/events that went into the folded file. */
  sampleCount: number;
  /** Sum of the folded counts (samples, or µs). */
  totalWeight: number;
  /** Distinct stacks in the folded file. */
  stacks: number;
  skippedLines: number;
  /** The recorder stopped early (size/time bound). */
  truncated: boolean;
  warnings: string[];
  /** Probe-specific facts (e.g. dropped idle µs, flagged C-time samples). */
  extra: Record<string, unknown>;
}

export interface LoadSettings {
  mode: 'fixed' | 'saturate' | 'rate';
  connections: number;
  pipelining: number;
  /** Loader worker threads (load.threads; 0 = the main thread only). */
  threads: number;
  duration: number;
  warmup: number;
  rate: number | null;
}

export interface LatencySummaryUs {
  min: number;
  mean: number;
  stdev: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadSecond {
  /** Seconds since the start of the measured window (1 = the first second). */
  t: number;
  requests: number;
  errors: number;
  p50Us: number;
  p99Us: number;
}

/** load.json */
export interface LoadResult {
  schemaVersion: typeof LOAD_SCHEMA_VERSION;
  settings: LoadSettings;
  url: string;
  startedAt: string;
  durationMs: number;
  requests: number;
  rps: number;
  /** Connection errors + closed without response + timeouts + non-2xx. */
  errors: number;
  connectionErrors: number;
  /** Connections the server closed with requests unanswered, without announcing it (e.g. ngx.exit(444)). Absent in older runs. */
  closedWithoutResponse?: number;
  /** Requests pipelined behind a response that announced Connection: close: never answered, not errors. Absent in older runs. */
  discardedAtClose?: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  bytes: number;
  throughputBytesPerSec: number;
  latencyUs: LatencySummaryUs;
  /** The percentile spectrum: [percentile (0..100), µs]. */
  spectrum: Array<[number, number]>;
  /** HDR histogram of latency in µs, base64 compressed (hdr-histogram-js encodeIntoCompressedBase64). */
  histogram: string;
  series: LoadSecond[];
  /** Latency measured from the intended send time (rate mode): coordinated omission corrected. */
  correctedForCoordinatedOmission: boolean;
  /** The window ended early (interrupted, or the loader died): the seconds in `series` are what was measured. */
  partial?: boolean;
}

export interface SaturationStep {
  connections: number;
  pipelining: number;
  /** Loader worker threads (load.threads; 0 = the main thread only). */
  threads: number;
  rps: number;
  workerCpuPct: number;
  loaderCpuPct: number;
  p99Us: number;
  errors: number;
}

export interface SaturationRecord {
  targetCpuPct: number;
  steps: SaturationStep[];
  chosen: { connections: number; pipelining: number; threads: number };
  reason: string;
}

export interface LoaderBoundWarning {
  loaderPct: number;
  loaderLimitPct: number;
  workerPct: number;
  message: string;
  hint: string;
}

/** run.json */
export interface RunManifest {
  schemaVersion: typeof RUN_SCHEMA_VERSION;
  id: string;
  status: RunStatus;
  /** Why the run is partial/failed. */
  error: ErrorRecord | null;
  scenario: Scenario;
  variant: string | null;
  repeat: number | null;
  environment: RunEnvironment | null;
  timings: RunTimings;
  target: RunTarget | null;
  load: Omit<LoadResult, 'histogram' | 'series' | 'spectrum'> | null;
  cpu: CpuTimeline;
  probes: ProbeStatus[];
  saturation: SaturationRecord | null;
  loaderBound: LoaderBoundWarning | null;
  /** How the run averaged over LuaJIT trace selection, and why (absent in runs made before it existed). */
  luajitNoise?: LuajitNoiseChoice;
  warnings: string[];
  /** `run --label` and git describe (src/orchestrator/label.ts). Absent in older runs. */
  label?: RunLabel;
  /** Drift of rps / p50 across the measured window (src/orchestrator/steady.ts). Absent in older runs. */
  steadyState?: SteadyState;
  /** Several loaders (load.hosts): each one's share and how far apart they started (src/load/loader-group.ts). Absent for the local loader. */
  loaders?: DistributedLoad;
  /** `run -t` limits checked on this run (a single run; a series' checks are on its median). Absent when none were given. */
  thresholds?: ThresholdRecord[];
}

export interface LoaderShare {
  /** The load.hosts entry, e.g. "ip netns exec loader1". */
  host: string;
  /** The hostname the loader reported in its hello. */
  hostname: string;
  connections: number;
  /** Requests completed in the measured window. */
  requests: number;
  rps: number;
  /** The loader process's CPU over the measured window (its own process.cpuUsage), % of one core. */
  cpuPct: number;
}

export interface DistributedLoad {
  loaders: LoaderShare[];
  /** Spread of the loaders' 'measure-started' arrivals at the coordinator, ms (same for the warm-up's go). */
  startSkewMs: { warmup: number; measure: number };
}

/** A `run -t` limit checked on this run (src/compare/absolute.ts), as run.json keeps it. */
export interface ThresholdRecord {
  metric: string;
  /** Human form, e.g. "≤ 5 ms". */
  rule: string;
  status: 'pass' | 'fail' | 'improvement' | 'inconclusive';
  /** The run's value in the metric's unit; null when the run did not record the metric. */
  observed: number | null;
  reason: string;
}

export interface RunLabel {
  label: string | null;
  gitDescribe: string | null;
}

export interface SteadyState {
  status: 'steady' | 'drifting' | 'unknown';
  /** Whole seconds of the window judged. */
  seconds: number;
  /** Last third against the first, %: mean rps, median of the per-second p50s. */
  rpsChangePct: number | null;
  p50ChangePct: number | null;
  bounds: { rpsPct: number; p50Pct: number };
  message: string;
}
