import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFailed } from '../errors.js';
import { guardProcessGroup } from '../util/guard.js';
import type { ProbeResult, RunningProbe } from './types.js';

/** A recorder process (perf record, bpftrace, stap) that we started and must stop. */
export interface Recorder {
  pid: number;
  child: ChildProcess;
  /** stderr (and stdout unless captured separately) so far, for error messages and truncation notes. */
  stderr(): string;
  stdout(): string;
  exited(): boolean;
  /** The maxSeconds bound stopped it (not the caller). */
  boundHit(): boolean;
  /** Resolves when the process has exited. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGINT (the recorders flush and exit on it), then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGINT, then SIGKILL only once it has used no CPU for `idleMs`, or after `maxMs` in all: for
   * a recorder whose work after SIGINT grows with what it recorded (bpftrace prints its maps
   * then) and is slow on a busy machine. While it uses no CPU, SIGINT is sent again every
   * second: bpftrace 0.17 notices SIGINT only as an interrupted epoll_wait, so one delivered
   * while it is outside that call (likelier on a busy machine) sets its flag and is never acted
   * on. `state` says where a killed one was (for the message).
   */
  stopWhileWorking(idleMs: number, maxMs: number): Promise<StopOutcome>;
  /** SIGKILL now. Idempotent. */
  kill(): Promise<void>;
}

export interface StopOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when it had to be killed: why, and its state then (/proc: state, wchan, CPU seconds). */
  killed: null | { reason: 'idle' | 'max'; waitedMs: number; state: string };
  /** SIGINTs sent again because it sat idle after the first. */
  resentSigint: number;
}

/** How long a stopped recorder may sit without using CPU before it is sent SIGINT again. */
const SIGINT_AGAIN_MS = 1_000;

/** utime + stime of a process (all its threads), in clock ticks; null once it is gone. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // fields 14 and 15 of proc(5), counted after "(comm) "
  } catch {
    return null;
  }
}

function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8').trim() || '-';
    return `state ${state}, wchan ${wchan}, ${((cpuTicks(pid) ?? 0) / 100).toFixed(2)} s CPU`;
  } catch {
    return 'gone';
  }
}

export interface SpawnRecorderOptions {
  /** Ready when this file exists and is non-empty (perf writes its header at once), or holds readyText. */
  readyFile?: string;
  /** Ready when stdout or stderr contains this (e.g. bpftrace's probes-attached notice). */
  readyText?: string;
  /** Give up waiting for readiness after this long; default 10 s. */
  readyTimeoutMs?: number;
  /** Stop by itself after this many seconds (a bound, in case the caller never stops it). */
  maxSeconds?: number;
  /** What the error message calls it. */
  label: string;
  /** Send stdout to this file (its output can be large) instead of capturing it. */
  stdoutFile?: string;
  /** Extra environment variables for the recorder. */
  env?: Record<string, string>;
}

/** A probe recorded by one recorder process: its pid counts while it runs, abort kills it. */
export function recorderProbe(rec: Recorder, stop: () => Promise<ProbeResult>): RunningProbe {
  return { recorderPids: () => (rec.exited() ? [] : [rec.pid]), abort: () => rec.kill(), stop };
}

const MAX_CAPTURE = 64 * 1024;

/**
 * Spawns a recorder and waits until it is really recording: a recorder that dies at once
 * (dead pid, no permission, bad event) becomes an error carrying its stderr, not a silent gap.
 */
export async function spawnRecorder(cmd: string, args: string[], o: SpawnRecorderOptions): Promise<Recorder> {
  const outFd = o.stdoutFile !== undefined ? openSync(o.stdoutFile, 'w') : null;
  // Own process group: a terminal Ctrl-C reaches flamebench, which stops the recorder itself and
  // still post-processes what it recorded; a recorder killed by the terminal would lose that.
  const env = o.env ? { ...process.env, ...o.env } : process.env;
  const child = spawn(cmd, args, { stdio: ['ignore', outFd ?? 'pipe', 'pipe'], detached: true, env });
  let exitedFlag = false;
  const killOnExit = (): void => {
    if (!exitedFlag) child.kill('SIGKILL');
  };
  // Dies with flamebench even on SIGKILL (no 'exit' handler runs then): see util/guard.ts.
  const unguard = child.pid !== undefined ? guardProcessGroup(child.pid) : () => undefined;
  process.on('exit', killOnExit);
  if (outFd !== null) closeSync(outFd); // the child holds its own copy
  let err = '';
  let out = '';
  child.stderr?.setEncoding('utf8');
  child.stdout?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (err.length < MAX_CAPTURE) err += d;
  });
  child.stdout?.on('data', (d: string) => {
    if (out.length < MAX_CAPTURE) out += d;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => {
      err += `\n${e.message}`;
      exitedFlag = true;
      resolve({ code: -1, signal: null });
    });
    child.on('exit', (code, signal) => {
      exitedFlag = true;
      unguard();
      process.off('exit', killOnExit);
      resolve({ code, signal });
    });
  });
  let timer: NodeJS.Timeout | undefined;
  let bound = false;
  const rec: Recorder = {
    pid: child.pid ?? -1,
    child,
    stderr: () => err,
    stdout: () => out,
    exited: () => exitedFlag,
    boundHit: () => bound,
    done,
    async stop(graceMs = 10_000) {
      if (timer) clearTimeout(timer);
      if (!exitedFlag) child.kill('SIGINT');
      const r = await Promise.race([done, sleep(graceMs, null, { ref: false })]);
      if (r) return r;
      child.kill('SIGKILL');
      return done;
    },
    async stopWhileWorking(idleMs, maxMs) {
      if (timer) clearTimeout(timer);
      if (!exitedFlag) child.kill('SIGINT');
      const started = Date.now();
      let lastTicks = cpuTicks(child.pid ?? -1);
      let lastProgress = started;
      let lastSigint = started;
      let resentSigint = 0;
      for (;;) {
        const r = await Promise.race([done, sleep(250, null, { ref: false })]);
        if (r) return { ...r, killed: null, resentSigint };
        const now = Date.now();
        const ticks = cpuTicks(child.pid ?? -1);
        if (ticks !== lastTicks) {
          lastTicks = ticks;
          lastProgress = now;
        }
        const reason = now - started >= maxMs ? 'max' : now - lastProgress >= idleMs ? 'idle' : null;
        if (reason) {
          const state = procState(child.pid ?? -1);
          child.kill('SIGKILL');
          const k = await done;
          return { ...k, killed: { reason, waitedMs: now - started, state }, resentSigint };
        }
        if (now - lastProgress >= SIGINT_AGAIN_MS && now - lastSigint >= SIGINT_AGAIN_MS && !exitedFlag) {
          child.kill('SIGINT');
          lastSigint = now;
          resentSigint++;
        }
      }
    },
    async kill() {
      if (timer) clearTimeout(timer);
      if (!exitedFlag) child.kill('SIGKILL');
      await done;
    },
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 10_000);
  for (;;) {
    if (exitedFlag) {
      const r = await done;
      throw runFailed(
        'E_PROBE_START',
        `${o.label} exited at start (${r.signal ?? `code ${r.code}`}): ${lastLines(err + out)}`,
        'see the message above; `flamebench doctor` checks permissions and tools',
      );
    }
    if (isReady(o, err + out)) break;
    if (Date.now() > deadline) break; // no readiness signal: assume it records, stop() will tell
    await sleep(25);
  }
  if (o.maxSeconds && o.maxSeconds > 0) {
    timer = setTimeout(() => {
      bound = true;
      if (!exitedFlag) child.kill('SIGINT');
    }, o.maxSeconds * 1000);
    timer.unref();
  }
  return rec;
}

function isReady(o: SpawnRecorderOptions, text: string): boolean {
  if (o.readyText !== undefined && o.readyFile !== undefined) {
    // output redirected to a file (bpftrace -o): the ready text shows up there
    try {
      return readFileSync(o.readyFile, 'utf8').includes(o.readyText);
    } catch {
      return false;
    }
  }
  if (o.readyText !== undefined && text.includes(o.readyText)) return true;
  if (o.readyFile !== undefined) {
    try {
      return statSync(o.readyFile).size > 0;
    } catch {
      return false;
    }
  }
  return o.readyText === undefined;
}

export function lastLines(text: string, n = 4): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}
