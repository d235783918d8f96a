/**
 * A private nginx for the load tests and the loader benchmark: temp prefix, one worker, optional
 * CPU pinning, optional Lua module (Debian: load_module lines). Only the pids started here are
 * ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestNginx {
  port: number;
  baseUrl: string;
  masterPid: number;
  workerPids: number[];
  stop(): Promise<void>;
}

const LUA_MODULES = ['/usr/lib/nginx/modules/ndk_http_module.so', '/usr/lib/nginx/modules/ngx_http_lua_module.so'];

export function luaAvailable(): boolean {
  return LUA_MODULES.every((m) => existsSync(m));
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

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function children(pid: number): number[] {
  try {
    const t = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return t ? t.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** `locations` goes inside the server block; {{port}} is not needed (we fill listen). */
export interface TestNginxOptions {
  locations: string;
  cpu?: number;
  lua?: boolean;
  workers?: number;
  /** nginx closes a keep-alive connection after this many requests (nginx's own default is 1000). */
  keepaliveRequests?: number;
  /** '0' makes nginx answer every request with Connection: close. */
  keepaliveTimeout?: string;
  workerConnections?: number;
}

export async function startNginx(opts: TestNginxOptions): Promise<TestNginx> {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'flamebench-load-nginx-'));
  const port = await freePort();
  const workers = opts.workers ?? 1;
  const conf = [
    ...(opts.lua ? LUA_MODULES.map((m) => `load_module ${m};`) : []),
    `worker_processes ${workers};`,
    ...(opts.cpu !== undefined ? [`worker_cpu_affinity ${(1 << opts.cpu).toString(2)};`] : []),
    'pid nginx.pid;',
    'error_log error.log warn;',
    `events { worker_connections ${opts.workerConnections ?? 4096}; }`,
    'http {',
    '  access_log off;',
    `  keepalive_requests ${opts.keepaliveRequests ?? 1000000};`,
    `  keepalive_timeout ${opts.keepaliveTimeout ?? '60s'};`,
    `  client_body_temp_path ${prefix}/tmp;`,
    `  server { listen 127.0.0.1:${port} backlog=4096; ${opts.locations} }`,
    '}',
  ].join('\n');
  writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const proc: ChildProcess = spawn('nginx', ['-p', prefix, '-c', 'nginx.conf', '-g', 'daemon off; master_process on;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const masterPid = proc.pid as number;
  let exited = false;
  proc.on('exit', () => (exited = true));
  const kill = (): void => {
    if (!exited) proc.kill('SIGKILL');
  };
  process.on('exit', kill);
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port)) || children(masterPid).length < workers) {
    if (exited || Date.now() > deadline) {
      kill();
      throw new Error(`nginx did not start: ${stderr}${existsSync(path.join(prefix, 'error.log')) ? readFileSync(path.join(prefix, 'error.log'), 'utf8') : ''}`);
    }
    await sleep(50);
  }
  const workerPids = children(masterPid);
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    masterPid,
    workerPids,
    stop: async () => {
      if (!exited) {
        proc.kill('SIGQUIT');
        const until = Date.now() + 3000;
        while (!exited && Date.now() < until) await sleep(50);
        kill();
        while (!exited) await sleep(20);
      }
      for (const w of workerPids) {
        try {
          process.kill(w, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      process.off('exit', kill);
      rmSync(prefix, { recursive: true, force: true });
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
