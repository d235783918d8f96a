import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { runPaths } from '../../src/runs/paths.js';
import {
  liveNginxCount,
  readUsableCpus,
  snapshotCpu,
  startCpuSampler,
  startNginx,
  stopAllNginx,
  summarizeCpu,
  type RunningNginx,
} from '../../src/nginx/index.js';
import { cpusAllowed } from '../../src/util/proc.js';
import { scenarioWith, tempRunDir } from './helpers.js';

const dirs: string[] = [];
const newPaths = () => {
  const d = tempRunDir();
  dirs.push(d);
  return runPaths(d);
};
const started: RunningNginx[] = [];
const start = async (...args: Parameters<typeof startNginx>) => {
  const t = await startNginx(...args);
  started.push(t);
  return t;
};

/** Waits (bounded) until SIGKILLed processes are gone: delivery is asynchronous on a busy machine. */
async function allGone(pids: number[], ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (pids.every(gone)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids.every(gone);
}

/** Gone, or a zombie waiting to be reaped. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

afterEach(async () => {
  // Whatever a failing test left: stop it (only the targets this file started).
  await Promise.all(started.splice(0).map((t) => t.stop()));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cpus = readUsableCpus();
const two = cpus.length >= 2 ? cpus.slice(0, 2) : [cpus[0] as number, cpus[0] as number];

describe('startNginx with real nginx', () => {
  it('serves a hello config, finds and pins its workers, samples their CPU, and stops cleanly', async () => {
    const paths = newPaths();
    const t = await start(scenarioWith({ workers: 2 }), paths, { injections: [], nginxCpus: two });
    expect(t.baseUrl).toBe(`http://127.0.0.1:${t.port}`);
    const res = await fetch(`${t.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello\n');

    // Workers are the master's children, one per worker_processes, each pinned to its CPU.
    expect(t.workerPids).toHaveLength(2);
    const children = readFileSync(`/proc/${t.masterPid}/task/${t.masterPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    for (const w of t.workerPids) expect(children).toContain(w);
    expect(t.workerPids.map((w) => cpusAllowed(w))).toEqual(two.map((c) => [c]));
    expect(execFileSync('taskset', ['-cp', String(t.workerPids[0])], { encoding: 'utf8' })).toMatch(new RegExp(`list: ${two[0]}\\s*$`));
    if (process.getuid?.() === 0) for (const w of t.workerPids) expect(uidOf(w)).not.toBe(0);

    // nginx.conf in the run directory is what ran.
    const conf = readFileSync(paths.nginxConf, 'utf8');
    expect(conf).toContain(`listen 127.0.0.1:${t.port};`);
    expect(existsSync(paths.errorLog)).toBe(true);

    // A short, bounded burst of requests shows up as worker CPU.
    const sampler = startCpuSampler({ workers: () => t.workerPids, loader: () => [process.pid], probes: () => [] }, { intervalMs: 250, phase: () => 'measure' });
    const before = snapshotCpu(t.workerPids);
    let requests = 0;
    const end = Date.now() + 2000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < end) {
          await (await fetch(`${t.baseUrl}/`)).text();
          requests++;
        }
      }),
    );
    const summary = summarizeCpu(sampler.stop(), { requests, workerCpuUs: snapshotCpu(t.workerPids) - before });
    expect(requests).toBeGreaterThan(0);
    expect(summary?.workerCpuUs).toBeGreaterThan(0);
    expect(summary?.workerPctPerWorker.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(summary?.workerCpuUsPerRequest).toBeGreaterThan(0);

    const pids = [t.masterPid, ...t.workerPids];
    await t.stop();
    await t.stop(); // idempotent
    for (const p of pids) expect(gone(p)).toBe(true);
    expect(liveNginxCount()).toBe(0);
  });

  it('loads the Lua module, runs Lua files copied under the prefix, and lets workers write into raw/', async () => {
    const src = tempRunDir();
    dirs.push(src);
    mkdirSync(path.join(src, 'lib'));
    writeFileSync(path.join(src, 'lib', 'app.lua'), 'local M = {}\nfunction M.sum(n) local s = 0 for i = 1, n do s = s + i end return s end\nreturn M\n');
    const config = [
      'server {',
      '  listen {{host}}:{{port}};',
      '  location /lua { content_by_lua_block { local app = require "app"; ngx.say("sum=", app.sum(100), " worker=", ngx.worker.id()) } }',
      '  location /write { content_by_lua_block {',
      '    local f = assert(io.open({{json rawDir}} .. "/probe-" .. ngx.worker.pid() .. ".txt", "w"))',
      '    f:write("ok") f:close() ngx.say("written") } }',
      '}',
    ].join('\n');
    const paths = newPaths();
    const t = await start(scenarioWith({ config, files: [{ from: path.join(src, 'lib', 'app.lua'), to: 'lua/app.lua' }] }), paths, {
      injections: [{ main: [], http: ['lua_shared_dict flamebench_test 1m;'] }],
      nginxCpus: [two[0] as number],
    });
    expect(t.luaModule).toBe(true);
    expect(await (await fetch(`${t.baseUrl}/lua`)).text()).toBe('sum=5050 worker=0\n');
    expect(await (await fetch(`${t.baseUrl}/write`)).text()).toBe('written\n');
    expect(readFileSync(path.join(paths.rawDir, `probe-${t.workerPids[0]}.txt`), 'utf8')).toBe('ok');
    expect(readFileSync(paths.nginxConf, 'utf8')).toContain('lua_shared_dict flamebench_test 1m;');
    await t.stop();
  });

  it('gives a proxy template a second port for its upstream server block', async () => {
    const config = [
      'upstream backend { server {{host}}:{{upstreamPort}}; keepalive 16; }',
      'server { listen {{host}}:{{upstreamPort}}; location / { return 200 "from upstream $server_port\\n"; } }',
      'server { listen {{host}}:{{port}}; location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://backend; } }',
    ].join('\n');
    const t = await start(scenarioWith({ config }), newPaths(), { injections: [], nginxCpus: [] });
    expect(t.upstreamPort).toBeGreaterThan(0);
    expect(t.upstreamPort).not.toBe(t.port);
    expect(await (await fetch(`${t.baseUrl}/`)).text()).toBe(`from upstream ${t.upstreamPort}\n`);
    await t.stop();
  });

  it('listens on IPv6 loopback when the load targets ::1', async () => {
    const scenario = scenarioWith({ config: 'server { listen {{listen}}; return 200 "v6\\n"; }' });
    scenario.load.host = '::1';
    const t = await start(scenario, newPaths(), { injections: [], nginxCpus: [] });
    expect(t.baseUrl).toBe(`http://[::1]:${t.port}`);
    expect(await (await fetch(t.baseUrl)).text()).toBe('v6\n');
    await t.stop();
  });

  it('runs a full nginx.conf template', async () => {
    const config = 'events { worker_connections 256; }\nhttp {\n  server { listen {{host}}:{{port}}; location / { return 200 "full\\n"; } }\n}\n';
    const paths = newPaths();
    const t = await start(scenarioWith({ config, configKind: 'full' }), paths, { injections: [], nginxCpus: [two[1] as number] });
    expect(await (await fetch(`${t.baseUrl}/`)).text()).toBe('full\n');
    expect(cpusAllowed(t.workerPids[0] as number)).toEqual([two[1]]);
    expect(readFileSync(paths.nginxConf, 'utf8')).toContain(`pid "${paths.prefix}/nginx.pid";`);
    await t.stop();
  });
});

describe('startNginx failures', () => {
  it('reports nginx -t’s own message for a bad config, and starts nothing', async () => {
    const paths = newPaths();
    const err = await startNginx(
      scenarioWith({ config: 'server {\n  listen {{port}};\n  bogus_directive on;\n}' }),
      paths,
      { injections: [], nginxCpus: [] },
    ).catch((e: unknown) => e);
    expect(isFlamebenchError(err)).toBe(true);
    if (!isFlamebenchError(err)) return;
    expect(err.code).toBe('E_NGINX_CONFIG');
    expect(err.kind).toBe('invalidInput');
    expect(err.message).toContain('unknown directive "bogus_directive"');
    expect(err.message).toContain(`${paths.nginxConf}:`);
    expect(err.details.some((d) => d.startsWith('>') && d.includes('bogus_directive on;'))).toBe(true);
    expect(liveNginxCount()).toBe(0);
    expect(existsSync(`${paths.prefix}/nginx.pid`)).toBe(false);
  });

  it('says E_PORT_BUSY when the scenario’s port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startNginx(scenarioWith({ port }), newPaths(), { injections: [], nginxCpus: [] }).catch((e: unknown) => e);
      expect(isFlamebenchError(err) && err.code).toBe('E_PORT_BUSY');
      expect(isFlamebenchError(err) && err.kind).toBe('environment');
      expect((err as Error).message).toContain(String(port));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('stops at an aborted signal without leaving nginx behind', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const err = await startNginx(scenarioWith({}), newPaths(), { injections: [], nginxCpus: [], signal: ctl.signal }).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_INTERRUPTED');
    expect(liveNginxCount()).toBe(0);
  });
});

describe('as an unprivileged user', () => {
  // Run as nobody (via runuser when we are root): no `user` directive, and privileged ports refused.
  function runAsUnprivileged(port: number): { code?: string; body?: string; pids?: number[] } {
    const dir = tempRunDir();
    dirs.push(dir);
    const script = path.join(dir, 'unprivileged.mts');
    writeFileSync(
      script,
      [
        `import { startNginx } from ${JSON.stringify(path.resolve('src/nginx/index.ts'))};`,
        `import { runPaths } from ${JSON.stringify(path.resolve('src/runs/paths.ts'))};`,
        `import { scenarioWith } from ${JSON.stringify(path.resolve('test/nginx/helpers.ts'))};`,
        'try {',
        `  const t = await startNginx(scenarioWith({ port: ${port} }), runPaths(${JSON.stringify(path.join(dir, 'run'))}), { injections: [], nginxCpus: [] });`,
        '  const body = await (await fetch(t.baseUrl)).text();',
        '  await t.stop();',
        '  console.log(JSON.stringify({ body, pids: [t.masterPid, ...t.workerPids] }));',
        '} catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }',
      ].join('\n'),
    );
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chown', ['-R', 'nobody', dir]);
    const cmd = root ? ['runuser', '-u', 'nobody', '--', process.execPath] : [process.execPath];
    const out = spawnSync(cmd[0] as string, [...cmd.slice(1), '--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { code?: string; body?: string; pids?: number[] };
  }

  it('starts and stops nginx without root', () => {
    const r = runAsUnprivileged(0);
    expect(r.body).toBe('hello\n');
    for (const p of r.pids ?? []) expect(gone(p)).toBe(true);
    expect(r.pids).toHaveLength(2);
  });

  it('says E_NOT_PERMITTED for a privileged port', () => {
    expect(Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))).toBeGreaterThan(80);
    expect(runAsUnprivileged(80).code).toBe('E_NOT_PERMITTED');
  });
});

describe('never a process left behind', () => {
  it('stopAllNginx stops every live target', async () => {
    const a = await start(scenarioWith({}), newPaths(), { injections: [], nginxCpus: [] });
    const b = await start(scenarioWith({}), newPaths(), { injections: [], nginxCpus: [] });
    expect(liveNginxCount()).toBe(2);
    const pids = [a.masterPid, b.masterPid, ...a.workerPids, ...b.workerPids];
    await stopAllNginx();
    expect(liveNginxCount()).toBe(0);
    for (const p of pids) expect(gone(p)).toBe(true);
  });

  /** A Node script that starts a target, prints its pids, then does `then`. */
  function childScript(then: string): string {
    const paths = newPaths();
    const script = [
      `import { startNginx } from ${JSON.stringify(path.resolve('src/nginx/index.ts'))};`,
      `import { runPaths } from ${JSON.stringify(path.resolve('src/runs/paths.ts'))};`,
      `import { scenarioWith } from ${JSON.stringify(path.resolve('test/nginx/helpers.ts'))};`,
      `const t = await startNginx(scenarioWith({}), runPaths(${JSON.stringify(paths.dir)}), { injections: [], nginxCpus: [] });`,
      'console.log(JSON.stringify([t.masterPid, ...t.workerPids]));',
      then,
    ].join('\n');
    const file = path.join(paths.dir, 'child.mts');
    writeFileSync(file, script);
    return file;
  }

  it('stops nginx when Node gets a fatal signal nobody handles, then dies of it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript('setInterval(() => {}, 1000);')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve();
        });
        child.once('exit', () => reject(new Error(`child exited early: ${out}`)));
      });
      const pids = JSON.parse(out.trim()) as number[];
      expect(pids.every((p) => !gone(p))).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      for (const p of pids) expect(gone(p)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('kills nginx when Node exits without stopping it', async () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', childScript('process.exit(3);')], { encoding: 'utf8', timeout: 30_000 });
    expect(out.status).toBe(3);
    const pids = JSON.parse(out.stdout.trim().split('\n').pop() ?? '[]') as number[];
    expect(pids.length).toBe(2);
    expect(await allGone(pids)).toBe(true);
  });
});
