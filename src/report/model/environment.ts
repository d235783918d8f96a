import YAML from 'yaml';
import type { LuajitRecord, RunManifest } from '../../runs/types.js';
import type { Fact } from './types.js';

export function environmentFacts(m: RunManifest): Fact[] {
  const e = m.environment;
  if (!e) return [{ label: 'environment', value: 'not recorded (the run stopped before it was probed)', tone: 'muted' }];
  const firstLine = e.nginxVersion.split('\n').find((l) => l.trim() !== '') ?? '';
  return [
    { label: 'nginx', value: firstLine.replace(/^nginx version:\s*/, ''), note: e.nginxBinary },
    { label: 'Lua module', value: e.luaModule ? 'yes' : 'no' },
    ...(e.luajit ? [luajitFact(e.luajit)] : []),
    { label: 'Kernel', value: e.kernel },
    { label: 'CPU', value: e.cpuModel },
    { label: 'Cores', value: String(e.cores) },
    { label: 'Host', value: e.hostname },
    { label: 'Node.js', value: e.node },
    { label: 'autocannon', value: e.autocannon },
    { label: 'perf', value: e.perf ?? 'not available' },
    { label: 'flamebench', value: e.flamebench },
  ];
}

const LUAJIT_USED: Record<LuajitRecord['used'], string> = {
  profiling: 'profiling build',
  system: 'system',
  bundled: "OpenResty's own",
  none: 'none',
};

/** Which LuaJIT ran, whether perf could name its functions, and why this one (why not the profiling build). */
export function luajitFact(l: LuajitRecord): Fact {
  const traits = [l.luajitVersion, l.symbols === true ? 'symbols' : l.symbols === false ? 'stripped' : null, l.framePointers ? 'frame pointers' : null].filter(Boolean);
  return {
    label: 'LuaJIT',
    value: `${LUAJIT_USED[l.used]}${traits.length ? ` (${traits.join(', ')})` : ''}`,
    note: `${l.reason}${l.library ? ` · ${l.library}` : ''}`,
    ...(l.used !== 'profiling' && l.symbols !== true && l.used !== 'none' ? { tone: 'warn' as const } : {}),
  };
}

/**
 * The resolved scenario as YAML, minus the config template (the nginx.conf that ran is shown on its own).
 * YAML.stringify keeps key order, so the text is deterministic.
 */
export function scenarioText(m: RunManifest): string {
  const s = m.scenario;
  const { config: _config, ...openresty } = s.openresty ?? ({} as Partial<typeof s.openresty>);
  const view = {
    name: s.name,
    description: s.description,
    ...(s.variant ? { variant: s.variant } : {}),
    source: s.source,
    openresty,
    load: s.load,
    probes: s.probes,
    thresholds: s.thresholds,
    ...(s.variants?.length ? { variants: s.variants.map((v) => v.name) } : {}),
    repeat: s.repeat,
  };
  return YAML.stringify(view, { lineWidth: 0 });
}
