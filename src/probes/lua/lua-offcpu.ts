import type { LuaOffcpuProbeSpec } from '../../scenario/types.js';
import { collapseLuaOffcpu } from '../../stacks/luaoffcpu.js';
import { relativizeLuaFrames, SYSTEM_LUA_ROOTS } from '../../stacks/lua-paths.js';
import { writeProbeOutput } from '../output.js';
import type { ProbeDriver } from '../types.js';
import { LuaControl } from './control.js';
import { luaInjection } from './inject.js';
import { luaAvailability } from './lua.js';

export const luaOffcpuDriver: ProbeDriver<LuaOffcpuProbeSpec> = {
  kind: 'lua-offcpu',
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
        const r = collapseLuaOffcpu(dumps.text);
        const warnings: string[] = [];
        if (dumps.missing.length > 0) warnings.push(`worker(s) ${dumps.missing.join(', ')} wrote no wait profile (crashed, or the Lua agent failed: see nginx/error.log)`);
        const errors = r.info.counters.errors ?? 0;
        if (errors > 0) warnings.push(`${errors} wait(s) could not be recorded (error while walking the Lua stack)`);
        if (r.info.files > 0 && (r.info.counters.clock_monotonic ?? 0) < r.info.files) {
          warnings.push('some workers timed waits with ngx.now() (ms resolution): the FFI clock_gettime declaration clashed with existing code');
        }
        return writeProbeOutput(paths, relativizeLuaFrames(r.stacks, [paths.prefix, ...SYSTEM_LUA_ROOTS]), {
          id: spec.id,
          kind: spec.kind,
          unit: 'microseconds',
          frequencyHz: null,
          pids: dumps.pids,
          sampleCount: r.waits,
          report: r.report,
          truncated: false,
          warnings,
          extra: {
            waits: r.waits,
            shortWaitsSkipped: r.info.counters.short_waits ?? 0,
            minMicros: spec.minMicros,
            kindUs: r.kindUs,
            workersMissing: dumps.missing,
          },
        });
      },
    };
  },
};
