/**
 * Messages between runLoad (parent) and the loader child process, and between the child and its
 * load units (in-process or in worker threads). Plain data only: everything crosses IPC.
 */
import type { RequestSpec } from '../scenario/types.js';

/** What one load unit counted over one interval (one second, or less for the last one). */
export interface IntervalSnapshot {
  /** Completed responses, any status. */
  requests: number;
  connectionErrors: number;
  /** Connections the server closed (or answered with unparseable bytes) while requests were unanswered, without announcing the close. */
  closedWithoutResponse: number;
  /** Requests pipelined behind a response that announced Connection: close: never answered, not errors. */
  discardedAtClose: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  bytes: number;
  /** Latency µs (from the intended send time in rate mode), hdr compressed base64; '' when empty. */
  histogram: string;
  /** Rate mode: service time µs (from the actual write), for comparison; '' otherwise. */
  serviceHistogram: string;
}

export interface AutocannonUnitConfig {
  kind: 'autocannon';
  url: string;
  requests: RequestSpec[];
  connections: number;
  pipelining: number;
  timeoutSec: number;
  /** Replace autocannon's http-parser-js with our framing-only parser (see fast-parser.ts). */
  fastParser: boolean;
}

export interface PacedUnitConfig {
  kind: 'paced';
  host: string;
  port: number;
  hostHeader: string;
  requests: RequestSpec[];
  connections: number;
  /** Requests per second of all paced units together. */
  rate: number;
  /** With `stride` units, this unit owns requests index, index+stride, … of the common schedule. */
  index: number;
  stride: number;
  timeoutSec: number;
}

export type UnitConfig = AutocannonUnitConfig | PacedUnitConfig;

/** One load run inside the child: warm-up, then the measured window. */
export interface RunPlan {
  units: UnitConfig[];
  /** Run units in worker threads (one thread per unit) rather than on the child's main thread. */
  threads: boolean;
  warmupSec: number;
  durationSec: number;
  /** Seconds before the window's end at which the child says 'ending' (probes stop then). */
  endingLeadSec: number;
}

export type LoadPhase = 'warmup' | 'measure';

/**
 * Bumped whenever a message changes shape. A coordinator refuses a loader that says another
 * number in its hello (its 'ready'): a remote host may run another flamebench.
 */
export const LOADER_PROTOCOL_VERSION = 2;

export type ParentMessage =
  | { type: 'run'; plan: RunPlan }
  /** Start the warm-up: sent once every loader said 'units-ready', so several loaders start together. */
  | { type: 'go' }
  | { type: 'measure' }
  | { type: 'finish' }
  | { type: 'abort' }
  | { type: 'exit' };

export type ChildMessage =
  /** The hello: the first message of every loader, local or remote. */
  | { type: 'ready'; protocol: number; version: string; hostname: string }
  /** Its units are connected-ready for a 'run'; the loader waits for 'go'. */
  | { type: 'units-ready' }
  /** cpuUs: the loader process's CPU time so far (user + system), for per-loader CPU on any host. */
  | { type: 'tick'; phase: LoadPhase; second: number; intervalMs: number; snaps: IntervalSnapshot[]; cpuUs: number }
  | { type: 'warmup-done' }
  | { type: 'measure-started' }
  | { type: 'ending' }
  | { type: 'window-done' }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

/** Unit worker thread protocol. */
export type UnitRequest = { type: 'tick'; id: number } | { type: 'stop'; id: number } | { type: 'begin'; epochUs: number };
export type UnitReply = { type: 'ready' } | { type: 'snapshot'; id: number; snap: IntervalSnapshot } | { type: 'error'; message: string };

export function emptySnapshot(): IntervalSnapshot {
  return { requests: 0, connectionErrors: 0, closedWithoutResponse: 0, discardedAtClose: 0, timeouts: 0, non2xx: 0, statusCodes: {}, bytes: 0, histogram: '', serviceHistogram: '' };
}
