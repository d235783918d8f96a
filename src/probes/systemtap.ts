import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SystemtapProbeSpec } from '../scenario/types.js';
import { isRoot, kernelDebuginfo, which } from './env.js';
import type { ProbeAvailability } from './types.js';

/** Recording runs until we stop it (SIGINT makes stap run its `end` probe, which prints the stacks). */
export const STAP_MAX_SECONDS = 900;

export interface StapDeps {
  which(name: string): string | null;
  exists(p: string): boolean;
  debuginfo(): string | null;
  isRoot(): boolean;
}

const realDeps: StapDeps = { which, exists: existsSync, debuginfo: () => kernelDebuginfo(), isRoot };

export function toolPath(spec: SystemtapProbeSpec): string {
  return path.join(spec.toolkitDir, spec.tool);
}

/** Why SystemTap cannot run, with the fix; the deps are injectable so tests can walk every branch. */
export function systemtapAvailability(spec: SystemtapProbeSpec, deps: StapDeps = realDeps): ProbeAvailability {
  if (!deps.which('stap')) {
    return { available: false, reason: 'SystemTap (stap) is not installed', fix: 'apt-get install systemtap linux-headers-$(uname -r), plus the kernel debuginfo package' };
  }
  if (!deps.debuginfo()) {
    return {
      available: false,
      reason: 'no kernel debuginfo for the running kernel (no /usr/lib/debug/boot/vmlinux-$(uname -r))',
      fix: 'install the kernel debug symbols (Debian: linux-image-$(uname -r)-dbg; Ubuntu: the -dbgsym package from ddebs), or use the perf-based probes',
    };
  }
  if (!deps.isRoot()) return { available: false, reason: 'SystemTap needs root (or the stapdev group)', fix: 'run flamebench as root' };
  const tool = toolPath(spec);
  if (!deps.exists(tool)) {
    return {
      available: false,
      reason: `${tool} not found`,
      fix: 'git clone https://github.com/openresty/openresty-systemtap-toolkit and set toolkitDir to it',
    };
  }
  return { available: true };
}

/** Command line of one toolkit run against one worker. */
export function systemtapArgs(spec: SystemtapProbeSpec, pid: number, seconds = STAP_MAX_SECONDS): { cmd: string; args: string[] } {
  const t = String(Math.max(1, Math.floor(seconds)));
  const cmd = toolPath(spec);
  switch (spec.tool) {
    case 'sample-bt':
      return { cmd, args: ['-p', String(pid), '-t', t, '-u', '-k'] };
    case 'sample-bt-off-cpu':
      return { cmd, args: ['-p', String(pid), '-t', t, '-u', '-k'] };
    case 'ngx-sample-lua-bt':
      return { cmd, args: ['--luajit20', '-p', String(pid), '-t', t] };
  }
}
