/**
 * The source of schema/scenario.schema.json. Editors read the JSON file (yaml-language-server),
 * the runtime validates with it; it is generated from here so that its `default`s are the values
 * in ./defaults.ts and repeated shapes (durations, cpu lists, variant overrides) are written once.
 * Regenerate: npx tsx src/scenario/schema-source.ts > schema/scenario.schema.json
 * (test/scenario/schema.test.ts fails when the committed file is stale).
 */
import { pathToFileURL } from 'node:url';
import { conditionPattern, METRIC_CATALOGUE, PROBE_METRIC_PATTERN, type ValueUnits } from '../metrics/index.js';
import { DEFAULTS } from './defaults.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

export const SCHEMA_ID = 'https://flamebench.dev/schema/scenario.schema.json';

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
const NUM = '\\d+(?:\\.\\d+)?';
export const DURATION_PATTERN = `^\\s*${NUM}\\s*(?:us|µs|ms|s|m|h)?\\s*$`;
export const CPU_LIST_PATTERN = '^\\s*(?:auto|\\d+(?:-\\d+)?(?:\\s*,\\s*\\d+(?:-\\d+)?)*)\\s*$';

/** Metrics a threshold may name, with the units their values accept: from the one catalogue (src/metrics/). */
export const METRICS: Readonly<Record<string, { units: ValueUnits; doc: string }>> = Object.fromEntries(
  METRIC_CATALOGUE.map((m) => [m.metric, { units: m.values, doc: m.doc }]),
);
export type MetricUnits = ValueUnits;
export { PROBE_METRIC_PATTERN };

/** The threshold grammar as a pattern (src/metrics/condition.ts owns it). */
export const thresholdExprPattern = conditionPattern;

/**
 * Bounds of each duration key in seconds. The schema bounds the number form; strings with a unit
 * ("0.0001ms") are checked against the same table after conversion (sections.ts). A window too
 * short to complete a request, or one that overflows to Infinity (1e308 s), measures nothing.
 */
export const DURATION_LIMITS = {
  duration: { min: 0.1, max: 86_400, range: '100ms to 24h' },
  warmup: { min: 0, max: 3_600, range: '0 to 1h' },
  timeout: { min: 0.001, max: 3_600, range: '1ms to 1h' },
  stepSeconds: { min: 0.1, max: 3_600, range: '100ms to 1h' },
  maxSeconds: { min: 1, max: 86_400, range: '1s to 24h' },
  flushInterval: { min: 0.001, max: 60, range: '1ms to 1m' },
} as const;
export type DurationKey = keyof typeof DURATION_LIMITS;

/** load.connections: the schema's bounds, also applied to the --connections flag. */
export const CONNECTIONS_LIMITS = { min: 1, max: 100_000 } as const;

const duration = (key: DurationKey, description: string, dflt: number | undefined, examples: Json[]): Schema => ({
  $ref: '#/$defs/duration',
  // Repeated beside the $ref so that ajv's strict mode accepts the numeric bounds.
  type: ['number', 'string'],
  description: `${description} From ${DURATION_LIMITS[key].range}.`,
  minimum: DURATION_LIMITS[key].min,
  maximum: DURATION_LIMITS[key].max,
  ...(dflt === undefined ? {} : { default: dflt }),
  examples,
});

/** An integer key within bounds (no `max`: unbounded above); `dflt` is the default where the key has one ({} in variant overrides). */
function integer(bounds: { min: number; max?: number }, description: string, dflt: Schema, examples: Json[]): Schema {
  return { type: 'integer', minimum: bounds.min, ...(bounds.max === undefined ? {} : { maximum: bounds.max }), description, ...dflt, examples };
}

/** A key that takes one of `values` (its examples too); `dflt` as for integer(). */
function choice(values: string[], description: string, dflt: Schema): Schema {
  return { enum: values, description, ...dflt, examples: values };
}

/**
 * A key under its old name: still accepted (sections.ts reads it and warns), with the new key's
 * type and bounds, but `deprecated` so editors strike it through and error hints never suggest it.
 */
function formerName(current: Schema, write: string): Schema {
  const { description: _description, default: _default, examples, ...shape } = current;
  return { ...shape, deprecated: true, description: `Deprecated: the old name of ${write}; write ${write} instead (same meaning).`, examples: examples ?? [] };
}

function thresholdValue(units: MetricUnits, doc: string): Schema {
  const unitNote =
    units === 'time'
      ? ' Values take a unit ("5ms", "800us", "1.5s"); a bare number is µs.'
      : units === 'percent'
        ? ' Values may end in "%".'
        : '';
  return {
    description:
      `Threshold on ${doc}. A condition or a list of conditions: "<= X" / ">= X" / "== X" bound the candidate's median ` +
      `(bounds are inclusive); "drop <= N%" / "rise <= N%" (or "-N%" / "+N%") bound its change relative to the baseline.${unitNote}`,
    type: ['string', 'array'],
    pattern: thresholdExprPattern(units),
    items: { type: 'string', pattern: thresholdExprPattern(units) },
    minItems: 1,
    examples:
      units === 'time'
        ? ['<= 5ms', 'rise <= 10%', ['<= 2ms', 'rise <= 5%']]
        : units === 'percent'
          ? ['>= 90%', '<= 1%']
          : ['== 0', 'drop <= 5%', ['>= 1000', 'drop <= 5%']],
  };
}

function thresholdBound(description: string): Schema {
  return {
    description,
    type: ['number', 'string'],
    pattern: `^\\s*${NUM}\\s*(?:us|µs|ms|s|%)?\\s*$`,
    examples: [0, 5000, '5ms', '1%'],
  };
}

function openrestySchema(forVariant: boolean): Schema {
  const d = DEFAULTS.openresty;
  const dflt = (v: Json): Schema => (forVariant ? {} : { default: v });
  return {
    type: 'object',
    title: forVariant ? 'openresty overrides' : 'openresty',
    description: forVariant
      ? 'Keys of `openresty` this variant overrides; deep-merged (variables merge, lists are replaced).'
      : 'The server under test: which binary, how many workers where, and the config template.',
    examples: forVariant
      ? [{ variables: { iterations: 260 } }, { configFile: 'nginx/b.conf.hbs' }]
      : [{ workers: 1, config: 'server {\n  listen 127.0.0.1:{{port}};\n  location / { return 200 "hello\\n"; }\n}\n' }],
    additionalProperties: false,
    properties: {
      binary: {
        type: 'string',
        minLength: 1,
        description: '"auto" finds `openresty` on PATH, then nginx with ngx_http_lua_module; or a path to the binary.',
        ...dflt(d.binary),
        examples: ['auto', '/usr/local/openresty/bin/openresty', '/usr/sbin/nginx'],
      },
      luajit: choice(
        ['auto', 'system', 'profiling'],
        'The LuaJIT the Lua module loads. "profiling": the build of `flamebench build luajit` (the distribution\'s LuaJIT source with symbols, frame pointers and perftools, put first on LD_LIBRARY_PATH), so C-level flame graphs name LuaJIT\'s own functions; "system": the installed library (Debian ships it stripped); "auto": the profiling build when it exists. OpenResty bundles its own LuaJIT: there only "system"/"auto" apply. run.json and the report say which ran and why.',
        dflt(d.luajit),
      ),
      workers: integer({ min: 1, max: 1024 }, 'worker_processes.', dflt(d.workers), [1, 2]),
      cpus: {
        $ref: '#/$defs/cpus',
        description:
          'CPUs the nginx workers are pinned to (one per worker, round robin): "auto" (placement default: the first CPUs, leaving the rest to the loader), a list, or ranges "0-1".',
        ...dflt(d.cpus),
        examples: ['auto', [0], '0-1'],
      },
      config: {
        type: 'string',
        description:
          'The config as a handlebars template: by default the contents of `http {}` (see configKind). Variables: {{port}}, {{prefix}} and `variables`. Exactly one of config and configFile.',
        examples: ['server {\n  listen 127.0.0.1:{{port}};\n  location / { return 200 "hello\\n"; }\n}\n'],
      },
      configFile: {
        type: 'string',
        minLength: 1,
        description: 'Read the config template from this file (relative to the scenario file) instead of `config`.',
        examples: ['nginx/lua-work.conf.hbs'],
      },
      configKind: choice(['http', 'full'], '"http": the template is the contents of http {} and flamebench writes the rest; "full": a whole nginx.conf.', dflt(d.configKind)),
      variables: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        description: 'Template variables, available as {{name}} in the config.',
        ...dflt(d.variables),
        examples: [{ iterations: 200 }],
      },
      files: {
        type: 'array',
        description:
          'Extra files (Lua modules, certificates) copied under the nginx prefix before start. A path relative to the scenario file (copied to the same relative path), or {from, to}.',
        ...dflt([]),
        items: {
          type: ['string', 'object'],
          minLength: 1,
          additionalProperties: false,
          required: ['from'],
          properties: {
            from: { type: 'string', minLength: 1, description: 'Source file, relative to the scenario file.', examples: ['lua/work.lua'] },
            to: {
              type: 'string',
              minLength: 1,
              description: 'Destination relative to the nginx prefix; defaults to `from`.',
              examples: ['lua/work.lua'],
            },
          },
          examples: ['lua/work.lua', { from: '../shared/util.lua', to: 'lua/util.lua' }],
        },
        examples: [['lua/work.lua']],
      },
      port: integer({ min: 0, max: 65535 }, 'Listen port, available to the template as {{port}}; 0 picks a free port.', dflt(d.port), [0, 8080]),
      mainDirectives: {
        type: 'string',
        description: 'Extra directives for the main context (configKind "http" only).',
        ...dflt(d.mainDirectives),
        examples: ['worker_rlimit_nofile 65535;'],
      },
      eventsDirectives: {
        type: 'string',
        description: 'Extra directives for events {} (configKind "http" only).',
        ...dflt(d.eventsDirectives),
        examples: ['worker_connections 4096;'],
      },
      luajitNoise: {
        type: 'object',
        additionalProperties: false,
        description:
          'How a run averages over LuaJIT trace selection, which differs per worker process (CPU per request of identical runs ' +
          'differs by ~20% with JIT on). "flush": every worker calls jit.flush() after each `interval` of its own CPU time ' +
          '(a timer reads os.clock()), so one run re-selects its traces many times; "none": leave LuaJIT alone; "auto": "flush" for variant and repeated runs of a ' +
          'config that uses Lua, else "none". run.json (luajitNoise) and the report say what was used. Needs a place for an ' +
          'init_worker_by_lua block: a config with its own init_worker_by_lua* gets "none" under "auto".',
        ...dflt({ method: d.luajitNoise.method, interval: `${d.luajitNoise.intervalMs}ms` }),
        properties: {
          method: {
            enum: ['auto', 'none', 'flush'],
            description: '"flush": jit.flush() every interval; "none": leave LuaJIT alone; "auto": flush for variant/repeated runs of Lua configs.',
            ...dflt(d.luajitNoise.method),
            examples: ['auto', 'flush', 'none'],
          },
          interval: duration('flushInterval', 'jit.flush() interval for method "flush", in the worker\'s CPU time (not wall time).', forVariant ? undefined : d.luajitNoise.intervalMs / 1000, ['100ms', '250ms']),
        },
        examples: [{ method: 'flush', interval: '100ms' }, { method: 'none' }],
      },
    },
  };
}

function loadSchema(forVariant: boolean): Schema {
  const d = DEFAULTS.load;
  const s = d.saturate;
  const dflt = (v: Json): Schema => (forVariant ? {} : { default: v });
  const threads = integer({ min: 0, max: 256 }, "Loader worker threads; 0 runs the load on the loader's main thread (in-process). Formerly load.workers.", dflt(d.threads), [0, 2]);
  const maxThreads = integer({ min: 0 }, 'Upper bound for loader threads (saturate mode). Formerly load.saturate.maxWorkers.', dflt(s.maxThreads), [4]);
  return {
    type: 'object',
    title: forVariant ? 'load overrides' : 'load',
    description: forVariant
      ? 'Keys of `load` this variant overrides; deep-merged (lists are replaced).'
      : 'The load autocannon puts on the server.',
    examples: forVariant ? [{ connections: 128 }, { mode: 'saturate' }] : [{ path: '/', connections: 64, duration: '10s', warmup: '2s' }],
    additionalProperties: false,
    properties: {
      mode: choice(
        ['fixed', 'saturate', 'rate'],
        '"fixed": the given connections/pipelining; "saturate": raise connections, pipelining and loader threads until the workers reach saturate.targetCpuPct; "rate": a constant `rate` of requests per second, latency measured from the intended send time.',
        dflt(d.mode),
      ),
      host: {
        type: 'string',
        minLength: 1,
        description: 'Host the loader targets. Must be loopback (127.0.0.0/8, ::1, localhost) unless allowNonLoopback.',
        ...dflt(d.host),
        examples: ['127.0.0.1', '::1'],
      },
      allowNonLoopback: {
        type: 'boolean',
        description: 'Allow a non-loopback host. Load tests against other machines are easy to get wrong; you asked for it.',
        ...dflt(d.allowNonLoopback),
        examples: [false],
      },
      path: {
        type: 'string',
        pattern: '^/',
        description: 'Shorthand for one GET request to this path. Use either path or requests.',
        ...dflt(DEFAULTS.request.path),
        examples: ['/', '/api/items?id=1'],
      },
      requests: {
        type: 'array',
        minItems: 1,
        description: 'Requests sent in turn on each connection: a path (GET) or {method, path, headers, body}.',
        items: {
          type: ['string', 'object'],
          pattern: '^/',
          additionalProperties: false,
          required: ['path'],
          properties: {
            method: {
              type: 'string',
              pattern: '^[A-Z]+$',
              description: 'HTTP method.',
              default: DEFAULTS.request.method,
              examples: ['GET', 'POST'],
            },
            path: { type: 'string', pattern: '^/', description: 'Request path with query.', examples: ['/', '/search?q=x'] },
            headers: {
              type: 'object',
              additionalProperties: { type: ['string', 'number'] },
              description: 'Request headers.',
              default: {},
              examples: [{ 'content-type': 'application/json' }],
            },
            body: { type: 'string', description: 'Request body.', examples: ['{"id": 1}'] },
          },
          examples: ['/', { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{"id":1}' }],
        },
        examples: [['/', '/other']],
      },
      connections: integer(CONNECTIONS_LIMITS, 'Concurrent connections.', dflt(d.connections), [64, 256]),
      pipelining: integer({ min: 1, max: 1024 }, 'Requests in flight per connection (HTTP pipelining). Raises what one loader core can drive.', dflt(d.pipelining), [1, 16]),
      duration: duration('duration', 'Measured window.', d.duration, ['10s', '30s', 5]),
      warmup: duration('warmup', 'Warm-up before the measured window; not counted.', d.warmup, ['2s', 0]),
      rate: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Total requests per second; mode "rate" only (and required there).',
        examples: [1000, 5000],
      },
      timeout: duration('timeout', 'Per-request timeout.', d.timeout, ['10s', '500ms']),
      threads,
      workers: formerName(threads, 'load.threads'),
      cpus: {
        $ref: '#/$defs/cpus',
        description: 'CPUs the loader is pinned to: "auto" (the CPUs not used by nginx), a list, or ranges "1-3".',
        ...dflt(d.cpus),
        examples: ['auto', [1], '1-3'],
      },
      hosts: {
        type: 'array',
        minItems: 1,
        maxItems: 256,
        description:
          'Where the loaders run: "local" (the default: one loader process here) or launch prefixes that give a process on another host a stdio channel, e.g. ["ssh","-T","user@loader1"], ["kubectl","exec","-i","pod/loader-0","--"], ["ip","netns","exec","loader1"]. Each runs load.loaderCommand; connections (or the rate) are split across them. See docs/distributed.md.',
        items: {
          oneOf: [
            { const: 'local' },
            { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          ],
        },
        ...dflt(d.hosts),
        examples: [['local'], [['ssh', '-T', 'loader@10.0.0.2'], ['ssh', '-T', 'loader@10.0.0.3']]],
      },
      loaderCommand: {
        oneOf: [{ const: 'self' }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
        description:
          'The command a launch prefix runs: "self" (this node binary and this installation\'s loader entry: hosts with the same paths, network namespaces) or e.g. ["flamebench","loader"] (the docker/ image, an npm -g install).',
        ...dflt(d.loaderCommand),
        examples: ['self', ['flamebench', 'loader']],
      },
      saturate: {
        type: 'object',
        additionalProperties: false,
        description: 'Tuning of mode "saturate".',
        ...dflt({ ...s }),
        examples: [{ targetCpuPct: 95 }],
        properties: {
          targetCpuPct: {
            type: 'number',
            minimum: 1,
            maximum: 100,
            description: 'Target mean worker CPU %.',
            ...dflt(s.targetCpuPct),
            examples: [95],
          },
          maxConnections: integer({ min: 1 }, 'Upper bound for connections.', dflt(s.maxConnections), [512]),
          maxPipelining: integer({ min: 1 }, 'Upper bound for pipelining.', dflt(s.maxPipelining), [32]),
          maxThreads,
          maxWorkers: formerName(maxThreads, 'load.saturate.maxThreads'),
          stepSeconds: duration('stepSeconds', 'Length of one tuning step.', forVariant ? undefined : s.stepSeconds, ['2s']),
          maxLatencyGrowth: {
            type: 'number',
            exclusiveMinimum: 1,
            description: 'Stop raising the load when p99 latency grows beyond this factor of the best step.',
            ...dflt(s.maxLatencyGrowth),
            examples: [4],
          },
        },
      },
    },
  };
}

const probeId: Schema = {
  type: 'string',
  pattern: NAME_PATTERN,
  description: 'Probe id, names stacks/<id>.folded and `probe:<id>` thresholds; defaults to the kind. Must be unique.',
  examples: ['cpu', 'cpu-fp'],
};
const backend: Schema = {
  enum: ['perf', 'bpftrace'],
  description: 'Sampler. bpftrace walks user stacks by frame pointer only.',
  default: DEFAULTS.probes.cpu.backend,
  examples: ['perf'],
};
const callGraph: Schema = {
  enum: ['dwarf', 'fp'],
  description: 'Stack walking: "dwarf" works on distribution builds (no frame pointers); "fp" for builds with -fno-omit-frame-pointer. Defaults to dwarf with perf, fp with bpftrace.',
  default: DEFAULTS.probes.cpu.callGraph,
  examples: ['dwarf', 'fp'],
};

function probeSchemas(): Schema[] {
  const p = DEFAULTS.probes;
  const kind = (k: string, description: string): Schema => ({ const: k, description, examples: [k] });
  return [
    {
      type: 'object',
      title: 'cpu probe',
      description: 'C-level on-CPU stacks of the workers: perf cpu-clock.',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kind('cpu', 'C-level on-CPU sampling (perf cpu-clock).'),
        id: probeId,
        backend,
        frequency: integer({ min: 1, max: 10000 }, 'Samples per second per CPU.', { default: p.cpu.frequency }, [99, 499]),
        callGraph,
      },
    },
    {
      type: 'object',
      title: 'offcpu probe',
      description: 'C-level off-CPU stacks: perf sched:sched_switch, weights in µs.',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kind('offcpu', 'C-level off-CPU time (sched_switch pairs).'),
        id: probeId,
        backend,
        callGraph,
        keepIdle: {
          type: 'boolean',
          description: "Keep nginx's idle wait in epoll_wait (dropped by default; the dropped time is reported).",
          default: p.offcpu.keepIdle,
          examples: [false],
        },
        maxMegabytes: integer({ min: 1, max: 65536 }, 'Stop recording when perf.data reaches this size (dwarf events are ~8 KB each).', { default: p.offcpu.maxMegabytes }, [256]),
      },
    },
    {
      type: 'object',
      title: 'lua probe',
      description: "Lua-land on-CPU stacks: LuaJIT's jit.profile in each worker.",
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kind('lua', 'Lua-land on-CPU sampling (jit.profile).'),
        id: probeId,
        frequency: integer(
          { min: 1, max: 250 },
          'Samples per second, at most 250. jit.profile uses ITIMER_PROF with a whole-millisecond interval.',
          { default: p.lua.frequency },
          [100, 250],
        ),
      },
    },
    {
      type: 'object',
      title: 'lua-offcpu probe',
      description: 'Where Lua code waits (ngx.sleep, cosockets, subrequests, semaphores), with the µs waited.',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kind('lua-offcpu', 'Lua-land off-CPU waits.'),
        id: probeId,
        minMicros: {
          type: ['number', 'string'],
          minimum: 0,
          pattern: `^\\s*${NUM}\\s*(?:us|µs|ms|s)?\\s*$`,
          description: 'Waits shorter than this are not recorded: µs, or a string with a unit ("50us", "1ms").',
          default: p['lua-offcpu'].minMicros,
          examples: [0, '50us', '1ms'],
        },
      },
    },
    {
      type: 'object',
      title: 'systemtap probe',
      description: "openresty-systemtap-toolkit's samplers, where stap and kernel debuginfo exist.",
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kind('systemtap', 'openresty-systemtap-toolkit.'),
        id: probeId,
        tool: {
          enum: ['sample-bt', 'sample-bt-off-cpu', 'ngx-sample-lua-bt'],
          description: 'Which toolkit script to run.',
          default: p.systemtap.tool,
          examples: ['sample-bt', 'ngx-sample-lua-bt'],
        },
        toolkitDir: {
          type: 'string',
          minLength: 1,
          description: 'Directory holding openresty-systemtap-toolkit.',
          default: p.systemtap.toolkitDir,
          examples: ['/opt/openresty-systemtap-toolkit'],
        },
        luaSourceRoot: {
          type: 'string',
          minLength: 1,
          description: "Lua source root for fix-lua-bt's name resolution.",
          examples: ['/usr/local/openresty/lualib'],
        },
      },
    },
  ];
}

export const PROBE_KINDS = ['cpu', 'offcpu', 'lua', 'lua-offcpu', 'systemtap'] as const;

export function buildSchema(): Schema {
  const metricProps: Schema = {};
  for (const [name, m] of Object.entries(METRICS)) metricProps[name] = thresholdValue(m.units, m.doc);
  const metricNames = Object.keys(METRICS);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'flamebench scenario',
    description:
      'A flamebench scenario: the OpenResty/nginx config under test, the load, the probes that sample stacks while it runs, thresholds and A/B variants. Put `# yaml-language-server: $schema=<path to this file>` at the top of a scenario for editor completion.',
    type: 'object',
    additionalProperties: false,
    required: ['openresty'],
    properties: {
      $schema: { type: 'string', description: 'Schema reference for editors; ignored.', examples: ['../schema/scenario.schema.json'] },
      name: {
        type: 'string',
        pattern: NAME_PATTERN,
        description: 'Scenario name, used in run directory names; defaults to the file name without extension.',
        examples: ['lua-work'],
      },
      description: {
        type: 'string',
        description: 'What this scenario exercises; shown in the report.',
        default: DEFAULTS.description,
        examples: ['A Lua handler doing string, regex and table work per request.'],
      },
      openresty: openrestySchema(false),
      load: { ...loadSchema(false), default: {} },
      probes: {
        type: 'array',
        description:
          'What to sample during the measured window: kinds as strings (`[cpu, lua]`) or objects with options (`{kind: cpu, frequency: 199}`).',
        default: [],
        examples: [['cpu', 'offcpu', 'lua'], [{ kind: 'cpu', frequency: 199 }, 'lua']],
        items: {
          type: ['string', 'object'],
          description: 'A probe kind, or an object with `kind` and its options.',
          examples: [...PROBE_KINDS, { kind: 'cpu', frequency: 199 }],
          if: { type: 'string' },
          then: { enum: [...PROBE_KINDS] },
          else: { discriminator: { propertyName: 'kind' }, required: ['kind'], oneOf: probeSchemas() },
        },
      },
      thresholds: {
        type: ['object', 'array'],
        description:
          'Pass/fail conditions for `flamebench compare` (exit 99 when one fails). Either a map metric → condition(s), e.g. `{errors: "== 0", latencyP99Us: "<= 5ms", rps: "drop <= 5%", cpuUsPerRequest: "rise <= 5%"}`, or a list of `{metric, max, min, maxIncreasePct, maxDecreasePct}`. `probe:<id>` names a probe\'s total weight per request. A relative change fails only when it is also statistically significant.',
        default: [],
        examples: [{ errors: '== 0', latencyP99Us: '<= 5ms', rps: 'drop <= 5%', cpuUsPerRequest: 'rise <= 5%' }],
        additionalProperties: false,
        properties: metricProps,
        patternProperties: { [PROBE_METRIC_PATTERN]: thresholdValue('none', "a probe's total weight per request") },
        items: {
          type: 'object',
          description: 'One threshold: a metric and at least one bound.',
          additionalProperties: false,
          required: ['metric'],
          minProperties: 2,
          properties: {
            metric: {
              type: 'string',
              pattern: `^(?:${metricNames.join('|')}|probe:[A-Za-z0-9][A-Za-z0-9_.-]*)$`,
              description: `Metric name: ${metricNames.join(', ')}, or probe:<id>.`,
              examples: metricNames,
            },
            max: thresholdBound('Upper bound (inclusive) on the candidate median; time metrics take units ("5ms"), bare numbers are µs.'),
            min: thresholdBound('Lower bound (inclusive) on the candidate median.'),
            maxIncreasePct: {
              type: 'number',
              minimum: 0,
              description: 'May rise at most this many percent over the baseline.',
              examples: [5],
            },
            maxDecreasePct: {
              type: 'number',
              minimum: 0,
              maximum: 100,
              description: 'May drop at most this many percent below the baseline.',
              examples: [5],
            },
          },
          examples: [{ metric: 'rps', maxDecreasePct: 5 }],
        },
      },
      variants: {
        type: 'array',
        description:
          'Named overrides (typically two nginx configs) run interleaved A B A B … `repeat` times and compared; the first is the baseline.',
        default: [],
        examples: [[{ name: 'A' }, { name: 'B', openresty: { variables: { iterations: 260 } } }]],
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          description: 'One variant.',
          properties: {
            name: { type: 'string', pattern: NAME_PATTERN, description: 'Variant name, unique; used in directory names.', examples: ['A', 'B', 'keepalive-off'] },
            description: { type: 'string', description: 'What this variant changes.', examples: ['30% more iterations'] },
            root: {
              type: 'string',
              minLength: 1,
              description:
                "A directory that stands in for the scenario file's directory for this variant: the scenario's `files:` and " +
                '`configFile` (and the ones this variant sets) are read from there, e.g. the same folder in a checkout of main ' +
                'beside the pull request, so CI compares both trees interleaved on one machine. Relative to the scenario file; ' +
                '`flamebench run --variant-root NAME=DIR` sets it from the command line.',
              examples: ['../../main/scenarios'],
            },
            openresty: openrestySchema(true),
            load: loadSchema(true),
          },
          examples: [{ name: 'B', openresty: { variables: { iterations: 260 } } }],
        },
      },
      repeat: {
        description:
          'Runs per variant, interleaved (A B A B …): a number, or `auto` (the default) to run A/B pairs until the verdict is decided — regression, pass or improvement — or the budget (`maxRepeats`, `maxSeconds`) is spent, which is inconclusive. `auto` uses a group-sequential design, so stopping early keeps the false-positive rate at α (docs/compare.md).',
        oneOf: [
          { type: 'integer', minimum: 1, maximum: 1000 },
          { const: 'auto' },
        ],
        default: DEFAULTS.repeat,
        examples: ['auto', 8],
      },
      minRepeats: integer(
        { min: 2, max: 1000 },
        '`repeat: auto`: pairs run before the first look at the data (each side needs ≥ 2 runs for an interval).',
        { default: DEFAULTS.minRepeats },
        [3],
      ),
      maxRepeats: integer(
        { min: 2, max: 1000 },
        '`repeat: auto`: the most runs per variant; when spent without a decision the verdict is inconclusive (exit 98).',
        { default: DEFAULTS.maxRepeats },
        [20],
      ),
      maxSeconds: duration('maxSeconds', '`repeat: auto`: the most time the series may take; when spent without a decision the verdict is inconclusive (exit 98).', DEFAULTS.maxSeconds, ['5m', 300]),
    },
    $defs: {
      duration: {
        title: 'duration',
        type: ['number', 'string'],
        minimum: 0,
        pattern: DURATION_PATTERN,
        description: 'A duration: a number of seconds, or a string with a unit (us, ms, s, m, h).',
        examples: ['10s', '500ms', '2m', 1.5],
      },
      cpus: {
        title: 'CPU list',
        type: ['string', 'array'],
        pattern: CPU_LIST_PATTERN,
        minItems: 1,
        uniqueItems: true,
        items: { type: 'integer', minimum: 0, description: 'A CPU number.', examples: [0, 1] },
        description: '"auto", a list of CPU numbers, or a string of ranges "0-3,6".',
        examples: ['auto', [0, 1], '0-3,6'],
      },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(buildSchema(), null, 2) + '\n');
}
