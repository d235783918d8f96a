/**
 * Averaging over LuaJIT states. Each nginx worker process settles on its own set of LuaJIT
 * traces, so CPU per request of identical runs of Lua code is one random draw per process
 * (docs/compare.md, "LuaJIT noise"). Method 'flush' injects ./luajit-noise.lua into every
 * worker's init_worker_by_lua_block: a timer calls jit.flush() after every interval of the
 * worker's CPU time, so one run averages over many trace selections. The choice is made once per run (chooseLuajitNoise) and
 * recorded in run.json; the renderer only applies it (luajitNoiseHttpLines).
 */
import { readFileSync } from 'node:fs';
import { invalidInput } from '../errors.js';
import type { LuajitNoiseSpec, Scenario } from '../scenario/types.js';

/** What a run did about LuaJIT noise, and why (run.json `luajitNoise`, the report). */
export interface LuajitNoiseChoice {
  method: 'none' | 'flush';
  /** Flush interval in the worker's CPU time, ms; 0 for 'none'. */
  intervalMs: number;
  /** What the scenario asked for ('auto' included). */
  requested: LuajitNoiseSpec['method'];
  reason: string;
}

/** Directives that make a config run Lua (any *_by_lua*, or lua_* settings). */
const LUA_DIRECTIVE = /(^|[\s;{}])(\w+_by_lua(_block|_file)?|lua_package_path|lua_package_cpath|lua_shared_dict|lua_code_cache)\s/;
const OWN_INIT_WORKER = /(^|[\s;{}])init_worker_by_lua(_block|_file)?\s/;

export function configUsesLua(config: string): boolean {
  return LUA_DIRECTIVE.test(config);
}

/** A run is part of a comparison when it is a variant or one of several repeats. */
/**
 * Part of a comparison: a variant, or one of a whole number of repeats. `repeat: 'auto'` is the
 * scenario default and decides A/B pairs only: a scenario without variants still runs once.
 */
function comparing(s: Scenario): boolean {
  return s.variant !== undefined || s.variants.length > 0 || (typeof s.repeat === 'number' && s.repeat > 1);
}

export function chooseLuajitNoise(s: Scenario): LuajitNoiseChoice {
  const spec = s.openresty.luajitNoise;
  const flush = (reason: string): LuajitNoiseChoice => ({ method: 'flush', intervalMs: spec.intervalMs, requested: spec.method, reason });
  const none = (reason: string): LuajitNoiseChoice => ({ method: 'none', intervalMs: 0, requested: spec.method, reason });
  if (spec.method === 'none') return none('openresty.luajitNoise.method is "none"');
  const ownInitWorker = OWN_INIT_WORKER.test(s.openresty.config);
  if (spec.method === 'flush') {
    if (ownInitWorker) {
      throw invalidInput(
        'E_LUAJIT_NOISE',
        `openresty.luajitNoise "flush" needs its own init_worker_by_lua_block, but the config of ${s.name} has an init_worker_by_lua* directive`,
        'call jit.flush() from a timer in your own init_worker code and set luajitNoise.method: none, or drop yours',
      );
    }
    return flush('openresty.luajitNoise.method is "flush"');
  }
  if (!configUsesLua(s.openresty.config)) return none('auto: the config runs no Lua');
  if (!comparing(s)) return none('auto: a single run (flush is the default for variant and repeated runs only)');
  if (ownInitWorker) return none('auto: the config has its own init_worker_by_lua*, so the flush agent has no place (averaging left to repeats)');
  return flush('auto: a variant/repeated run of a config that runs Lua');
}

/** The scenario with its luajitNoise resolved to what the run does ('auto' never reaches the renderer). */
export function applyLuajitNoise(s: Scenario, choice: LuajitNoiseChoice): Scenario {
  return { ...s, openresty: { ...s.openresty, luajitNoise: { method: choice.method, intervalMs: choice.intervalMs } } };
}

let agentSource: string | undefined;
function agent(): string {
  agentSource ??= readFileSync(new URL('./luajit-noise.lua', import.meta.url), 'utf8');
  return agentSource;
}

/** How often the agent looks at the worker's CPU clock (wall time): a fifth of the interval, 5–20 ms. */
export function checkEveryMs(intervalMs: number): number {
  return Math.min(20, Math.max(5, Math.round(intervalMs / 5)));
}

/** The agent as a chunk for the body of an init_worker_by_lua_block; an error in it is logged, never fatal. */
export function luajitNoiseChunk(intervalMs: number): string {
  return [
    '    -- flamebench luajit-noise: jit.flush() every interval (src/nginx/luajit-noise.lua)',
    '    local ok, err = pcall(function(...)',
    agent(),
    `    end, ${(intervalMs / 1000).toFixed(3)}, ${(checkEveryMs(intervalMs) / 1000).toFixed(3)})`,
    '    if not ok then ngx.log(ngx.ERR, "flamebench luajit-noise failed to start: ", err) end',
  ].join('\n');
}

const INIT_WORKER_OPEN = 'init_worker_by_lua_block {\n';

/**
 * The injected http {} lines with the flush agent added: inside an init_worker_by_lua_block that
 * another injection (the Lua probes) already opens — nginx allows one per http {} — or as its own
 * block. The probes' code runs first and is not changed.
 */
export function luajitNoiseHttpLines(injected: string[], spec: LuajitNoiseSpec): string[] {
  if (spec.method !== 'flush') return injected;
  const chunk = luajitNoiseChunk(spec.intervalMs);
  const at = injected.findIndex((l) => l.includes(INIT_WORKER_OPEN));
  if (at >= 0) {
    const block = injected[at]!;
    const close = block.lastIndexOf('}');
    const merged = `${block.slice(0, close)}${chunk}\n${block.slice(close)}`;
    return [...injected.slice(0, at), merged, ...injected.slice(at + 1)];
  }
  return [...injected, `# flamebench luajit-noise (openresty.luajitNoise)\n${INIT_WORKER_OPEN}${chunk}\n}`];
}
