import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentError, interrupted, invalidInput, runFailed } from '../errors.js';
import { writeFileAtomic } from '../runs/atomic.js';
import type { RunPaths } from '../runs/paths.js';
import type { Scenario } from '../scenario/types.js';
import { openrestyWarnings } from '../scenario/warnings.js';
import { childPids, cpusAllowed, processCmdline, processStartTicks } from '../util/proc.js';
import { affinityMasks, expectedWorkerCpus } from './affinity.js';
import { findNginx } from './find.js';
import { assertPortFree, canConnect, pickFreePort, portError } from './ports.js';
import { isAlive, registerNginx, signal, type OwnedProcess } from './registry.js';
import { guardProcessGroup } from '../util/guard.js';
import { liveRunFor } from '../runs/live-runs.js';
import { renderNginxConf, templateUses } from './render.js';
import type { ConfigInjection, NginxInstallation, RunningNginx } from './types.js';
import { chooseWorkerUser, chownTree } from './workerUser.js';

export interface StartNginxOptions {
  injections: ConfigInjection[];
  /** From planPlacement; [] = workers not pinned. */
  nginxCpus: number[];
  installation?: NginxInstallation;
  signal?: AbortSignal;
  /** Bound on "started → port answers with all workers up"; default 10 s. */
  readyTimeoutMs?: number;
  /** Extra environment for nginx (and nginx -t), e.g. LD_LIBRARY_PATH for a profiling LuaJIT. */
  env?: Record<string, string>;
}

/** Stop timeouts: QUIT lets workers finish requests in flight; TERM is nginx's fast shutdown. */
const QUIT_WAIT_MS = 5_000;
const TERM_WAIT_MS = 3_000;
const KILL_WAIT_MS = 2_000;
/** With an auto-picked port another process may grab it before nginx binds: pick again. */
const PORT_ATTEMPTS = 3;

/**
 * Starts nginx for a scenario with its private prefix inside the run directory:
 * nginx -t, start, wait until every worker is up and the port answers, verify the CPU pinning.
 * The returned RunningNginx is registered for stopAllNginx() until it is stopped.
 */
export async function startNginx(scenario: Scenario, paths: RunPaths, opts: StartNginxOptions): Promise<RunningNginx> {
  const spec = scenario.openresty;
  const installation = opts.installation ?? (await findNginx(spec.binary));
  const host = loopbackHost(scenario.load.host);
  prepareDirs(paths);
  copyFiles(spec.files, paths.prefix);
  const worker = chooseWorkerUser(allowTraversal(paths.dir));
  if (worker.uid !== null && worker.gid !== null) {
    chownTree(paths.prefix, worker.uid, worker.gid);
    chownTree(paths.rawDir, worker.uid, worker.gid);
  }
  const warnings = [...(worker.warning ? [worker.warning] : []), ...openrestyWarnings(spec)];

  for (let attempt = 1; ; attempt++) {
    checkAborted(opts.signal);
    const port = spec.port === 0 ? await pickFreePort(host) : spec.port;
    if (spec.port !== 0) await assertPortFree(port);
    let upstreamPort: number | undefined;
    if (templateUses(spec.config, 'upstreamPort')) {
      do upstreamPort = await pickFreePort(host);
      while (upstreamPort === port);
    }
    const conf = renderNginxConf({
      openresty: spec,
      installation,
      paths,
      port,
      ...(upstreamPort !== undefined ? { upstreamPort } : {}),
      host,
      nginxCpus: opts.nginxCpus,
      injections: opts.injections,
      user: worker.directive,
      openFilesLimit: openFilesLimit(),
    });
    await writeFileAtomic(paths.nginxConf, conf);
    await testConfig(installation, paths, conf, opts.env);
    const launched = await launch({ installation, paths, conf, host, port, upstreamPort, nginxCpus: opts.nginxCpus, warnings, opts });
    if ('nginx' in launched) return launched.nginx;
    // Picking again helps only when the busy port is the one we picked, not one the template hard-codes.
    const retry = spec.port === 0 && launched.busyPort === port && attempt < PORT_ATTEMPTS;
    if (!retry) throw launched.error;
  }
}

/** Why nginx exited while starting; `busyPort` when a port it had to listen on was taken. */
interface StartFailure {
  error: Error;
  busyPort: number | null;
}

interface LaunchInput {
  installation: NginxInstallation;
  paths: RunPaths;
  conf: string;
  host: string;
  port: number;
  upstreamPort: number | undefined;
  nginxCpus: number[];
  warnings: string[];
  opts: StartNginxOptions;
}

async function launch(input: LaunchInput): Promise<{ nginx: RunningNginx } | StartFailure> {
  const { installation, paths, conf, host, port } = input;
  const logStart = fileSize(paths.errorLog);
  // stderr goes to error.log: with nginx's startup messages there, no pipe keeps Node alive.
  const errFd = openSync(paths.errorLog, 'a');
  let child: ChildProcess;
  try {
    // Own process group: a Ctrl-C on the terminal reaches us, and we stop nginx in order.
    child = spawn(installation.binary, ['-p', `${paths.prefix}/`, '-c', paths.nginxConf], {
      stdio: ['ignore', errFd, errFd],
      detached: true,
      env: { ...process.env, ...input.opts.env },
    });
  } finally {
    closeSync(errFd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.once('exit', (code, sig) => {
    exited = { code, signal: sig };
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    const e = await spawnError;
    throw environmentError('E_NGINX_EXEC', `cannot run ${installation.binary}: ${e.message}`, 'check openresty.binary');
  }

  const master: OwnedProcess = { pid, startTicks: processStartTicks(pid) };
  // The master leads its own process group (detached), which its workers share: if flamebench
  // is SIGKILLed, the guard kills the group; the live-run record lets a later run find it too.
  const unguard = guardProcessGroup(pid);
  liveRunFor(paths.dir)?.addProcess({ pid, startTicks: master.startTicks, group: true, role: 'nginx' });
  let workers: OwnedProcess[] = [];
  let stopping: Promise<void> | null = null;
  const unregister = registerNginx({ stop: () => stop(), processes: () => [master, ...workers] });
  const stop = (): Promise<void> => {
    stopping ??= stopProcesses(master, () => workers).finally(() => {
      unregister();
      unguard();
    });
    return stopping;
  };

  let failure: StartFailure | null = null;
  try {
    const expectedWorkers = workerCount(conf);
    const deadline = Date.now() + (input.opts.readyTimeoutMs ?? 10_000);
    for (;;) {
      checkAborted(input.opts.signal);
      if (exited) {
        failure = startFailure(exited, paths.errorLog, logStart, port);
        break;
      }
      // Workers exist only after every listen socket is bound, so this is the readiness signal
      // that cannot be fooled by some other process answering on the port.
      const found = childPids(pid).filter((c) => /worker process/.test(processCmdline(c) ?? ''));
      if (found.length >= expectedWorkers && (await canConnect(host, port))) {
        workers = found.sort((a, b) => a - b).map((p) => ({ pid: p, startTicks: processStartTicks(p) }));
        break;
      }
      if (Date.now() > deadline) {
        throw runFailed(
          'E_NGINX_NOT_READY',
          `nginx did not become ready within ${Math.round((input.opts.readyTimeoutMs ?? 10_000) / 1000)} s (${found.length}/${expectedWorkers} workers up, port ${port} ${found.length >= expectedWorkers ? 'not answering' : 'not checked'})`,
          'look at nginx/error.log in the run directory',
          errorLogTail(paths.errorLog, logStart),
        );
      }
      await sleep(50);
    }
    const masks = affinityMasks(expectedWorkers, input.nginxCpus);
    if (failure === null && masks.length > 0 && conf.includes(`worker_cpu_affinity ${masks.join(' ')};`)) {
      verifyAffinity(workers.map((w) => w.pid), expectedWorkerCpus(expectedWorkers, input.nginxCpus), paths.errorLog, logStart);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  if (failure !== null) {
    await stop();
    return failure;
  }

  const bracketed = host.includes(':') ? `[${host}]` : host;
  const nginx: RunningNginx = {
    binary: installation.binary,
    version: installation.version,
    luaModule: installation.luaModule,
    port,
    ...(input.upstreamPort !== undefined ? { upstreamPort: input.upstreamPort } : {}),
    baseUrl: `http://${bracketed}:${port}`,
    masterPid: pid,
    workerPids: workers.map((w) => w.pid),
    nginxCpus: input.nginxCpus,
    paths,
    warnings: input.warnings,
    stop,
  };
  return { nginx };
}

async function stopProcesses(master: OwnedProcess, workers: () => OwnedProcess[]): Promise<void> {
  const all = () => [master, ...workers()];
  const steps: Array<[NodeJS.Signals, number]> = [
    ['SIGQUIT', QUIT_WAIT_MS],
    ['SIGTERM', TERM_WAIT_MS],
    ['SIGKILL', KILL_WAIT_MS],
  ];
  for (const [sig, wait] of steps) {
    const alive = all().filter(isAlive);
    if (alive.length === 0) return;
    // The master forwards QUIT/TERM to its workers; orphaned workers (master gone) get it directly.
    if (isAlive(master)) signal(master.pid, sig);
    if (sig === 'SIGKILL' || !isAlive(master)) for (const w of workers()) if (isAlive(w)) signal(w.pid, sig);
    const until = Date.now() + wait;
    while (Date.now() < until && all().some(isAlive)) await sleep(25);
  }
  const left = all().filter(isAlive);
  if (left.length > 0) {
    throw runFailed('E_NGINX_STOP', `nginx processes ${left.map((p) => p.pid).join(', ')} survived SIGKILL`, 'they may be stuck in the kernel (D state); check `ps -o pid,stat,wchan -p <pid>`');
  }
}

async function testConfig(installation: NginxInstallation, paths: RunPaths, conf: string, env: Record<string, string> = {}): Promise<void> {
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(installation.binary, ['-t', '-q', '-p', `${paths.prefix}/`, '-c', paths.nginxConf], { timeout: 30_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, output: `${stderr}${stdout}`.trim() });
    });
  });
  if (result.code === 0) return;
  const message = result.output || `nginx -t exited with code ${result.code}`;
  const lua = /unknown directive "[a-z_]*by_lua|unknown directive "lua_/.test(message) && !installation.luaModule;
  throw invalidInput(
    'E_NGINX_CONFIG',
    message,
    lua
      ? `${installation.binary} has no Lua module: run npm run bootstrap (installs libnginx-mod-http-lua) or set openresty.binary to an openresty`
      : `fix the scenario's config template; the rendered file is ${paths.nginxConf}`,
    confContext(message, paths.nginxConf, conf),
  );
}

/** The lines of nginx.conf around the one nginx complained about ("in /…/nginx.conf:12"). */
export function confContext(message: string, confPath: string, conf: string): string[] {
  const esc = confPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc}:(\\d+)`).exec(message);
  if (!m?.[1]) return [];
  const line = Number(m[1]);
  const lines = conf.split('\n');
  const out: string[] = [];
  for (let i = Math.max(1, line - 2); i <= Math.min(lines.length, line + 2); i++) {
    out.push(`${i === line ? '>' : ' '}${String(i).padStart(4)} | ${lines[i - 1]}`);
  }
  return out;
}

function startFailure(exited: { code: number | null; signal: NodeJS.Signals | null }, errorLog: string, from: number, port: number): StartFailure {
  const tail = errorLogTail(errorLog, from);
  const text = tail.join('\n');
  if (/Address already in use/.test(text)) {
    const line = tail.find((l) => /Address already in use/.test(l)) ?? '';
    const busyPort = boundPort(line) ?? port;
    return { error: portError(busyPort, 'EADDRINUSE', line, port), busyPort };
  }
  if (/bind\(\) to .* \(13: Permission denied\)|Operation not permitted/.test(text)) {
    const line = tail.find((l) => /denied|not permitted/.test(l)) ?? '';
    return { error: portError(boundPort(line) ?? port, 'EACCES', line, port), busyPort: null };
  }
  const how = exited.signal ? `was killed by ${exited.signal}` : `exited with code ${exited.code}`;
  return { error: runFailed('E_NGINX_START', `nginx ${how} while starting`, 'look at nginx/error.log in the run directory', tail), busyPort: null };
}

/** The port of nginx's `bind() to 0.0.0.0:8080 failed (98: …)`: a template may listen on its own ports. */
export function boundPort(line: string): number | null {
  const m = /bind\(\) to \S*:(\d+) failed/.exec(line);
  return m?.[1] ? Number(m[1]) : null;
}

function verifyAffinity(pids: number[], expected: number[], errorLog: string, from: number): void {
  const got = pids.map((p) => cpusAllowed(p));
  const key = (l: Array<number[] | null>) => l.map((c) => (c ? c.join(',') : 'gone')).sort().join(' ');
  if (key(got) !== key(expected.map((c) => [c]))) {
    throw environmentError(
      'E_AFFINITY',
      `nginx workers are not pinned as asked: expected CPUs ${expected.join(' ')}, found ${got.map((c) => (c ? c.join(',') : 'gone')).join(' ')}`,
      'the CPUs may be outside this container\'s cpuset: choose openresty.cpus from `cat /sys/fs/cgroup/cpuset.cpus.effective`',
      errorLogTail(errorLog, from).filter((l) => /affinity/.test(l)),
    );
  }
}

/** worker_processes of the final config (a 'full' template may set its own, or `auto`). */
export function workerCount(conf: string): number {
  const m = /^\s*worker_processes\s+(\d+|auto)\s*;/m.exec(conf);
  if (!m?.[1]) return 1;
  return m[1] === 'auto' ? os.availableParallelism() : Number(m[1]);
}

/**
 * Workers cannot run as nobody inside a run directory only its owner may enter (mkdtemp makes
 * 0700). The run directory is ours: let others traverse it (x only, not list it).
 */
function allowTraversal(dir: string): string {
  if (process.getuid?.() === 0) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) chmodSync(dir, mode | 0o011);
  }
  return dir;
}

/** Up to 65536 descriptors per worker, bounded by the hard limit we inherit (raising it past that fails). */
function openFilesLimit(): number | null {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!m?.[2]) return null;
    return m[2] === 'unlimited' ? 65536 : Math.min(65536, Number(m[2]));
  } catch {
    return null;
  }
}

function prepareDirs(paths: RunPaths): void {
  for (const d of [paths.dir, paths.nginxDir, paths.prefix, paths.rawDir]) mkdirSync(d, { recursive: true, mode: 0o755 });
}

function copyFiles(files: Scenario['openresty']['files'], prefix: string): void {
  for (const f of files) {
    const dest = path.resolve(prefix, f.to);
    if (path.isAbsolute(f.to) || !dest.startsWith(`${prefix}${path.sep}`)) {
      throw invalidInput('E_FILE_TARGET', `openresty.files: "to: ${f.to}" must be a path inside the prefix`, 'use a relative path such as lua/app.lua');
    }
    if (!existsSync(f.from)) {
      throw invalidInput('E_FILE_MISSING', `openresty.files: ${f.from} does not exist`, 'paths in "from" are relative to the scenario file');
    }
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(f.from, dest, { recursive: true });
  }
}

/** The loader only ever targets loopback; 'localhost' is pinned to IPv4 so that nginx and the loader agree. */
function loopbackHost(h: string): string {
  return h === 'localhost' ? '127.0.0.1' : h;
}

function checkAborted(sig: AbortSignal | undefined): void {
  if (sig?.aborted) throw interrupted('while starting nginx', 'nothing was measured yet');
}

function fileSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

/** The last lines error.log got since `from` (bytes), for error messages. */
export function errorLogTail(file: string, from: number, lines = 20): string[] {
  try {
    const text = readFileSync(file).subarray(from).toString('utf8');
    return text.split('\n').filter((l) => l.trim() !== '').slice(-lines);
  } catch {
    return [];
  }
}
