import { readdirSync, readFileSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect } from 'vitest';
import { checkProbes, collectInjections, startProbes } from '../../src/probes/index.js';
import { runPaths, type RunPaths } from '../../src/runs/paths.js';
import type { ProbeMeta } from '../../src/runs/types.js';
import type { ProbeSpec, Scenario } from '../../src/scenario/types.js';
import { startNginx } from '../../src/nginx/index.js';
import type { RunningNginx } from '../../src/nginx/types.js';
import { parseFolded } from '../../src/stacks/folded.js';
import { tempRunDir, testScenario } from '../helpers/scenario.js';

/**
 * A Lua handler that burns CPU in named functions, and a handler that waits on a slow upstream
 * (a second server in the same nginx whose handler sleeps 50 ms) through a cosocket.
 */
export const LUA_CONFIG = `
server {
  listen {{host}}:{{port}};
  location / {
    content_by_lua_block {
      local function busy_work(n)
        local s = 0
        for i = 1, n do s = s + math.sin(i) * math.cos(i) end
        return s
      end
      local function make_body()
        local t = {}
        for i = 1, 20 do t[#t + 1] = string.format("%.3f", busy_work(300)) end
        return table.concat(t, ",")
      end
      ngx.say(#make_body())
    }
  }
  location /slow {
    content_by_lua_block {
      local function fetch_upstream()
        local sock = ngx.socket.tcp()
        sock:settimeout(5000)
        assert(sock:connect("127.0.0.1", {{upstreamPort}}))
        assert(sock:send("GET / HTTP/1.0\\r\\nHost: up\\r\\n\\r\\n"))
        local body = sock:receive("*a")
        sock:close()
        return body
      end
      local body = fetch_upstream()
      ngx.say(body and #body or 0)
    }
  }
  location /capture {
    content_by_lua_block {
      local function via_subrequest()
        local res = ngx.location.capture("/internal-wait")
        return res.status
      end
      ngx.say(via_subrequest())
    }
  }
  location = /internal-wait {
    internal;
    content_by_lua_block { ngx.sleep(0.02) ngx.say("x") }
  }
  location /sema {
    content_by_lua_block {
      local semaphore = require "ngx.semaphore"
      local function wait_for_signal()
        local sema = semaphore.new()
        local ok = sema:wait(0.02) -- nobody posts: it times out after 20 ms
        return ok -- (not a tail call: that would drop this frame from the stack)
      end
      ngx.say(tostring(wait_for_signal()))
    }
  }
}
server {
  listen {{host}}:{{upstreamPort}};
  location / {
    content_by_lua_block {
      local function slow_backend()
        ngx.sleep(0.05)
        ngx.say("upstream answer")
      end
      slow_backend()
    }
  }
}
`;

export function scenarioFor(probes: ProbeSpec[], workers = 2, config = LUA_CONFIG): Scenario {
  return testScenario({ source: '/test/probes.yaml', name: 'probes-test', openresty: { workers, config }, probes });
}

export interface Started {
  target: RunningNginx;
  paths: RunPaths;
}

/** A run directory under /tmp (reachable by the unprivileged worker user) and nginx started with the probes' injections. */
export async function startWithProbes(probes: ProbeSpec[], workers = 2, config = LUA_CONFIG): Promise<Started> {
  const paths = runPaths(tempRunDir('flamebench-probes-'));
  const scenario = scenarioFor(probes, workers, config);
  const target = await startNginx(scenario, paths, { injections: collectInjections(probes, paths), nginxCpus: [] });
  return { target, paths };
}

/**
 * For the enclosing describe: nginx started with the probes' injections before its tests, stopped
 * (and its run directory removed) after them. Tests call the returned function to get it.
 */
export function nginxForSuite(probes: ProbeSpec[], workers?: number, config?: string): () => Started {
  let started: Started | undefined;
  beforeAll(async () => {
    started = await startWithProbes(probes, workers, config);
  }, 30_000);
  afterAll(async () => {
    await teardown(started);
  });
  return () => {
    if (!started) throw new Error('nginx did not start for this describe (see its beforeAll)');
    return started;
  };
}

/** checkProbes as root on this machine: every one of `probes` is available ('ok'). */
export async function expectAvailableAsRoot(probes: ProbeSpec[]): Promise<void> {
  const statuses = await checkProbes(probes, { isRoot: true, nginx: null });
  expect(statuses.map((x) => x.status)).toEqual(probes.map(() => 'ok'));
}

/**
 * One recording: starts the probes (expecting `recorders` perf/bpftrace processes), runs `during`
 * while they record, and stops them: every probe ends 'ok' and no recorder is left behind.
 */
export async function recordAllOk(s: Started, probes: ProbeSpec[], recorders: number, during: () => Promise<unknown>): Promise<void> {
  const started = await startProbes(probes, s.target, s.paths);
  expect(started.recorderPids().length).toBe(recorders);
  await during();
  const statuses = await started.stop();
  expect(statuses.map((x) => [x.id, x.status, x.error?.message])).toEqual(probes.map((p) => [p.id, 'ok', undefined]));
  expect(recordersOf(s.paths)).toEqual([]);
}

/** A probe's meta.json in the run directory. */
export const readMeta = (s: Started, id: string): ProbeMeta => JSON.parse(readFileSync(s.paths.probeMeta(id), 'utf8')) as ProbeMeta;

/** A probe's folded stacks in the run directory. */
export const readFolded = (s: Started, id: string) => parseFolded(readFileSync(s.paths.folded(id), 'utf8')).stacks;

export interface LoadOptions {
  path?: string;
  seconds?: number;
  amount?: number;
  connections?: number;
}

export async function load(target: RunningNginx, o: LoadOptions = {}): Promise<autocannon.Result> {
  return autocannon({
    url: `${target.baseUrl}${o.path ?? '/'}`,
    connections: o.connections ?? 8,
    ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.seconds ?? 3 }),
    timeout: 10,
  });
}

export function errorLog(paths: RunPaths): string {
  try {
    return readFileSync(paths.errorLog, 'utf8');
  } catch {
    return '';
  }
}

/** perf/bpftrace/stap processes whose command line mentions this run directory. */
export function recordersOf(paths: RunPaths): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(paths.dir) && /\b(perf|bpftrace|stap)\b/.test(cmd)) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Stops nginx and removes the run directory (perf.data files are tens of MB). */
export async function teardown(s: Started | undefined): Promise<void> {
  if (!s) return;
  await s.target.stop();
  if (!process.env.KEEP_RUN) rmSync(s.paths.dir, { recursive: true, force: true });
}
