import type { RunPaths } from '../runs/paths.js';
import type { CpuProbeSpec } from '../scenario/types.js';
import { totalWeight } from '../stacks/folded.js';
import { collapsePerfStream } from '../stacks/perf.js';
import type { RunningNginx } from '../nginx/types.js';
import { startBpftraceCpu } from './bpftrace.js';
import { bpftraceAvailability, perfAvailability } from './env.js';
import { isJitFrame, luaNaming, mapWarnings, withPerfMaps } from './jit-names.js';
import { leafShare, namedLeafShare, stableJitFrames } from './jit-frames.js';
import { sampledProbe } from './output.js';
import { perfScript, reachShare, shareMatching, startPerfProbe, writePerfProbeOutput } from './perf.js';
import type { ProbeDriver, RunningProbe } from './types.js';

/** Size bound of a cpu recording (dwarf: ~16 KB per sample, so ~10 min at 99 Hz on 2 workers). */
export const CPU_MAX_MEGABYTES = 2048;
/**
 * Bytes of user stack copied per dwarf sample. Measured here (nginx 1.22 + lua module, Lua-heavy
 * handler): samples that do not sit in LuaJIT-compiled code reach main with 4 KB already, and
 * 16 or 32 KB do not unwind through JIT code either (it has no unwind info); the size only costs.
 */
export const DWARF_STACK_BYTES = 8192;

/** perf record's call-graph arguments (the cpu and offcpu probes unwind alike). */
export function callGraphArgs(callGraph: CpuProbeSpec['callGraph']): string[] {
  return callGraph === 'fp' ? ['-g'] : ['--call-graph', `dwarf,${DWARF_STACK_BYTES}`];
}

export function cpuRecordArgs(spec: CpuProbeSpec): string[] {
  return ['-e', 'cpu-clock', '-F', String(spec.frequency), ...callGraphArgs(spec.callGraph)];
}

export const cpuDriver: ProbeDriver<CpuProbeSpec> = {
  kind: 'cpu',
  async check(spec) {
    return spec.backend === 'bpftrace' ? bpftraceAvailability() : perfAvailability(false);
  },
  async start(spec, nginx, paths) {
    if (spec.backend === 'bpftrace') return startBpftraceCpu(spec, nginx, paths);
    return startPerfCpu(spec, nginx, paths);
  },
};

function startPerfCpu(spec: CpuProbeSpec, nginx: RunningNginx, paths: RunPaths): Promise<RunningProbe> {
  return startPerfProbe(spec.id, nginx, paths, { args: cpuRecordArgs(spec), maxMegabytes: CPU_MAX_MEGABYTES }, async (rec) => {
    const { dataFile, pids } = rec;
    // kernel: true tags kernel frames `_[k]` so the flame graph colours them apart from nginx's C;
    // jit: true tags code named from perf maps `_[j]` (JIT palette), renamed stably below.
    // no period column: the collapser then counts samples (with it, it would sum ns of cpu-clock)
    const { stacks: raw, report, maps } = await withPerfMaps(pids, paths, async () => {
      const script = perfScript(dataFile, ['-F', 'comm,tid,time,event,ip,sym,dso'], `probe ${spec.id}`);
      const [collapsed] = await Promise.all([collapsePerfStream(script.stdout, { kernel: true, jit: true }), script.done]);
      return collapsed;
    });
    const naming = stableJitFrames(raw, luaNaming(paths));
    const stacks = naming.stacks;
    const mainPct = reachShare(stacks, 'main');
    const jitPct = shareMatching(stacks, isJitFrame);
    const warnings = jitPct > 0 ? mapWarnings(maps, pids) : [];
    const strippedPct = leafShare(stacks, (f) => /^\[libluajit[^\]]*\]$/.test(f));
    if (strippedPct >= 5) {
      warnings.push(
        `${strippedPct}% of samples end in [libluajit…]: this LuaJIT is stripped, so perf cannot name its functions; \`flamebench build luajit\` builds one with symbols, which openresty.luajit: auto then uses`,
      );
    }
    if (spec.callGraph === 'fp') warnings.push('frame-pointer call graphs: stacks are garbage unless nginx and its modules were built with -fno-omit-frame-pointer');
    if (spec.callGraph === 'dwarf' && mainPct < 50) {
      warnings.push(
        `only ${mainPct}% of samples unwind to main: ${jitPct}% were in LuaJIT-compiled code, where dwarf unwinding stops (no unwind info); use the lua probe for Lua-land stacks`,
      );
    }
    const total = totalWeight(stacks);
    return writePerfProbeOutput(paths, stacks, rec, {
      ...sampledProbe(spec),
      sampleCount: report.samples,
      report,
      warnings,
      callGraph: spec.callGraph,
      extra: {
        dwarfStackBytes: spec.callGraph === 'dwarf' ? DWARF_STACK_BYTES : null,
        reachMainPct: mainPct,
        reachWorkerCyclePct: reachShare(stacks, 'ngx_worker_process_cycle'),
        jitCodePct: jitPct,
        namedLeafPct: namedLeafShare(stacks),
        unnamedJitLeafPct: total === 0 ? 0 : Math.round((naming.unnamedLeafWeight / total) * 1000) / 10,
        jitNames: maps.agentPids.length > 0 ? 'agent' : maps.luajitPids.length > 0 ? 'luajit-perftools' : 'none',
      },
    });
  });
}
