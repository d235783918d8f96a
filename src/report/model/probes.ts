import type { ProbeStatus, StackUnit } from '../../runs/types.js';
import { totalWeight, type Folded } from '../../stacks/folded.js';
import type { ProbeOnDisk } from '../../runs/load.js';
import { formatCount, formatShare, formatUs } from '../../util/format.js';
import { leafStates, topFramesBySelf } from './frames.js';
import type { Fact, FlameView, ProbeView, Tone, TopFrameRow } from './types.js';

/** What the report asks of a flame-graph renderer; the real one lives in src/flamegraph/. */
export interface FlameRequest {
  folded: Folded;
  title: string;
  subtitle: string;
  countName: string;
  idPrefix: string;
}
export type FlameRenderer = (req: FlameRequest) => string;

export const TOP_FRAMES = 20;

const KIND_LABEL: Record<string, string> = {
  cpu: 'on-CPU, C stacks (perf)',
  offcpu: 'off-CPU, C stacks (perf sched_switch)',
  lua: 'on-CPU, Lua stacks (LuaJIT jit.profile)',
  'lua-offcpu': 'off-CPU, Lua stacks',
  systemtap: 'SystemTap',
};

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

function unitLabel(unit: StackUnit | undefined): string {
  return unit === 'microseconds' ? 'µs' : unit === 'samples' ? 'samples' : 'unknown';
}

/** A weight in the probe's unit, for tables. */
function formatWeight(w: number, unit: StackUnit | undefined): string {
  return unit === 'microseconds' ? formatUs(w) : formatCount(w);
}

/** An HTML id that is safe whatever the probe id holds (probe ids come from the scenario). */
export function probeAnchor(index: number, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `probe-${index}${safe ? `-${safe}` : ''}`;
}

export function topFrameRows(folded: Folded, unit: StackUnit | undefined, limit = TOP_FRAMES, unmarked: 'native' | 'lua' = 'native'): TopFrameRow[] {
  const total = totalWeight(folded);
  const top = topFramesBySelf(folded, limit, unmarked);
  const maxSelf = top[0]?.self ?? 0;
  return top.map((f, i) => ({
    rank: i + 1,
    name: f.display,
    kind: f.kind,
    self: formatWeight(f.self, unit),
    selfPct: formatShare(f.self, total),
    selfBar: maxSelf > 0 ? ((100 * f.self) / maxSelf).toFixed(1) : '0',
    total: formatWeight(f.total, unit),
    totalPct: formatShare(f.total, total),
  }));
}

/** The meta keys a reader of the graph needs (what share of it is named, how deep it unwinds), in words. */
function headlineExtras(extra: Record<string, unknown>): Fact[] {
  const pct = (k: string) => (typeof extra[k] === 'number' ? (extra[k] as number) : null);
  const out: Fact[] = [];
  const named = pct('namedLeafPct');
  if (named !== null) out.push({ label: 'named leaves', value: `${named}%`, ...(named < 50 ? { tone: 'warn' as const } : {}) });
  const main = pct('reachMainPct');
  if (main !== null) out.push({ label: 'stacks reaching main', value: `${main}%` });
  const jit = pct('jitCodePct');
  if (jit !== null && jit > 0) out.push({ label: 'through JIT code', value: `${jit}%` });
  return out;
}

const STATUS_TONE: Record<ProbeStatus['status'], Tone> = { ok: 'ok', failed: 'bad', unavailable: 'warn', skipped: 'muted' };

export function probeView(p: ProbeOnDisk, index: number, scenarioName: string, render: FlameRenderer | null, rendererMissing: string): ProbeView {
  const st = p.status;
  const meta = p.meta;
  const unit = meta?.unit ?? st.unit;
  const anchor = probeAnchor(index, st.id);
  const facts: Fact[] = [{ label: 'kind', value: kindLabel(st.kind) }];
  if (unit) facts.push({ label: 'unit', value: unitLabel(unit) });
  const samples = meta?.sampleCount ?? st.samples;
  if (samples !== undefined) facts.push({ label: 'samples', value: formatCount(samples) });
  const weight = meta?.totalWeight ?? st.totalWeight ?? (p.folded ? totalWeight(p.folded) : undefined);
  if (weight !== undefined && unit === 'microseconds') facts.push({ label: 'total off-CPU time', value: formatUs(weight) });
  // The probe's own bookkeeping (pids, every meta key) is for whoever debugs a probe: in a closed details block.
  const details: Fact[] = [];
  if (meta) {
    if (meta.frequencyHz !== null) facts.push({ label: 'frequency', value: `${meta.frequencyHz} Hz` });
    facts.push(...headlineExtras(meta.extra ?? {}));
    if (meta.skippedLines > 0) facts.push({ label: 'skipped lines', value: formatCount(meta.skippedLines), tone: 'warn' });
    if (meta.truncated) facts.push({ label: 'truncated', value: 'yes: the recorder stopped at its size/time bound', tone: 'warn' });
    details.push({ label: 'distinct stacks', value: formatCount(meta.stacks) });
    if (meta.pids.length) details.push({ label: 'pids', value: meta.pids.join(', ') });
    for (const [k, v] of Object.entries(meta.extra ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      details.push({ label: k, value: typeof v === 'string' ? v : JSON.stringify(v) });
    }
  }
  const warnings = [...new Set([...st.warnings, ...(meta?.warnings ?? []), ...p.problems])];
  if (p.foldedReport && p.foldedReport.skipped > 0) {
    warnings.push(`${p.foldedReport.skipped} line(s) of the folded file were not understood and skipped: ${p.foldedReport.examples.join(' | ')}`);
  }

  let flame: FlameView | null = null;
  let topFrames: TopFrameRow[] = [];
  let topFramesNote = '';
  if (p.folded && p.folded.size > 0) {
    topFrames = topFrameRows(p.folded, unit, TOP_FRAMES, st.kind.startsWith('lua') ? 'lua' : 'native');
    const total = totalWeight(p.folded);
    const states = leafStates(p.folded);
    topFramesNote = `Self = ${unitLabel(unit)} where the frame is the leaf (on top of the stack); total = ${unitLabel(unit)} of every stack the frame appears in. Percentages are of all ${formatWeight(total, unit)}${unit === 'microseconds' ? '' : ' samples'} of this probe.`;
    if (states.length > 0) {
      topFramesNote += ' State pseudo-frames such as [vm:GC] or [state:R] are not counted as leaves: their time is self time of the function under them.';
      facts.push({ label: 'leaf state', value: states.map((s) => `${s.state.slice(1, -1)} ${formatShare(s.weight, total, 1)}`).join(' · ') });
    }
    if (st.status === 'ok') {
      if (render) {
        try {
          flame = {
            svg: render({
              folded: p.folded,
              title: st.id === st.kind ? kindLabel(st.kind) : `${st.id}: ${kindLabel(st.kind)}`,
              subtitle: `${scenarioName}${samples !== undefined ? ` · ${formatCount(samples)} samples` : ''}${unit === 'microseconds' ? ' · width = off-CPU time (µs)' : ' · width = samples'} · click to zoom, Search for regex`,
              countName: unit === 'microseconds' ? 'µs' : 'samples',
              idPrefix: `fg${index}-`,
            }),
            notice: null,
          };
        } catch (e) {
          flame = { svg: null, notice: `The flame graph could not be rendered: ${(e as Error).message}` };
        }
      } else {
        flame = { svg: null, notice: rendererMissing };
      }
    }
  } else if (st.status === 'ok') {
    flame = { svg: null, notice: 'This probe recorded no stacks (the folded file is empty or missing).' };
  }

  return {
    anchor,
    id: st.id,
    kind: st.kind,
    status: st.status,
    tone: STATUS_TONE[st.status],
    unit: unitLabel(unit),
    unitKnown: unit !== undefined,
    facts,
    details,
    error: st.error ?? null,
    warnings,
    flame,
    topFrames,
    topFramesNote,
    foldedFile: p.folded && p.folded.size > 0 ? foldedLink(st.folded) : null,
  };
}

/** The probe's folded file relative to report.html (which sits in the run directory); only a path inside the run directory is linked. */
function foldedLink(rel: string | undefined): string | null {
  if (!rel || rel.startsWith('/') || rel.split(/[\\/]/).includes('..') || /^[a-z][a-z0-9+.-]*:/i.test(rel)) return null;
  return rel;
}
