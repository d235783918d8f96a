import { environmentError } from '../errors.js';
import type { RunPaths } from '../runs/paths.js';
import type { OffcpuProbeSpec } from '../scenario/types.js';
import { OffcpuPairer } from '../stacks/offcpu.js';
import type { RunningNginx } from '../nginx/types.js';
import { startBpftraceOffcpu } from './bpftrace.js';
import { callGraphArgs } from './cpu.js';
import { bpftraceAvailability, ensureTracefs, perfAvailability } from './env.js';
import { stableJitFrames } from './jit-frames.js';
import { luaNaming, withPerfMaps } from './jit-names.js';
import { offCpuTimeProbe } from './output.js';
import { forEachLine, perfScript, startPerfProbe, writePerfProbeOutput } from './perf.js';
import type { ProbeDriver, RunningProbe } from './types.js';

export function offcpuRecordArgs(spec: OffcpuProbeSpec): string[] {
  return ['-e', 'sched:sched_switch', '--switch-events', ...callGraphArgs(spec.callGraph)];
}

export const offcpuDriver: ProbeDriver<OffcpuProbeSpec> = {
  kind: 'offcpu',
  async check(spec) {
    return spec.backend === 'bpftrace' ? bpftraceAvailability() : perfAvailability(true);
  },
  async start(spec, nginx, paths) {
    const mountError = await ensureTracefs();
    if (mountError) throw environmentError('E_PROBE_TRACEFS', `probe ${spec.id}: ${mountError}`, 'sudo mount -t tracefs nodev /sys/kernel/tracing');
    if (spec.backend === 'bpftrace') return startBpftraceOffcpu(spec, nginx, paths);
    return startPerfOffcpu(spec, nginx, paths);
  },
};

function startPerfOffcpu(spec: OffcpuProbeSpec, nginx: RunningNginx, paths: RunPaths): Promise<RunningProbe> {
  return startPerfProbe(spec.id, nginx, paths, { args: offcpuRecordArgs(spec), maxMegabytes: spec.maxMegabytes }, async (rec) => {
    const { dataFile, pids } = rec;
    const paired = await withPerfMaps(pids, paths, async () => {
      const script = perfScript(dataFile, ['--show-switch-events'], `probe ${spec.id}`);
      const pairer = new OffcpuPairer({ keepIdle: spec.keepIdle });
      await Promise.all([forEachLine(script.stdout, (l) => pairer.push(l)), script.done]);
      return pairer.finish();
    });
    const { report, stats } = paired;
    // JIT code under a wait: named like the cpu probe's, [jit] when unnamed, never a pid
    const stacks = stableJitFrames(paired.stacks, luaNaming(paths)).stacks;
    const warnings: string[] = [];
    if (stats.switchOuts > 0 && stats.switchIns === 0) {
      warnings.push('no PERF_RECORD_SWITCH records: perf did not record --switch-events, so no switch-out could be paired');
    }
    if (stats.unpaired > 0) warnings.push(`${stats.unpaired} switch-out(s) had no switch-in before the recording ended and are not counted`);
    if (!spec.keepIdle && stats.idleDropped > 0) {
      warnings.push(`nginx's idle wait (epoll_wait in the event loop) was dropped: ${stats.idleDropped} waits, ${stats.idleDroppedUs} µs (keepIdle: true keeps it)`);
    }
    return writePerfProbeOutput(paths, stacks, rec, {
      ...offCpuTimeProbe(spec),
      sampleCount: stats.paired,
      report,
      warnings,
      callGraph: spec.callGraph,
      extra: {
        switchOuts: stats.switchOuts,
        paired: stats.paired,
        unpaired: stats.unpaired,
        idleDropped: stats.idleDropped,
        idleDroppedUs: stats.idleDroppedUs,
        keepIdle: spec.keepIdle,
        stateUs: stats.stateUs,
        maxMegabytes: spec.maxMegabytes,
      },
    });
  });
}
