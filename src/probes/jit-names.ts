/** What the perf-based probes (cpu, offcpu) share to name JIT-compiled Lua code in their stacks. */
import { readFileSync } from 'node:fs';
import type { RunPaths } from '../runs/paths.js';
import { SYSTEM_LUA_ROOTS } from '../stacks/lua-paths.js';
import { UNNAMED_JIT_FRAME, type JitNaming } from './jit-frames.js';
import { exposePerfMaps, type ExposedMaps } from './perf-maps.js';

/** Runs `script` (perf script and its collapse) while the workers' perf maps are where perf looks. */
export async function withPerfMaps<T>(pids: number[], paths: RunPaths, script: () => Promise<T>): Promise<T & { maps: ExposedMaps }> {
  const maps = exposePerfMaps(pids, paths.rawDir);
  try {
    return { ...(await script()), maps };
  } finally {
    maps.release();
  }
}

/** Lua paths relative to the run's prefix and the system Lua dirs, as the lua probe shows them. */
export function luaNaming(paths: RunPaths): JitNaming {
  return {
    roots: [paths.prefix, ...SYSTEM_LUA_ROOTS],
    read: (file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
  };
}

export function isJitFrame(frame: string): boolean {
  return frame.endsWith('_[j]') || frame === UNNAMED_JIT_FRAME;
}

/** Why JIT frames may show as [jit]: workers without the agent's map. */
export function mapWarnings(maps: ExposedMaps, pids: number[]): string[] {
  const without = pids.filter((p) => !maps.agentPids.includes(p));
  if (without.length === 0) return [];
  const luajit = maps.luajitPids.length > 0 ? ` (LuaJIT's own perf map named traces by start line in ${maps.luajitPids.join(', ')})` : '';
  return [
    `no perf map from flamebench's agent for worker(s) ${without.join(', ')}${luajit}: their JIT-compiled Lua code shows as ${UNNAMED_JIT_FRAME} ` +
      '(the agent is added to configs that use Lua and have no init_worker_by_lua* of their own)',
  ];
}
