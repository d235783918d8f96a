import type { LoadSpec } from '../scenario/types.js';
import type { LoadSettings } from '../runs/types.js';
import type { RunPlan, UnitConfig } from './protocol.js';
import { fastParserEnabled } from './fast-parser.js';

/** The knobs saturate mode turns; fixed mode uses the scenario's. */
export interface LoadLevel {
  connections: number;
  pipelining: number;
  threads: number;
}

/** Where the load goes: the nginx under test, as the loader connects to it. */
export interface ServerAddress {
  url: string;
  host: string;
  port: number;
  hostHeader: string;
}

export function parseServerAddress(baseUrl: string, spec: LoadSpec): ServerAddress {
  const u = new URL(baseUrl);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const path = spec.requests[0]?.path ?? '/';
  return { url: new URL(path, u).href, host, port, hostHeader: u.host };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Splits n as evenly as possible into k positive parts. */
export function split(n: number, k: number): number[] {
  const parts = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  return parts.map((p) => Math.max(1, p));
}

/** Seconds before the window's end at which probes are told to stop. */
export const ENDING_LEAD_SEC = 0.5;

export function buildPlan(
  spec: LoadSpec,
  server: ServerAddress,
  level: LoadLevel,
  timing: { warmupSec: number; durationSec: number },
  fastParser = fastParserEnabled(),
): RunPlan {
  const unitCount = Math.max(1, level.threads);
  const conns = split(Math.max(level.connections, unitCount), unitCount);
  const requests = spec.requests.length > 0 ? spec.requests : [{ method: 'GET', path: '/', headers: {} }];
  const units: UnitConfig[] = conns.map((connections, index) =>
    spec.mode === 'rate'
      ? {
          kind: 'paced',
          host: server.host,
          port: server.port,
          hostHeader: server.hostHeader,
          requests,
          connections,
          rate: spec.rate ?? 1,
          index,
          stride: unitCount,
          timeoutSec: spec.timeout,
        }
      : {
          kind: 'autocannon',
          url: server.url,
          requests,
          connections,
          pipelining: level.pipelining,
          timeoutSec: spec.timeout,
          fastParser,
        },
  );
  return {
    units,
    threads: level.threads > 0,
    warmupSec: timing.warmupSec,
    durationSec: timing.durationSec,
    endingLeadSec: Math.min(ENDING_LEAD_SEC, timing.durationSec / 2),
  };
}

/** Requests a closed-loop plan keeps outstanding: connections × pipelining over all its units; 0 for open loop. */
export function inFlightBound(plan: RunPlan): number {
  return plan.units.reduce((n, u) => n + (u.kind === 'autocannon' ? u.connections * u.pipelining : 0), 0);
}

export function settingsOf(spec: LoadSpec, level: LoadLevel): LoadSettings {
  return {
    mode: spec.mode,
    connections: level.connections,
    pipelining: spec.mode === 'rate' ? 1 : level.pipelining,
    threads: level.threads,
    duration: spec.duration,
    warmup: spec.warmup,
    rate: spec.mode === 'rate' ? (spec.rate ?? null) : null,
  };
}
