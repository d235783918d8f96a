/**
 * The lua-offcpu agent's dumps (src/probes/lua/agent.lua) → folded stacks weighted in µs.
 *
 *   # flamebench lua-offcpu v1
 *   # pid=1234 clock_ns=1 waits=2301 short_waits=12 errors=0
 *   w<TAB><waits><TAB><µs waited><TAB><kind><TAB><root;…;leaf Lua frames>
 *
 * The wait kind (ngx.sleep, tcp.receive, location.capture, semaphore.wait, …) becomes the leaf
 * pseudo-frame `[wait:<kind>]`, below the Lua function that waited.
 */
import { addStack, noteSkipped, type Folded, type ParseReport } from './folded.js';
import { readHeader, type LuaDumpInfo } from './jitprofile.js';
import { eachLine } from './lines.js';

export interface LuaOffcpuResult {
  stacks: Folded;
  report: ParseReport;
  info: LuaDumpInfo;
  /** Number of waits recorded (the folded weights are µs). */
  waits: number;
  /** µs per wait kind. */
  kindUs: Record<string, number>;
}

export function collapseLuaOffcpu(text: string): LuaOffcpuResult {
  const stacks: Folded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  const info: LuaDumpInfo = { pids: [], counters: {}, files: 0 };
  const kindUs: Record<string, number> = {};
  let waits = 0;
  eachLine(text, (line, lineNo) => {
    if (line.startsWith('#')) return readHeader(line, info, 'flamebench lua-offcpu');
    const cols = line.split('\t');
    const n = Number(cols[1]);
    const us = Math.round(Number(cols[2]));
    const kind = cols[3] ?? '';
    if (cols.length < 5 || cols[0] !== 'w' || !Number.isFinite(n) || !Number.isFinite(us) || us < 0 || kind === '') {
      return noteSkipped(report, lineNo, line);
    }
    const frames = cols.slice(4).join('\t');
    const leaf = `[wait:${kind}]`;
    waits += n;
    kindUs[kind] = (kindUs[kind] ?? 0) + us;
    if (us > 0) addStack(stacks, frames === '' ? leaf : `${frames};${leaf}`, us);
  });
  return { stacks, report, info, waits, kindUs };
}
