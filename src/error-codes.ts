import type { ErrorKind } from './errors.js';

/**
 * Every error code a user can meet, with its kind (which fixes the exit code: errors.ts ExitCode)
 * and what it means, in one place (Lighthouse's lh-error.js keeps its codes the same way).
 * The error builders accept only a code of their own kind, so a code cannot drift to another
 * exit code; docs/errors.md is generated from this table (`npx tsx scripts/gen-error-docs.ts`).
 */
export const ERROR_CODES = {
  // invalid input (exit 2): the scenario, a flag, a file given
  E_SCENARIO_INVALID: { kind: 'invalidInput', doc: 'The scenario does not pass its schema or checks; every problem is listed as file:line:col.' },
  E_SCENARIO_NOT_FOUND: { kind: 'invalidInput', doc: 'The scenario file does not exist or is not a file.' },
  E_SCENARIO_TOO_LARGE: { kind: 'invalidInput', doc: 'The scenario is over the size, key, item or alias bounds (4 MiB, 50,000 keys, 100 aliases).' },
  E_TEMPLATE: { kind: 'invalidInput', doc: 'The nginx config template does not compile or uses an unknown variable or helper.' },
  E_NGINX_CONFIG: { kind: 'invalidInput', doc: '`nginx -t` refused the rendered config; its message and the lines around it are shown.' },
  E_FILE_MISSING: { kind: 'invalidInput', doc: 'A file listed in openresty.files does not exist.' },
  E_FILE_TARGET: { kind: 'invalidInput', doc: 'A `to:` in openresty.files is not a path inside the nginx prefix.' },
  E_CPU_NOT_ONLINE: { kind: 'invalidInput', doc: 'openresty.cpus or load.cpus names a CPU this machine (or cgroup) does not offer.' },
  E_NO_CPUS: { kind: 'invalidInput', doc: 'No online CPU was found.' },
  E_WORKERS: { kind: 'invalidInput', doc: 'openresty.workers is not a positive whole number.' },
  E_LUAJIT_NOISE: { kind: 'invalidInput', doc: 'openresty.luajitNoise: flush cannot be used with this config (it has its own init_worker_by_lua*).' },
  E_LOAD_CONNECTIONS: { kind: 'invalidInput', doc: 'More connections than nginx can hold (workers × worker_connections).' },
  E_LOAD_NOT_LOOPBACK: { kind: 'invalidInput', doc: 'The load target is not a loopback address and the scenario does not allow more.' },
  E_LOAD_RATE: { kind: 'invalidInput', doc: 'load.mode: rate without a usable rate.' },
  E_LOAD_URL: { kind: 'invalidInput', doc: 'The address the load stage was handed is not a URL.' },
  E_VARIANT_UNKNOWN: { kind: 'invalidInput', doc: 'A variant named on the command line is not in the scenario.' },
  E_VARIANT_ROOT: { kind: 'invalidInput', doc: "A variant's root (--variant-root or variants[].root) lacks files the scenario lists." },
  E_VARIANTS_TOO_FEW: { kind: 'invalidInput', doc: 'A comparison of variants needs at least two.' },
  E_USAGE: { kind: 'invalidInput', doc: 'The command was called with arguments that do not go together.' },
  E_BAD_ARGS: { kind: 'invalidInput', doc: 'A command got the wrong number or kind of arguments.' },
  E_BAD_FLAG: { kind: 'invalidInput', doc: 'A command-line flag has a value it does not take.' },
  E_BAD_OPTION: { kind: 'invalidInput', doc: 'A collapse option has a value it does not take.' },
  E_BAD_ALPHA: { kind: 'invalidInput', doc: '--alpha is not a probability between 0 and 0.5.' },
  E_BAD_THRESHOLD: { kind: 'invalidInput', doc: 'A threshold (-t or YAML) does not follow the threshold grammar (docs/compare.md).' },
  E_BAD_BASELINE_NAME: { kind: 'invalidInput', doc: 'A stored baseline name has characters a file name cannot hold.' },
  E_NO_BASELINE: { kind: 'invalidInput', doc: 'compare --baseline names a baseline that was never stored.' },
  E_BAD_MINWIDTH: { kind: 'invalidInput', doc: 'render --minwidth is neither pixels nor a percentage.' },
  E_BAD_PALETTE_MAP: { kind: 'invalidInput', doc: 'A palette map file has lines that are not `name->rgb(r,g,b)`.' },
  E_BUILD_WHAT: { kind: 'invalidInput', doc: '`flamebench build` was asked for something it does not build.' },
  E_INPUT_UNREADABLE: { kind: 'invalidInput', doc: 'An input file (or stdin) cannot be read.' },
  E_NO_INPUT: { kind: 'invalidInput', doc: 'No input was given and stdin is a terminal.' },
  E_MIXED_INPUT: { kind: 'invalidInput', doc: 'Run directories and folded files were mixed in one call.' },
  E_NO_STACKS: { kind: 'invalidInput', doc: 'The input holds no stack the command can use.' },
  E_PERF_SCRIPT: { kind: 'invalidInput', doc: '`perf script` could not read the perf.data given.' },
  E_NOT_FOUND: { kind: 'invalidInput', doc: 'The probe or file asked for is not in the run.' },
  E_NOT_A_RUN_DIR: { kind: 'invalidInput', doc: 'The directory has no run.json: it is not a run directory.' },
  E_BAD_RUN_JSON: { kind: 'invalidInput', doc: 'run.json (or load.json) is corrupt or does not match schema/run.schema.json; the field is named.' },
  E_BAD_RUN_FILE: { kind: 'invalidInput', doc: "A run's load.json or probe meta is damaged, so compare refuses the run." },
  E_RUN_SCHEMA: { kind: 'invalidInput', doc: 'run.json was written by a flamebench with another schemaVersion.' },
  E_NO_RUNS: { kind: 'invalidInput', doc: 'compare found no run to compare.' },
  E_NO_USABLE_RUNS: { kind: 'invalidInput', doc: 'Every run given to compare failed.' },
  // environment (exit 3): this machine lacks something
  E_NO_NGINX: { kind: 'environment', doc: 'No nginx or OpenResty with the Lua module was found.' },
  E_NGINX_EXEC: { kind: 'environment', doc: 'The nginx binary could not be executed.' },
  E_AFFINITY: { kind: 'environment', doc: 'The nginx workers are not on the CPUs asked for (cpuset of this container?).' },
  E_PORT: { kind: 'environment', doc: 'nginx cannot listen on the port.' },
  E_PORT_BUSY: { kind: 'environment', doc: 'The port is in use by another process.' },
  E_NOT_PERMITTED: { kind: 'environment', doc: 'Not permitted to listen on the port (below 1024 without the capability).' },
  E_OUT_DIR: { kind: 'environment', doc: 'The run directory cannot be created where it was asked for (not a directory, /proc, /sys, or too many of that name).' },
  E_LOADER_START: { kind: 'environment', doc: 'The load generator process could not be started (locally or on a loader host).' },
  E_LOADER_VERSION: { kind: 'environment', doc: 'A loader host runs another flamebench version than the coordinator.' },
  E_LOAD_LOCAL_PORTS: { kind: 'environment', doc: 'More connections than the local port range allows.' },
  E_LOAD_OPEN_FILES: { kind: 'environment', doc: "More connections than the loader's open-files limit (ulimit -n)." },
  E_AUTOCANNON_INTERNALS: { kind: 'environment', doc: "The installed autocannon lacks the internals flamebench's fast response parser patches." },
  E_PERF_MISSING: { kind: 'environment', doc: 'perf is needed to read a perf.data file and is not installed.' },
  E_PROBE_TRACEFS: { kind: 'environment', doc: 'tracefs is not mounted and could not be mounted (the off-CPU probe needs sched_switch).' },
  E_PROBE_UNAVAILABLE: { kind: 'environment', doc: 'The probe cannot run on this machine (e.g. SystemTap without kernel debuginfo).' },
  E_LUAJIT_PROFILING: { kind: 'environment', doc: 'openresty.luajit: profiling, but no profiling LuaJIT is built.' },
  E_LUAJIT_BUILD: { kind: 'environment', doc: 'Building the profiling LuaJIT failed.' },
  E_LUAJIT_MISMATCH: { kind: 'environment', doc: 'The fetched source built another LuaJIT version than the installed one; nothing was installed.' },
  E_LUAJIT_NONE: { kind: 'environment', doc: 'nginx has no Lua module, so there is no LuaJIT to rebuild.' },
  E_LUAJIT_NOT_DEB: { kind: 'environment', doc: 'The LuaJIT in use belongs to no Debian package, so its source cannot be fetched.' },
  E_LUAJIT_OPENRESTY: { kind: 'environment', doc: 'OpenResty bundles its own LuaJIT: a profiling build is not used there.' },
  E_LUAJIT_SOURCE: { kind: 'environment', doc: 'No apt archive serves the source of exactly the installed LuaJIT version.' },
  // the run failed (exit 4): something broke while measuring
  E_NGINX_START: { kind: 'runFailed', doc: 'nginx exited while starting; the end of its error.log is shown.' },
  E_NGINX_NOT_READY: { kind: 'runFailed', doc: 'nginx did not become ready (workers up, port answering) in time.' },
  E_NGINX_STOP: { kind: 'runFailed', doc: 'nginx processes did not stop even after SIGKILL.' },
  E_LOADER_DIED: { kind: 'runFailed', doc: 'The load generator died during the window; what it measured is kept (load.json partial).' },
  E_PROBE_START: { kind: 'runFailed', doc: 'A probe recorder did not start.' },
  E_PROBE_RECORD: { kind: 'runFailed', doc: 'A probe recorder stopped by itself during the window.' },
  E_PROBE_NO_PIDS: { kind: 'runFailed', doc: 'A probe had no nginx worker left to record.' },
  E_PROBE_POSTPROCESS: { kind: 'runFailed', doc: "Turning a probe's recording into stacks failed." },
  E_RUN_FAILED: { kind: 'runFailed', doc: 'The run failed; the run directory says where.' },
  E_VARIANT_NO_RUNS: { kind: 'runFailed', doc: 'A variant of a comparison has no successful run.' },
  E_HARNESS_KILLED: { kind: 'runFailed', doc: 'flamebench was killed during this run; a later flamebench stopped its leftovers (run.json only).' },
  E_IN_PROGRESS: { kind: 'runFailed', doc: 'The run has not finished (run.json while measuring, or after flamebench was killed).' },
  // the window measured nothing (exit 5)
  E_NO_MEASUREMENT: { kind: 'noMeasurement', doc: 'The measured window completed no request; the counters are kept in load.json.' },
  // output could not be written (exit 6)
  E_STORAGE: { kind: 'storage', doc: 'Some files of the run could not be written (disk full, read-only); they are named, the rest is kept.' },
  E_WRITE_PALETTE_MAP: { kind: 'storage', doc: 'The palette map file could not be written.' },
  // interrupted (exit 130)
  E_INTERRUPTED: { kind: 'interrupted', doc: 'Ctrl-C, SIGTERM or SIGHUP: the run stopped cleanly, what was measured is kept.' },
  E_INTERRUPTED_FORCED: { kind: 'interrupted', doc: 'A second signal: nginx was killed and run.json written at once.' },
  // internal (exit 1)
  E_INTERNAL: { kind: 'internal', doc: 'A bug in flamebench; please report it with the run directory.' },
} as const satisfies Record<string, { kind: ErrorKind; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of one kind: what `invalidInput(…)`, `environmentError(…)`, `runFailed(…)` accept. */
export type CodeOfKind<K extends ErrorKind> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never }[ErrorCode];
