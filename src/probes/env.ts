import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ProbeAvailability } from './types.js';

const run = promisify(execFile);

export const TRACEFS = '/sys/kernel/tracing';
const LEGACY_TRACEFS = '/sys/kernel/debug/tracing';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** An executable on PATH or in the sbin directories root's PATH has and a user's often lacks. */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export function perfEventParanoid(): number | null {
  try {
    return Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
  } catch {
    return null;
  }
}

/** Where the sched tracepoints are visible, or null (tracefs not mounted). */
export function tracefsDir(): string | null {
  for (const d of [TRACEFS, LEGACY_TRACEFS]) {
    if (existsSync(path.join(d, 'events/sched/sched_switch'))) return d;
  }
  return null;
}

/** Mounts tracefs when root and missing (perf needs it for tracepoint events). Returns the error text, or null. */
export async function ensureTracefs(): Promise<string | null> {
  if (tracefsDir()) return null;
  if (!isRoot()) return 'tracefs is not mounted and only root can mount it';
  try {
    await run('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { timeout: 10_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return `mount -t tracefs nodev ${TRACEFS} failed: ${(err.stderr ?? err.message).trim()}`;
  }
  return tracefsDir() ? null : `tracefs mounted at ${TRACEFS} but events/sched/sched_switch is missing`;
}

/** `<tool> <args>` trimmed, or null when the tool is missing or does not run. */
async function versionOf(name: string, args: string[]): Promise<string | null> {
  const bin = which(name);
  if (!bin) return null;
  try {
    const { stdout } = await run(bin, args, { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return null;
  }
}

let perfVersionCache: Promise<string | null> | undefined;

/** `perf version`, or null when perf is missing or does not run (Debian's wrapper refuses a kernel it has no perf for). */
export function perfVersion(): Promise<string | null> {
  perfVersionCache ??= versionOf('perf', ['version']);
  return perfVersionCache;
}

export function bpftraceVersion(): Promise<string | null> {
  return versionOf('bpftrace', ['--version']);
}

/** Kernel debuginfo SystemTap needs for kernel stacks and most probes. */
export function kernelDebuginfo(release = os.release()): string | null {
  for (const p of [`/usr/lib/debug/boot/vmlinux-${release}`, `/usr/lib/debug/lib/modules/${release}/vmlinux`, `/boot/vmlinux-${release}`]) {
    if (existsSync(p)) return p;
  }
  return null;
}

const PARANOID_FIX = 'run as root, or: sudo sysctl kernel.perf_event_paranoid=1 (tracepoints need -1)';

/** Can perf record these workers? `tracepoints` for sched_switch. */
export async function perfAvailability(tracepoints: boolean): Promise<ProbeAvailability> {
  const v = await perfVersion();
  if (!v) {
    return {
      available: false,
      reason: which('perf') ? '`perf version` fails (no perf build for this kernel?)' : 'perf is not installed',
      fix: 'apt-get install linux-perf (Debian) / linux-tools-$(uname -r) (Ubuntu)',
    };
  }
  if (!isRoot()) {
    const p = perfEventParanoid();
    const limit = tracepoints ? -1 : 1;
    if (p === null || p > limit) {
      return { available: false, reason: `not root and kernel.perf_event_paranoid is ${p ?? 'unknown'} (needs ≤ ${limit})`, fix: PARANOID_FIX };
    }
  }
  if (tracepoints && !tracefsDir()) {
    if (isRoot()) return { available: true, reason: `tracefs is not mounted: it will be mounted at ${TRACEFS} when the probe starts` };
    return { available: false, reason: 'tracefs is not mounted', fix: `sudo mount -t tracefs nodev ${TRACEFS}` };
  }
  return { available: true };
}

export async function bpftraceAvailability(): Promise<ProbeAvailability> {
  if (!which('bpftrace')) return { available: false, reason: 'bpftrace is not installed', fix: 'apt-get install bpftrace' };
  if (!isRoot()) return { available: false, reason: 'bpftrace needs root (CAP_BPF + CAP_PERFMON)', fix: 'run flamebench as root' };
  if (!(await bpftraceVersion())) return { available: false, reason: '`bpftrace --version` fails', fix: 'reinstall bpftrace' };
  return {
    available: true,
    reason: 'bpftrace walks user stacks by frame pointer only: builds without them (Debian\'s nginx) give user stacks one or two frames deep; kernel stacks are complete',
  };
}
