import type { LuaProbeSpec } from '../../scenario/types.js';
import { collapseJitProfile } from '../../stacks/jitprofile.js';
import { luaAgentDriver } from './driver.js';
import { MAX_LUA_HZ, intervalMs } from './inject.js';

export const luaDriver = luaAgentDriver<LuaProbeSpec>('lua', (spec, dumps) => {
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
  return {
    stacks: r.stacks,
    unit: 'samples',
    frequencyHz: 1000 / interval,
    sampleCount: r.samples + r.flaggedSamples,
    report: r.report,
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
  };
});
