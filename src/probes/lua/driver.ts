import { relativizeLuaFrames, SYSTEM_LUA_ROOTS } from '../../stacks/lua-paths.js';
import type { Folded } from '../../stacks/folded.js';
import { writeProbeOutput, type ProbeOutput } from '../output.js';
import type { ProbeAvailability, ProbeDriver, ProbeEnv } from '../types.js';
import { LuaControl, type CollectedDumps } from './control.js';
import { luaInjection, type LuaSpec } from './inject.js';

export function luaAvailability(env: ProbeEnv): ProbeAvailability {
  if (!env.nginx) return { available: false, reason: 'no nginx/openresty found', fix: 'install openresty, or nginx + libnginx-mod-http-lua' };
  if (!env.nginx.luaModule) {
    return { available: false, reason: `${env.nginx.binary} has no Lua module`, fix: 'apt-get install libnginx-mod-http-lua (Debian), or use openresty' };
  }
  return { available: true };
}

/** What one Lua probe makes of its workers' dumps; the rest of its output is the same for both. */
export type LuaFinish<S extends LuaSpec> = (
  spec: S,
  dumps: CollectedDumps,
) => Omit<ProbeOutput, 'id' | 'kind' | 'pids' | 'truncated'> & { stacks: Folded };

/**
 * Both Lua probes record inside nginx (the agent injected into the config), so they share the
 * driver: start/stop by control file, no recorder process, frames relative to the Lua roots.
 */
export function luaAgentDriver<S extends LuaSpec>(kind: S['kind'], finish: LuaFinish<S>): ProbeDriver<S> {
  return {
    kind,
    async check(_spec, env) {
      return luaAvailability(env);
    },
    inject(spec, paths) {
      return luaInjection([spec], paths);
    },
    async start(spec, nginx, paths) {
      const control = new LuaControl(paths, spec.id);
      await control.start();
      return {
        recorderPids: () => [],
        abort: () => control.abort(),
        async stop() {
          const dumps = await control.stop(nginx.workerPids);
          const { stacks, ...output } = finish(spec, dumps);
          return writeProbeOutput(paths, relativizeLuaFrames(stacks, [paths.prefix, ...SYSTEM_LUA_ROOTS]), {
            id: spec.id,
            kind: spec.kind,
            pids: dumps.pids,
            truncated: false,
            ...output,
          });
        },
      };
    },
  };
}
