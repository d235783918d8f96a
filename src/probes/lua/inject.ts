import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunPaths } from '../../runs/paths.js';
import type { LuaOffcpuProbeSpec, LuaProbeSpec } from '../../scenario/types.js';
import type { ConfigInjection } from '../../nginx/types.js';

/** How often each worker reads the control files, seconds: the start/stop latency of the Lua probes. */
export const POLL_SECONDS = 0.05;
/** jit.profile uses ITIMER_PROF: finer than 4 ms is not delivered reliably. */
export const MAX_LUA_HZ = 250;

export type LuaSpec = LuaProbeSpec | LuaOffcpuProbeSpec;

export function controlFile(paths: RunPaths, id: string): string {
  return path.join(paths.rawDir, `${id}.ctl`);
}

/** Each worker writes <prefix><pid>.txt. */
export function dumpPrefix(paths: RunPaths, id: string): string {
  return path.join(paths.rawDir, `${id}-`);
}

export function intervalMs(frequency: number): number {
  return Math.max(Math.ceil(1000 / MAX_LUA_HZ), Math.round(1000 / Math.max(1, frequency)));
}

let agentSource: string | undefined;
function agent(): string {
  agentSource ??= readFileSync(new URL('./agent.lua', import.meta.url), 'utf8');
  return agentSource;
}

/** A Lua string literal that survives any path: everything outside printable ASCII is a \ddd escape. */
export function luaString(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch === 0x22 || ch === 0x5c) out += `\\${String.fromCharCode(ch)}`;
    else if (ch >= 0x20 && ch < 0x7f) out += String.fromCharCode(ch);
    else out += `\\${ch}`;
  }
  return `${out}"`;
}

function probeTable(spec: LuaSpec, paths: RunPaths): string {
  const common = `kind = ${luaString(spec.kind)}, id = ${luaString(spec.id)}, control = ${luaString(controlFile(paths, spec.id))}, out_prefix = ${luaString(dumpPrefix(paths, spec.id))}`;
  return spec.kind === 'lua'
    ? `{ ${common}, interval_ms = ${intervalMs(spec.frequency)} }`
    : `{ ${common}, min_us = ${Math.max(0, Math.floor(spec.minMicros))} }`;
}

/** Each worker writes the perf map of its JIT traces to <prefix><pid>.map (see agent.lua). */
export function perfMapPrefix(paths: RunPaths): string {
  return path.join(paths.rawDir, 'perf-');
}

export interface AgentOptions {
  /** Write a perf map of JIT traces (for the perf-based probes). */
  perfMap: boolean;
}

/**
 * One init_worker_by_lua_block for all Lua probes and the perf map writer: nginx allows a single
 * one per http {}. (A scenario config with its own init_worker_by_lua* cannot use the Lua
 * probes: nginx -t reports the directive as duplicate.)
 */
export function luaInjection(specs: LuaSpec[], paths: RunPaths, opts: AgentOptions = { perfMap: false }): ConfigInjection {
  if (specs.length === 0 && !opts.perfMap) return { main: [], http: [] };
  const perfMap = opts.perfMap ? `, perf_map = ${luaString(perfMapPrefix(paths))}` : '';
  const cfg = `{ poll = ${POLL_SECONDS}${perfMap}, probes = { ${specs.map((s) => probeTable(s, paths)).join(', ')} } }`;
  const block = [
    '# flamebench agent (jit.profile sampling / wait timing / perf map of JIT traces), controlled through files in raw/',
    'init_worker_by_lua_block {',
    '    local ok, err = pcall(function(...)',
    agent(),
    `    end, ${cfg})`,
    '    if not ok then ngx.log(ngx.ERR, "flamebench agent failed to start: ", err) end',
    '}',
  ].join('\n');
  return { main: [], http: [block] };
}
