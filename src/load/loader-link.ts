/**
 * What the coordinator (measured-run.ts, saturate, loader-group.ts) needs of a loader, wherever it
 * runs: a forked local child (spawn-loader.ts), a process behind a launch prefix speaking framed
 * JSON on stdio (stream-loader.ts), or a group of those (loader-group.ts).
 */
import { environmentError, type FlamebenchError } from '../errors.js';
import { toolVersion } from '../util/version.js';
import { LOADER_PROTOCOL_VERSION, type ChildMessage, type ParentMessage } from './protocol.js';

export interface LoaderLink {
  /** Local pid of the process we started (for a remote loader: its launcher, e.g. ssh); 0 for a group. */
  readonly pid: number;
  readonly pinned: boolean;
  readonly exited: boolean;
  send(m: ParentMessage): void;
  onMessage(fn: (m: ChildMessage) => void): () => void;
  onExit(fn: () => void): () => void;
  kill(): void;
  close(graceMs?: number): Promise<void>;
}

/** The hello check: a loader of another protocol (another flamebench) is refused, with both versions named. */
export function helloMismatch(m: Extract<ChildMessage, { type: 'ready' }>, where: string): FlamebenchError | null {
  if (m.protocol === LOADER_PROTOCOL_VERSION) return null;
  return environmentError(
    'E_LOADER_VERSION',
    `the loader on ${where} speaks protocol ${String(m.protocol)} (flamebench ${String(m.version)}); this flamebench ${toolVersion()} speaks protocol ${LOADER_PROTOCOL_VERSION}`,
    'Install the same flamebench version on every loader host (or point load.loaderCommand at it).',
  );
}
