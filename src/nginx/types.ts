import type { RunPaths } from '../runs/paths.js';

/** Config text the probes add to the generated nginx.conf (e.g. jit.profile start-up in init_worker). */
export interface ConfigInjection {
  /** Directives for the main context. */
  main: string[];
  /** Directives inside http {} (lua_shared_dict, init_worker_by_lua_block, a control server, …). */
  http: string[];
}

/** What the rest of the pipeline knows about a running nginx. */
export interface RunningNginx {
  binary: string;
  /** `nginx -V` stderr. */
  version: string;
  luaModule: boolean;
  port: number;
  /** Second port, given to templates that use {{upstreamPort}} (e.g. a proxied backend server block). */
  upstreamPort?: number;
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  masterPid: number;
  workerPids: number[];
  nginxCpus: number[];
  paths: RunPaths;
  /** Facts worth a line in run.json (e.g. workers run as root, and why). */
  warnings?: string[];
  /** Graceful stop (QUIT), then TERM/KILL after a timeout. Idempotent. */
  stop(): Promise<void>;
}

export interface NginxInstallation {
  binary: string;
  version: string;
  /** Debian's nginx needs load_module lines for the lua module (and ndk). */
  loadModules: string[];
  luaModule: boolean;
  flavour: 'openresty' | 'nginx';
}
