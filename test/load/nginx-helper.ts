/**
 * A private nginx for the load tests and the loader benchmark, started by the nginx stage itself
 * (startNginx: config rendering, nginx -t, Lua modules from the installation found, readiness,
 * worker pids, pinning, stop), so the hand-off from the nginx stage to the loader is what these
 * tests exercise. Only the nginx started here is ever signalled.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { runPaths } from '../../src/runs/paths.js';
import { findNginx, startNginx, trackWorkers } from '../../src/nginx/index.js';
import type { WorkerCpuMeter } from '../../src/load/index.js';
import { tempRunDir, testScenario } from '../helpers/scenario.js';

export interface TestNginx {
  port: number;
  baseUrl: string;
  masterPid: number;
  workerPids: number[];
  /** Their CPU as the load stage reads it in saturate mode (the nginx stage's tracker, as a run has it). */
  workers: WorkerCpuMeter;
  stop(): Promise<void>;
}

/**
 * Where the real-load tests and the loader benchmark pin their processes: nginx on CPU 0, the
 * loader on CPU 1, so the two do not take turns on one core.
 */
export const NGINX_CPU = 0;
export const LOADER_CPU = 1;

const installation = await findNginx('auto').catch(() => null);

/** nginx with the Lua module is installed (the stage found it, wherever its modules live). */
export function luaAvailable(): boolean {
  return installation?.luaModule ?? false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `locations` goes inside the server block; the stage fills in the listen address. */
export interface TestNginxOptions {
  locations: string;
  cpu?: number;
  /** Kept for callers: the stage loads the Lua module whenever the installation has it. */
  lua?: boolean;
  workers?: number;
  /** nginx closes a keep-alive connection after this many requests (nginx's own default is 1000). */
  keepaliveRequests?: number;
  /** '0' makes nginx answer every request with Connection: close. */
  keepaliveTimeout?: string;
  workerConnections?: number;
}

export async function startTestNginx(opts: TestNginxOptions): Promise<TestNginx> {
  if (!installation) throw new Error('nginx not found (run scripts/bootstrap.sh)');
  const dir = tempRunDir('flamebench-load-nginx-');
  const scenario = testScenario({
    name: 'load-test',
    openresty: {
      workers: opts.workers ?? 1,
      cpus: opts.cpu !== undefined ? [opts.cpu] : [],
      eventsDirectives: `worker_connections ${opts.workerConnections ?? 4096};`,
      config: [
        `keepalive_requests ${opts.keepaliveRequests ?? 1000000};`,
        `keepalive_timeout ${opts.keepaliveTimeout ?? '60s'};`,
        `server { listen {{listen}} backlog=4096; ${opts.locations} }`,
      ].join('\n'),
    },
  });
  let target;
  try {
    target = await startNginx(scenario, runPaths(dir), { injections: [], nginxCpus: opts.cpu !== undefined ? [opts.cpu] : [], installation });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const t = target;
  const workers = trackWorkers(t.masterPid, t.workerPids);
  return {
    port: t.port,
    baseUrl: t.baseUrl,
    masterPid: t.masterPid,
    workerPids: t.workerPids,
    workers,
    stop: async () => {
      workers.stop();
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Lua handler doing real CPU work: string building, hashing, a regex, a table. */
export const LUA_WORK_LOCATION = `location / { default_type text/plain; content_by_lua_block {
  local t = {}
  for i = 1, 60 do t[i] = string.format("%d:%s", i, ngx.md5(tostring(i))) end
  local s = table.concat(t, ",")
  local m = ngx.re.match(s, [[(\\d+):([a-f0-9]+)$]], "jo")
  ngx.say(#s, " ", m and m[1] or "-")
} }`;

export const HELLO_LOCATION = 'location / { return 200 "hello\\n"; }';
