/**
 * The raw dumps the Lua probes' injected agent writes (src/probes/lua/agent.lua), one file per
 * worker, → folded stacks. Format, tab-separated, one aggregated stack per line:
 *
 *   # flamebench jit.profile v1
 *   # pid=1234 interval_ms=4 callbacks=812 flagged_callbacks=40 flagged_samples=97 errors=0
 *   s<TAB><count><TAB><vmstate><TAB><root;…;leaf frames from dumpstack "pFZ;">
 *   f<TAB><count><TAB><vmstate><TAB><frames>
 *
 * `s` lines are samples the profiler attributes to that stack (one per callback); `f` lines are
 * the extra samples of callbacks that reported samples > 1: time the worker spent in nginx C code
 * that LuaJIT charges to the next Lua entry. They are kept apart under their own root frame,
 * never mixed into the Lua stacks they were charged to.
 */
import { addStack, noteSkipped, type Folded, type ParseReport } from './folded.js';
import { eachLine } from './lines.js';

export const CHARGED_C_TIME_FRAME = '[nginx C time charged to next Lua entry]';

const VM_STATES: Record<string, string> = {
  N: '[vm:compiled]',
  I: '[vm:interpreted]',
  C: '[vm:C]',
  G: '[vm:GC]',
  J: '[vm:JIT-compiler]',
};

export function vmStateFrame(state: string): string {
  return VM_STATES[state] ?? `[vm:${state}]`;
}

/** Numbers from the `# key=value` header lines, summed over the files of all workers. */
export interface LuaDumpInfo {
  pids: number[];
  counters: Record<string, number>;
  /** Files (workers) seen: one header per file. */
  files: number;
}

export interface JitProfileResult {
  stacks: Folded;
  report: ParseReport;
  info: LuaDumpInfo;
  /** Samples in `s` lines and in `f` lines. */
  samples: number;
  flaggedSamples: number;
}

/** Accepts one worker's dump or several concatenated: each header adds to info. */
export function collapseJitProfile(text: string): JitProfileResult {
  const stacks: Folded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  const info: LuaDumpInfo = { pids: [], counters: {}, files: 0 };
  let samples = 0;
  let flaggedSamples = 0;
  eachLine(text, (line, lineNo) => {
    if (line.startsWith('#')) return readHeader(line, info, 'flamebench jit.profile');
    const cols = line.split('\t');
    const count = Number(cols[1]);
    if (cols.length < 4 || (cols[0] !== 's' && cols[0] !== 'f') || !Number.isFinite(count) || count <= 0) {
      return noteSkipped(report, lineNo, line);
    }
    // a frame may not contain ';' inside the folded format; the tab split keeps spaces intact
    const frames = cols.slice(3).join('\t');
    const leaf = vmStateFrame(cols[2] as string);
    const base = frames === '' ? leaf : `${frames};${leaf}`;
    if (cols[0] === 's') {
      samples += count;
      addStack(stacks, base, count);
    } else {
      flaggedSamples += count;
      addStack(stacks, `${CHARGED_C_TIME_FRAME};${base}`, count);
    }
  });
  return { stacks, report, info, samples, flaggedSamples };
}

/** `# flamebench <format> v1` starts a file; `# k=v k=v` lines carry counters (pid is collected, not summed). */
export function readHeader(line: string, info: LuaDumpInfo, magic: string): void {
  const body = line.slice(1).trim();
  if (body.startsWith(magic)) {
    info.files++;
    return;
  }
  for (const kv of body.split(/\s+/)) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    const key = kv.slice(0, eq);
    const value = Number(kv.slice(eq + 1));
    if (!Number.isFinite(value)) continue;
    if (key === 'pid') info.pids.push(value);
    else info.counters[key] = (info.counters[key] ?? 0) + value;
  }
}
