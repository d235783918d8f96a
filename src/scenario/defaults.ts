/**
 * Every default of a scenario, in one place (k6 and Lighthouse keep theirs the same way).
 * The JSON Schema's `default` annotations are generated from these values (./schema-source.ts),
 * and a test fails when schema/scenario.schema.json is out of date.
 */
import type { ProbeBackend } from './types.js';

export const DEFAULTS = {
  description: '',
  /** A/B variants: pairs run until the verdict is decided (group-sequential; docs/compare.md). */
  repeat: 'auto',
  /** Budget of `repeat: auto`: pairs before the first look, most pairs, most seconds of the series. */
  minRepeats: 3,
  maxRepeats: 20,
  maxSeconds: 180,
  openresty: {
    binary: 'auto',
    luajit: 'auto',
    workers: 1,
    cpus: 'auto',
    configKind: 'http',
    variables: {},
    files: [],
    port: 0,
    mainDirectives: '',
    eventsDirectives: '',
    /** test/bench/luajit-noise.bench.ts and docs/compare.md, "LuaJIT noise", for why flush and this interval. */
    luajitNoise: { method: 'auto', intervalMs: 250 },
  },
  request: {
    method: 'GET',
    path: '/',
    headers: {},
  },
  load: {
    mode: 'fixed',
    host: '127.0.0.1',
    allowNonLoopback: false,
    connections: 64,
    pipelining: 1,
    /** seconds */
    duration: 10,
    /** seconds */
    warmup: 2,
    /** seconds */
    timeout: 10,
    threads: 0,
    cpus: 'auto',
    hosts: ['local'] as Array<'local' | string[]>,
    loaderCommand: 'self' as 'self' | string[],
    saturate: {
      targetCpuPct: 95,
      maxConnections: 512,
      maxPipelining: 32,
      maxThreads: 4,
      stepSeconds: 2,
      maxLatencyGrowth: 4,
    },
  },
  probes: {
    cpu: { backend: 'perf', frequency: 99, callGraph: 'dwarf' },
    offcpu: { backend: 'perf', callGraph: 'dwarf', keepIdle: false, maxMegabytes: 256 },
    lua: { frequency: 100 },
    'lua-offcpu': { minMicros: 0 },
    systemtap: { tool: 'sample-bt', toolkitDir: '/opt/openresty-systemtap-toolkit' },
  },
} as const;

/** bpftrace walks user stacks by frame pointer only, so its default call graph differs from perf's. */
export function defaultCallGraph(backend: ProbeBackend): 'dwarf' | 'fp' {
  return backend === 'bpftrace' ? 'fp' : DEFAULTS.probes.cpu.callGraph;
}

/**
 * Template variables and helpers the target provides to every config template besides
 * `openresty.variables` (src/nginx/render.ts: TemplateVariables and its helpers). A name
 * outside these is a typo that would otherwise fail only when nginx is about to start.
 */
export const BUILTIN_TEMPLATE_VARIABLES = [
  'port',
  'upstreamPort',
  'host',
  'listen',
  'prefix',
  'runDir',
  'rawDir',
  'errorLog',
  'accessLog',
  'workers',
  'luaModule',
  'harness',
] as const;
export const TEMPLATE_HELPERS = ['json', 'join', 'add'] as const;
