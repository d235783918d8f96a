/**
 * The probes stage: a registry of probe drivers, the config they inject, their availability,
 * and starting/stopping them together around the measured window. A probe that fails to start
 * or to post-process becomes a ProbeStatus 'failed' with its error; the others go on.
 */
import { toErrorRecord } from '../errors.js';
import type { RunPaths } from '../runs/paths.js';
import type { ProbeStatus } from '../runs/types.js';
import type { ProbeKind, ProbeSpec } from '../scenario/types.js';
import type { ConfigInjection, RunningNginx } from '../nginx/types.js';
import { cpuDriver } from './cpu.js';
import { luaInjection, type LuaSpec } from './lua/inject.js';
import { luaDriver } from './lua/lua.js';
import { luaOffcpuDriver } from './lua/lua-offcpu.js';
import { offcpuDriver } from './offcpu.js';
import { statusFromMeta } from './output.js';
import { systemtapDriver } from './systemtap-driver.js';
import type { ProbeDriver, ProbeEnv, RunningProbe } from './types.js';

type DriverFor<K extends ProbeKind> = ProbeDriver<Extract<ProbeSpec, { kind: K }>>;

export const probeDrivers: { [K in ProbeKind]: DriverFor<K> } = {
  cpu: cpuDriver,
  offcpu: offcpuDriver,
  lua: luaDriver,
  'lua-offcpu': luaOffcpuDriver,
  systemtap: systemtapDriver,
};

export function driverFor(spec: ProbeSpec): ProbeDriver {
  return probeDrivers[spec.kind] as unknown as ProbeDriver;
}

function isLua(spec: ProbeSpec): spec is LuaSpec {
  return spec.kind === 'lua' || spec.kind === 'lua-offcpu';
}

/** What collectInjections needs to know about the config under test. */
export interface InjectionContext {
  /** The scenario's config template text. */
  config: string;
  luaModule: boolean;
}

/**
 * The agent writes a perf map of JIT traces when a perf-based probe will see Lua code: the
 * config uses Lua and leaves init_worker_by_lua* to the agent (nginx allows one per http {}).
 */
export function wantsPerfMap(specs: ProbeSpec[], ctx: InjectionContext | undefined): boolean {
  if (!ctx?.luaModule || !/_by_lua/.test(ctx.config) || /init_worker_by_lua/.test(ctx.config)) return false;
  return specs.some((s) => (s.kind === 'cpu' || s.kind === 'offcpu') && s.backend === 'perf');
}

/** Config for nginx.conf. The Lua probes and the perf map writer share one init_worker_by_lua_block. */
export function collectInjections(specs: ProbeSpec[], paths: RunPaths, ctx?: InjectionContext): ConfigInjection[] {
  const out: ConfigInjection[] = [];
  const lua = specs.filter(isLua);
  const perfMap = wantsPerfMap(specs, ctx);
  if (lua.length > 0 || perfMap) out.push(luaInjection(lua, paths, { perfMap }));
  for (const spec of specs) {
    if (isLua(spec)) continue;
    const inj = driverFor(spec).inject?.(spec, paths);
    if (inj) out.push(inj);
  }
  return out;
}

/** Availability of each probe; unavailable ones carry the reason and the fix in their error. */
export async function checkProbes(specs: ProbeSpec[], env: ProbeEnv): Promise<ProbeStatus[]> {
  return Promise.all(
    specs.map(async (spec): Promise<ProbeStatus> => {
      try {
        const a = await driverFor(spec).check(spec, env);
        if (a.available) return { id: spec.id, kind: spec.kind, status: 'ok', warnings: a.reason ? [a.reason] : [] };
        return {
          id: spec.id,
          kind: spec.kind,
          status: 'unavailable',
          error: { code: 'E_PROBE_UNAVAILABLE', message: `probe ${spec.id} (${spec.kind}): ${a.reason ?? 'unavailable'}`, hint: a.fix ?? '' },
          warnings: [],
        };
      } catch (e) {
        return { id: spec.id, kind: spec.kind, status: 'failed', error: toErrorRecord(e), warnings: [] };
      }
    }),
  );
}

export interface StartedProbes {
  /** Stops every probe, post-processes, writes stacks/; one status per spec, in spec order. */
  stop(): Promise<ProbeStatus[]>;
  /** Kills every recorder; no post-processing. Idempotent. */
  abort(): Promise<void>;
  /** Pids of live recorder processes (perf, bpftrace, stap). */
  recorderPids(): number[];
}

type Slot = { spec: ProbeSpec; running: RunningProbe | null; status: ProbeStatus | null };

/** Starts all probes together (at the start of the measured window). */
export async function startProbes(specs: ProbeSpec[], nginx: RunningNginx, paths: RunPaths): Promise<StartedProbes> {
  const slots: Slot[] = await Promise.all(
    specs.map(async (spec): Promise<Slot> => {
      try {
        return { spec, running: await driverFor(spec).start(spec, nginx, paths), status: null };
      } catch (e) {
        return { spec, running: null, status: failed(spec, e) };
      }
    }),
  );
  let aborted = false;
  return {
    async stop() {
      return Promise.all(
        slots.map(async (s) => {
          if (s.status) return s.status;
          try {
            const r = await (s.running as RunningProbe).stop();
            return statusFromMeta(r.meta);
          } catch (e) {
            await (s.running as RunningProbe).abort().catch(() => undefined);
            return failed(s.spec, e);
          }
        }),
      );
    },
    async abort() {
      if (aborted) return;
      aborted = true;
      await Promise.all(slots.map((s) => s.running?.abort().catch(() => undefined)));
    },
    recorderPids: () => slots.flatMap((s) => s.running?.recorderPids() ?? []),
  };
}

function failed(spec: ProbeSpec, e: unknown): ProbeStatus {
  return { id: spec.id, kind: spec.kind, status: 'failed', error: toErrorRecord(e), warnings: [] };
}

export { MAX_LUA_HZ } from './lua/inject.js';
export { sweepPerfMaps } from './perf-maps.js';
export type { ProbeDriver, ProbeEnv, ProbeAvailability, RunningProbe } from './types.js';
