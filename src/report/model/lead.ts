/**
 * What a reader of a Lua scenario's report wants first: the graph that tells the most, and one
 * line saying where the time goes. Pure: folded stacks in, view model out.
 */
import { totalWeight, type Folded } from '../../stacks/folded.js';
import { isStateFrame } from '../../stacks/state-frames.js';
import type { ProbeOnDisk } from '../../runs/load.js';
import { formatShare } from '../../util/format.js';
import { topFramesBySelf, type FrameKind } from './frames.js';
import { kindLabel } from './probes.js';

/** A C-level frame that is Lua running: JIT-compiled code, LuaJIT's VM and library, or the Lua module driving it. */
const LUA_C_FRAME = /(_\[j\]$|^lj_|^lua_|^luaL_|^luaJIT_|^\[libluajit|^\[jit\]$|^ngx_http_lua_run_thread$)/;

/** Share (0..1) of a C-level profile whose stack is in Lua code; null without samples. */
export function luaShareOfC(folded: Folded): number | null {
  const total = totalWeight(folded);
  if (total === 0) return null;
  let lua = 0;
  for (const [stack, w] of folded) if (stack.split(';').some((f) => LUA_C_FRAME.test(f))) lua += w;
  return lua / total;
}

export interface ProbeOrder {
  /** Indices into the run's probes, in the order the report shows them. */
  order: number[];
  /** Why the first one is first (empty when the order is the scenario's). */
  note: string;
}

const usable = (p: ProbeOnDisk) => p.status.status === 'ok' && !!p.folded && p.folded.size > 0;

/**
 * The Lua-land graph (probe kind lua) leads when most on-CPU samples are in Lua code (by the cpu
 * probe's C stacks; without a cpu probe, whenever the lua probe has samples): its frames are the
 * functions the user wrote. Otherwise the scenario's order stays (the C graph first, as written).
 */
export function probeOrder(probes: ProbeOnDisk[]): ProbeOrder {
  const natural = probes.map((_, i) => i);
  const lua = probes.findIndex((p) => p.status.kind === 'lua' && usable(p));
  if (lua < 0) return { order: natural, note: '' };
  const cpu = probes.find((p) => p.status.kind === 'cpu' && usable(p));
  const share = cpu?.folded ? luaShareOfC(cpu.folded) : null;
  if (share !== null && share < 0.5) return { order: natural, note: '' };
  const note =
    share === null
      ? 'The Lua-land graph comes first: it shows the Lua functions this scenario runs.'
      : `The Lua-land graph comes first: ${Math.round(share * 100)}% of the on-CPU samples of probe ${cpu?.status.id} are in Lua code (JIT-compiled traces, the LuaJIT VM).`;
  return { order: [lua, ...natural.filter((i) => i !== lua)], note };
}

export interface WhereTimeFrame {
  name: string;
  kind: FrameKind;
  share: string;
}

export interface WhereTimeRow {
  probe: string;
  anchor: string;
  label: string;
  frames: WhereTimeFrame[];
}

export const WHERE_TIME_FRAMES = 3;

/**
 * Off-CPU C stacks all end in the kernel's scheduler (__schedule under a [state:…] leaf): the
 * telling frame is the last one in user space, where the wait began. Stacks without one stay.
 */
export function userSpaceLeaves(folded: Folded): Folded {
  const out: Folded = new Map();
  for (const [stack, w] of folded) {
    const frames = stack.split(';');
    let last = frames.length - 1;
    while (last >= 0 && (frames[last]!.endsWith('_[k]') || isStateFrame(frames[last]!))) last--;
    const key = last < 0 ? stack : frames.slice(0, last + 1).join(';');
    out.set(key, (out.get(key) ?? 0) + w);
  }
  return out;
}

/** The top self frames of every probe with stacks, in display order: the report's "where the time goes". */
export function whereTimeGoes(probes: ProbeOnDisk[], order: number[], anchors: string[]): WhereTimeRow[] {
  const rows: WhereTimeRow[] = [];
  for (const i of order) {
    const p = probes[i] as ProbeOnDisk;
    if (!usable(p) || !p.folded) continue;
    const total = totalWeight(p.folded);
    const offcpuC = p.status.kind === 'offcpu';
    const folded = offcpuC ? userSpaceLeaves(p.folded) : p.folded;
    const top = topFramesBySelf(folded, WHERE_TIME_FRAMES, p.status.kind.startsWith('lua') ? 'lua' : 'native');
    rows.push({
      probe: p.status.id,
      anchor: anchors[i] as string,
      label: `${kindLabel(p.status.kind)}${offcpuC ? ', where the wait began in user space' : ''}`,
      frames: top.map((f) => ({ name: f.display, kind: f.kind, share: formatShare(f.self, total, 1) })),
    });
  }
  return rows;
}
