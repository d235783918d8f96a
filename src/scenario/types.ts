/**
 * The validated, defaulted scenario every later stage works from.
 * The YAML shape is defined by schema/scenario.schema.json; defaults live in ./defaults.ts only.
 * Durations are normalised to seconds, latencies to microseconds.
 */

export interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExtraFile {
  /** Absolute path of the source file (resolved relative to the scenario file). */
  from: string;
  /** Path relative to the nginx prefix. */
  to: string;
}

/**
 * Which LuaJIT nginx's Lua module loads: the system's, the profiling build (`flamebench build
 * luajit`: symbols, frame pointers, perf map), or 'auto' (the profiling build when it exists).
 */
export type LuajitChoice = 'system' | 'profiling' | 'auto';

/**
 * How a run averages over LuaJIT's per-process trace selection (see src/nginx/luajit-noise.ts).
 * 'auto': 'flush' for variant/repeat runs of a config that uses Lua, else 'none'.
 */
export type LuajitNoiseMethod = 'auto' | 'none' | 'flush';

export interface LuajitNoiseSpec {
  method: LuajitNoiseMethod;
  /** jit.flush() interval for 'flush', ms of the worker's CPU time. */
  intervalMs: number;
}

export interface OpenrestySpec {
  /** 'auto' finds openresty, then nginx + ngx_http_lua_module. */
  binary: 'auto' | string;
  luajit: LuajitChoice;
  workers: number;
  /** CPUs the nginx workers are pinned to (one per worker, round robin); 'auto' = placement default. */
  cpus: 'auto' | number[];
  /** The config template (handlebars). Inline text; `configFile` in YAML is read into this. */
  config: string;
  /** 'http': the template is the contents of http {}; 'full': a whole nginx.conf. */
  configKind: 'http' | 'full';
  /** Where `config` came from (file path or the scenario file), for error messages. */
  configSource: string;
  variables: Record<string, unknown>;
  files: ExtraFile[];
  /** Listen port; 0 = pick a free port. Available to templates as {{port}}. */
  port: number;
  /** Extra directives for the main context (e.g. env, worker_rlimit_nofile). */
  mainDirectives: string;
  /** Extra events{} directives. */
  eventsDirectives: string;
  /** Averaging over LuaJIT trace selection; the run resolves 'auto' and records its choice in run.json. */
  luajitNoise: LuajitNoiseSpec;
}

export type LoadMode = 'fixed' | 'saturate' | 'rate';

export interface SaturateSpec {
  /** Target worker CPU %, mean over workers. */
  targetCpuPct: number;
  maxConnections: number;
  maxPipelining: number;
  /** Upper bound for loader threads. YAML: load.saturate.maxThreads (maxWorkers is its deprecated name). */
  maxThreads: number;
  /** Seconds per tuning step. */
  stepSeconds: number;
  /** Stop raising when p99 latency grows beyond this factor of the best step. */
  maxLatencyGrowth: number;
}

export interface LoadSpec {
  mode: LoadMode;
  /** Host the loader targets; must be loopback unless allowNonLoopback. */
  host: string;
  allowNonLoopback: boolean;
  requests: RequestSpec[];
  connections: number;
  pipelining: number;
  /** Measured window, seconds. */
  duration: number;
  /** Not-counted warm-up before the measured window, seconds. */
  warmup: number;
  /** Total requests per second for mode 'rate'. */
  rate?: number;
  /** Per-request timeout, seconds. */
  timeout: number;
  /** Loader worker threads (0 = the loader's main thread only). YAML: load.threads (load.workers is its deprecated name). */
  threads: number;
  /** CPUs the loader is pinned to; 'auto' = placement default. */
  cpus: 'auto' | number[];
  saturate: SaturateSpec;
  /** Where loaders run: 'local' (the forked loader) or launch prefixes (['ssh','-T','host']); several split the load. */
  hosts?: LoaderHost[];
  /** The loader command run after a launch prefix; 'self' = this node and this installation's loader entry. */
  loaderCommand?: 'self' | string[];
}

export type LoaderHost = 'local' | string[];

export type ProbeBackend = 'perf' | 'bpftrace';

export interface CpuProbeSpec {
  kind: 'cpu';
  id: string;
  backend: ProbeBackend;
  frequency: number;
  callGraph: 'dwarf' | 'fp';
}

export interface OffcpuProbeSpec {
  kind: 'offcpu';
  id: string;
  backend: ProbeBackend;
  callGraph: 'dwarf' | 'fp';
  /** Keep nginx's idle wait in epoll_wait (dropped by default; the dropped time is reported). */
  keepIdle: boolean;
  /** Stop recording when perf.data reaches this size. */
  maxMegabytes: number;
}

export interface LuaProbeSpec {
  kind: 'lua';
  id: string;
  /** jit.profile interval is 1000/frequency ms; ≤ 250 Hz (ITIMER_PROF). */
  frequency: number;
}

export interface LuaOffcpuProbeSpec {
  kind: 'lua-offcpu';
  id: string;
  /** Waits shorter than this are not recorded, µs. */
  minMicros: number;
}

export interface SystemtapProbeSpec {
  kind: 'systemtap';
  id: string;
  tool: 'sample-bt' | 'sample-bt-off-cpu' | 'ngx-sample-lua-bt';
  /** Directory holding openresty-systemtap-toolkit. */
  toolkitDir: string;
  /** Lua source root for fix-lua-bt name resolution. */
  luaSourceRoot?: string;
}

export type ProbeSpec = CpuProbeSpec | OffcpuProbeSpec | LuaProbeSpec | LuaOffcpuProbeSpec | SystemtapProbeSpec;
export type ProbeKind = ProbeSpec['kind'];

/** Metrics a threshold may name: the catalogue lives in src/metrics/. */
import type { MetricName } from '../metrics/catalogue.js';
export type { MetricName };

export interface ThresholdSpec {
  metric: MetricName;
  /** Absolute bounds on the candidate's median. */
  max?: number;
  min?: number;
  /** Relative to the baseline, in percent (e.g. 5 = may rise at most 5%). */
  maxIncreasePct?: number;
  maxDecreasePct?: number;
}

export interface VariantSpec {
  name: string;
  /** What the variant changes, for reports. */
  description?: string;
  /** Absolute directory standing in for the scenario file's directory: files and configFile are read from there. */
  root?: string;
  /** Deep-merged over the scenario (openresty and load keys). */
  overrides: { openresty?: Partial<OpenrestySpec>; load?: Partial<LoadSpec> };
}

export interface Scenario {
  /** Absolute path of the YAML file. */
  source: string;
  name: string;
  description: string;
  openresty: OpenrestySpec;
  load: LoadSpec;
  probes: ProbeSpec[];
  thresholds: ThresholdSpec[];
  variants: VariantSpec[];
  /** Interleaved repetitions per variant (A B A B …), or 'auto': pairs until the verdict is decided. */
  repeat: number | 'auto';
  /** `repeat: auto`: pairs before the first look at the data. */
  minRepeats: number;
  /** `repeat: auto`: the most pairs (runs per variant); spent → inconclusive. */
  maxRepeats: number;
  /** `repeat: auto`: the most seconds the series may take; spent → inconclusive. */
  maxSeconds: number;
  /** Name of the variant this resolved scenario is (after applying its overrides), if any. */
  variant?: string;
}
