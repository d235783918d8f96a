/**
 * The YAML shapes as the schema accepts them (friendlier than Scenario: durations with units,
 * probes as strings, `path` or `requests`, `configFile`). Only ever seen after schema validation.
 */
import type { LuajitChoice, ProbeKind } from './types.js';

export interface RawFile {
  from: string;
  to?: string;
}

export interface RawOpenresty {
  binary?: string;
  luajit?: LuajitChoice;
  workers?: number;
  cpus?: string | number[];
  config?: string;
  configFile?: string;
  configKind?: 'http' | 'full';
  variables?: Record<string, unknown>;
  files?: (string | RawFile)[];
  port?: number;
  mainDirectives?: string;
  eventsDirectives?: string;
  luajitNoise?: { method?: 'auto' | 'none' | 'flush'; interval?: number | string };
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string;
}

export interface RawSaturate {
  targetCpuPct?: number;
  maxConnections?: number;
  maxPipelining?: number;
  maxThreads?: number;
  /** The old name of maxThreads (read with a deprecation warning). */
  maxWorkers?: number;
  stepSeconds?: number | string;
  maxLatencyGrowth?: number;
}

export interface RawLoad {
  mode?: 'fixed' | 'saturate' | 'rate';
  host?: string;
  allowNonLoopback?: boolean;
  path?: string;
  requests?: (string | RawRequest)[];
  connections?: number;
  pipelining?: number;
  duration?: number | string;
  warmup?: number | string;
  rate?: number;
  timeout?: number | string;
  threads?: number;
  /** Deprecated name of `threads` (sections.ts: loadPartial converts it and warns). */
  workers?: number;
  cpus?: string | number[];
  saturate?: RawSaturate;
  hosts?: Array<'local' | string[]>;
  loaderCommand?: 'self' | string[];
}

export interface RawProbeObject {
  kind: ProbeKind;
  id?: string;
  backend?: 'perf' | 'bpftrace';
  frequency?: number;
  callGraph?: 'dwarf' | 'fp';
  keepIdle?: boolean;
  maxMegabytes?: number;
  minMicros?: number | string;
  tool?: 'sample-bt' | 'sample-bt-off-cpu' | 'ngx-sample-lua-bt';
  toolkitDir?: string;
  luaSourceRoot?: string;
}
export type RawProbe = ProbeKind | RawProbeObject;

export interface RawThresholdItem {
  metric: string;
  max?: number | string;
  min?: number | string;
  maxIncreasePct?: number;
  maxDecreasePct?: number;
}
export type RawThresholds = Record<string, string | string[]> | RawThresholdItem[];

export interface RawVariant {
  name: string;
  description?: string;
  root?: string;
  openresty?: RawOpenresty;
  load?: RawLoad;
}

export interface RawScenario {
  name?: string;
  description?: string;
  openresty: RawOpenresty;
  load?: RawLoad;
  probes?: RawProbe[];
  thresholds?: RawThresholds;
  variants?: RawVariant[];
  repeat?: number | 'auto';
  minRepeats?: number;
  maxRepeats?: number;
  maxSeconds?: number | string;
}
