import type { LuaProbeSpec } from '../../scenario/types.js';
import { collapseJitProfile } from '../../stacks/jitprofile.js';
import { relativizeLuaFrames, SYSTEM_LUA_ROOTS } from '../../stacks/lua-paths.js';
import { writeProbeOutput } from '../output.js';
import type { ProbeAvailability, ProbeDriver, ProbeEnv } from '../types.js';
import { LuaControl } from './control.js';
import { MAX_LUA_HZ, intervalMs, luaInjection } from './inject.js';

export function luaAvailability(env: ProbeEnv): ProbeAvailability {
  if (!env.nginx) return { available: false, reason: 'no nginx/openresty found', fix: 'install openresty, or nginx + libnginx-mod-http-lua' };
  if (!env.nginx.luaModule) {
    return { available: false, reason: `${env.nginx.binary} has no Lua module`, fix: 'apt-get install libnginx-mod-http-lua (Debian), or use openresty' };
  }
  return { available: true };
}

export const luaDriver: ProbeDriver<LuaProbeSpec> = {
  kind: 'lua',
  async check(_spec, env) {
    return luaAvailability(env);
  },
  inject(spec, paths) {
    return luaInjection([spec], paths);
  },
  async start(spec, target, paths) {
    const control = new LuaControl(paths, spec.id);
    await control.start();
    return {
      recorderPids: () => [],
      abort: () => control.abort(),
      async stop() {
        const dumps = await control.stop(target.workerPids);
        const r = collapseJitProfile(dumps.text);
        const warnings: string[] = [];
        if (spec.frequency > MAX_LUA_HZ) warnings.push(`frequency ${spec.frequency} Hz capped at ${MAX_LUA_HZ} Hz (jit.profile uses ITIMER_PROF)`);
        if (dumps.missing.length > 0) warnings.push(`worker(s) ${dumps.missing.join(', ')} wrote no profile (crashed, or the Lua agent failed: see nginx/error.log)`);
        const errors = r.info.counters.errors ?? 0;
        if (errors > 0) warnings.push(`${errors} profiler callback(s) raised an error (caught; samples lost)`);
        if (r.flaggedSamples > 0) {
          warnings.push(`${r.flaggedSamples} sample(s) were nginx C time that LuaJIT charged to the next Lua entry: shown under "[nginx C time charged to next Lua entry]", not mixed into the Lua stacks`);
        }
        const interval = intervalMs(spec.frequency);
        return writeProbeOutput(paths, relativizeLuaFrames(r.stacks, [paths.prefix, ...SYSTEM_LUA_ROOTS]), {
          id: spec.id,
          kind: spec.kind,
          unit: 'samples',
          frequencyHz: 1000 / interval,
          pids: dumps.pids,
          sampleCount: r.samples + r.flaggedSamples,
          report: r.report,
          truncated: false,
          warnings,
          extra: {
            intervalMs: interval,
            callbacks: r.info.counters.callbacks ?? 0,
            flaggedCallbacks: r.info.counters.flagged_callbacks ?? 0,
            flaggedSamples: r.flaggedSamples,
            luaSamples: r.samples,
            callbackErrors: errors,
            workersMissing: dumps.missing,
          },
        });
      },
    };
  },
};
