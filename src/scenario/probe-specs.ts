/** `probes:` entries (a kind, or an object with options) → ProbeSpec[] with defaults and unique ids. */
import { DEFAULTS, defaultCallGraph } from './defaults.js';
import type { RawProblem } from './problems.js';
import type { RawProbe, RawProbeObject } from './raw.js';
import type { ProbeSpec } from './types.js';
import { parseMicros } from './units.js';

function one(raw: RawProbeObject, path: string[], problems: RawProblem[]): ProbeSpec {
  const id = raw.id ?? raw.kind;
  const d = DEFAULTS.probes;
  switch (raw.kind) {
    case 'cpu':
    case 'offcpu': {
      const backend = raw.backend ?? d[raw.kind].backend;
      const callGraph = raw.callGraph ?? defaultCallGraph(backend);
      if (backend === 'bpftrace' && callGraph === 'dwarf') {
        problems.push({
          path: [...path, 'callGraph'],
          at: 'value',
          message: 'bpftrace cannot unwind stacks with dwarf',
          hint: 'use callGraph: fp (needs a build with frame pointers), or backend: perf',
        });
      }
      if (raw.kind === 'cpu') return { kind: 'cpu', id, backend, callGraph, frequency: raw.frequency ?? d.cpu.frequency };
      return {
        kind: 'offcpu',
        id,
        backend,
        callGraph,
        keepIdle: raw.keepIdle ?? d.offcpu.keepIdle,
        maxMegabytes: raw.maxMegabytes ?? d.offcpu.maxMegabytes,
      };
    }
    case 'lua':
      return { kind: 'lua', id, frequency: raw.frequency ?? d.lua.frequency };
    case 'lua-offcpu':
      return { kind: 'lua-offcpu', id, minMicros: raw.minMicros === undefined ? d['lua-offcpu'].minMicros : (parseMicros(raw.minMicros) ?? 0) };
    case 'systemtap':
      return {
        kind: 'systemtap',
        id,
        tool: raw.tool ?? d.systemtap.tool,
        toolkitDir: raw.toolkitDir ?? d.systemtap.toolkitDir,
        ...(raw.luaSourceRoot !== undefined ? { luaSourceRoot: raw.luaSourceRoot } : {}),
      };
  }
}

export function normalizeProbes(raw: RawProbe[] | undefined, problems: RawProblem[]): ProbeSpec[] {
  const out: ProbeSpec[] = [];
  const seen = new Map<string, number>();
  (raw ?? []).forEach((p, i) => {
    if (p === undefined) return; // dropped for a schema problem
    const path = ['probes', String(i)];
    const spec = one(typeof p === 'string' ? { kind: p } : p, path, problems);
    const first = seen.get(spec.id);
    if (first !== undefined) {
      problems.push({
        path: typeof p === 'string' ? path : [...path, p.id !== undefined ? 'id' : 'kind'],
        at: 'value',
        message: `probe id "${spec.id}" is already used by probes[${first}]`,
        hint: 'give one of them an `id:` (the id names stacks/<id>.folded)',
      });
    } else seen.set(spec.id, i);
    out.push(spec);
  });
  return out;
}
