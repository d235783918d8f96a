import type { LuajitNoiseChoice } from '../target/luajit-noise.js';
import type { ErrorRecord } from '../errors.js';
import type { Scenario } from '../scenario/types.js';

export const RUN_SCHEMA_VERSION = 1;

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
  workers: number;
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
  schemaVersion: 1;
  settings: LoadSettings;
  url: string;
  startedAt: string;
  durationMs: number;
  requests: number;
  rps: number;
  /** Connection errors + timeouts + non-2xx. */
  errors: number;
  connectionErrors: number;
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
}

export interface SaturationStep {
  connections: number;
  pipelining: number;
  workers: number;
  rps: number;
  workerCpuPct: number;
  loaderCpuPct: number;
  p99Us: number;
  errors: number;
}

export interface SaturationRecord {
  targetCpuPct: number;
  steps: SaturationStep[];
  chosen: { connections: number; pipelining: number; workers: number };
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
}
