import { environmentError } from '../errors.js';
import type { RunPaths } from '../runs/paths.js';
import type { CpuProbeSpec, OffcpuProbeSpec } from '../scenario/types.js';
import type { Target } from '../target/types.js';
import type { RunningProbe } from './types.js';

export async function startBpftraceCpu(spec: CpuProbeSpec, _t: Target, _p: RunPaths): Promise<RunningProbe> {
  throw environmentError('E_PROBE_UNAVAILABLE', `probe ${spec.id}: bpftrace backend not wired yet`);
}
export async function startBpftraceOffcpu(spec: OffcpuProbeSpec, _t: Target, _p: RunPaths): Promise<RunningProbe> {
  throw environmentError('E_PROBE_UNAVAILABLE', `probe ${spec.id}: bpftrace backend not wired yet`);
}
