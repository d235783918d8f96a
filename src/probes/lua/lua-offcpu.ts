import type { LuaOffcpuProbeSpec } from '../../scenario/types.js';
import { collapseLuaOffcpu } from '../../stacks/luaoffcpu.js';
import { luaAgentDriver } from './driver.js';

export const luaOffcpuDriver = luaAgentDriver<LuaOffcpuProbeSpec>('lua-offcpu', (spec, dumps) => {
  const r = collapseLuaOffcpu(dumps.text);
  const warnings: string[] = [];
  if (dumps.missing.length > 0) warnings.push(`worker(s) ${dumps.missing.join(', ')} wrote no wait profile (crashed, or the Lua agent failed: see nginx/error.log)`);
  const errors = r.info.counters.errors ?? 0;
  if (errors > 0) warnings.push(`${errors} wait(s) could not be recorded (error while walking the Lua stack)`);
  if (r.info.files > 0 && (r.info.counters.clock_monotonic ?? 0) < r.info.files) {
    warnings.push('some workers timed waits with ngx.now() (ms resolution): the FFI clock_gettime declaration clashed with existing code');
  }
  return {
    stacks: r.stacks,
    unit: 'microseconds',
    frequencyHz: null,
    sampleCount: r.waits,
    report: r.report,
    warnings,
    extra: {
      waits: r.waits,
      shortWaitsSkipped: r.info.counters.short_waits ?? 0,
      minMicros: spec.minMicros,
      kindUs: r.kindUs,
      workersMissing: dumps.missing,
    },
  };
});
