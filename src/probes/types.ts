import type { RunPaths } from '../runs/paths.js';
import type { ProbeMeta } from '../runs/types.js';
import type { ProbeSpec } from '../scenario/types.js';
import type { ConfigInjection, NginxInstallation, RunningNginx } from '../nginx/types.js';

export interface ProbeAvailability {
  available: boolean;
  /** Why not, in one sentence. */
  reason?: string;
  /** What to do about it. */
  fix?: string;
}

export interface ProbeEnv {
  isRoot: boolean;
  nginx: NginxInstallation | null;
}

export interface ProbeResult {
  /** Folded text written to stacks/<id>.folded by the probe itself. */
  meta: ProbeMeta;
}

export interface RunningProbe {
  /** Stops recording, post-processes and writes stacks/<id>.folded + .meta.json. */
  stop(): Promise<ProbeResult>;
  /** Emergency stop on Ctrl-C / error: kill recorders, no post-processing. Idempotent. */
  abort(): Promise<void>;
  /** Pids of the probe's own recorder processes (their CPU is accounted separately). */
  recorderPids(): number[];
}

/** One probe kind. The registry maps ProbeSpec.kind to these. */
export interface ProbeDriver<S extends ProbeSpec = ProbeSpec> {
  kind: S['kind'];
  check(spec: S, env: ProbeEnv): Promise<ProbeAvailability>;
  /** Config the probe needs in nginx.conf (before nginx starts). */
  inject?(spec: S, paths: RunPaths): ConfigInjection;
  /** Start recording at the start of the measured window. */
  start(spec: S, nginx: RunningNginx, paths: RunPaths): Promise<RunningProbe>;
}

