import path from 'node:path';
import type { RunPaths } from '../runs/paths.js';
import type { CpuProbeSpec } from '../scenario/types.js';
import { collapsePerfStream } from '../stacks/perf.js';
import type { Target } from '../target/types.js';
import { startBpftraceCpu } from './bpftrace.js';
import { bpftraceAvailability, perfAvailability } from './env.js';
import { writeProbeOutput } from './output.js';
import { perfScript, reachShare, recordNotes, startPerfRecord } from './perf.js';
import type { ProbeDriver, RunningProbe } from './types.js';

/** Size bound of a cpu recording (dwarf: ~16 KB per sample, so ~10 min at 99 Hz on 2 workers). */
export const CPU_MAX_MEGABYTES = 2048;
/** Bytes of user stack copied per dwarf sample: nginx → lua module → LuaJIT needs more than perf's 8 KB default. */
export const DWARF_STACK_BYTES = 16384;

export function cpuRecordArgs(spec: CpuProbeSpec): string[] {
  const cg = spec.callGraph === 'fp' ? ['-g'] : ['--call-graph', `dwarf,${DWARF_STACK_BYTES}`];
  return ['-e', 'cpu-clock', '-F', String(spec.frequency), ...cg];
}

export const cpuDriver: ProbeDriver<CpuProbeSpec> = {
  kind: 'cpu',
  async check(spec) {
    return spec.backend === 'bpftrace' ? bpftraceAvailability() : perfAvailability(false);
  },
  async start(spec, target, paths) {
    if (spec.backend === 'bpftrace') return startBpftraceCpu(spec, target, paths);
    return startPerfCpu(spec, target, paths);
  },
};

async function startPerfCpu(spec: CpuProbeSpec, target: Target, paths: RunPaths): Promise<RunningProbe> {
  const dataFile = path.join(paths.rawDir, `${spec.id}.perf.data`);
  const pids = [...target.workerPids];
  const rec = await startPerfRecord({ label: `probe ${spec.id} (perf record)`, dataFile, args: cpuRecordArgs(spec), pids, maxMegabytes: CPU_MAX_MEGABYTES });
  return {
    recorderPids: () => (rec.exited() ? [] : [rec.pid]),
    abort: () => rec.kill(),
    async stop() {
      await rec.stop();
      const notes = recordNotes(rec.stderr(), dataFile, CPU_MAX_MEGABYTES);
      // no period column: the collapser then counts samples (with it, it would sum ns of cpu-clock)
      const script = perfScript(dataFile, ['-F', 'comm,tid,time,event,ip,sym,dso'], `probe ${spec.id}`);
      const [{ stacks, report }] = await Promise.all([collapsePerfStream(script.stdout), script.done]);
      const warnings = [...notes.warnings];
      const mainPct = reachShare(stacks, 'main');
      if (spec.callGraph === 'fp') warnings.push('frame-pointer call graphs: stacks are garbage unless nginx and its modules were built with -fno-omit-frame-pointer');
      if (spec.callGraph === 'dwarf' && mainPct < 50) {
        warnings.push(`only ${mainPct}% of samples unwind to main: dwarf unwinding stops at LuaJIT-compiled code (no unwind info) and at frames deeper than ${DWARF_STACK_BYTES} bytes; use the lua probe for Lua-land stacks`);
      }
      return writeProbeOutput(paths, stacks, {
        id: spec.id,
        kind: spec.kind,
        unit: 'samples',
        frequencyHz: spec.frequency,
        pids,
        sampleCount: report.samples,
        report,
        truncated: notes.truncated,
        warnings,
        extra: {
          backend: 'perf',
          callGraph: spec.callGraph,
          dwarfStackBytes: spec.callGraph === 'dwarf' ? DWARF_STACK_BYTES : null,
          reachMainPct: mainPct,
          reachWorkerCyclePct: reachShare(stacks, 'ngx_worker_process_cycle'),
          rawData: path.relative(paths.dir, dataFile),
        },
      });
    },
  };
}
