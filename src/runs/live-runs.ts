/**
 * A record of the flamebench runs in progress on this machine, one JSON file per run under
 * $XDG_RUNTIME_DIR/flamebench (or /tmp/flamebench-<uid>). It lets the next `run` or `doctor`
 * find the processes of a run whose flamebench died without cleaning up (SIGKILL, OOM, power
 * cut of the terminal) and stop them, and lets concurrent runs see that they share CPUs.
 */
import { runPaths } from './paths.js';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ErrorRecord } from '../errors.js';
import { processCmdline, processStartTicks } from '../util/proc.js';

export interface LiveProcess {
  pid: number;
  startTicks: number | null;
  /** Kill the whole process group (nginx master + workers). */
  group: boolean;
  role: string;
}

export interface LiveRunRecord {
  /** The flamebench process that owns the run. */
  pid: number;
  startTicks: number | null;
  runDir: string;
  startedAt: string;
  nginxCpus: number[];
  loaderCpus: number[];
  processes: LiveProcess[];
}

export interface LiveRun {
  readonly file: string;
  setCpus(nginxCpus: number[], loaderCpus: number[]): void;
  addProcess(p: LiveProcess): void;
  /** The run ended (cleanly or not, but its own handlers ran): forget it. */
  remove(): void;
}

export function liveRunsDir(): string {
  const xdg = process.env.XDG_RUNTIME_DIR;
  return xdg ? path.join(xdg, 'flamebench') : path.join(os.tmpdir(), `flamebench-${process.getuid?.() ?? 'user'}`);
}

const open = new Map<string, LiveRun>();

/** Records a run in progress; best effort (a registry that cannot be written never fails a run). */
export function registerLiveRun(runDir: string, dir: string = liveRunsDir()): LiveRun {
  const record: LiveRunRecord = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    runDir: path.resolve(runDir),
    startedAt: new Date().toISOString(),
    nginxCpus: [],
    loaderCpus: [],
    processes: [],
  };
  const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
  const save = () => {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(record));
      renameSync(tmp, file);
    } catch {
      /* best effort */
    }
  };
  save();
  const run: LiveRun = {
    file,
    setCpus(nginxCpus, loaderCpus) {
      record.nginxCpus = nginxCpus;
      record.loaderCpus = loaderCpus;
      save();
    },
    addProcess(p) {
      record.processes.push(p);
      save();
    },
    remove() {
      open.delete(record.runDir);
      rmSync(file, { force: true });
    },
  };
  open.set(record.runDir, run);
  return run;
}

/** The record of a run this process is running, by its directory (target and probes add their pids). */
export function liveRunFor(runDir: string): LiveRun | undefined {
  return open.get(path.resolve(runDir));
}

export function readLiveRuns(dir: string = liveRunsDir()): Array<{ file: string; record: LiveRunRecord }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Array<{ file: string; record: LiveRunRecord }> = [];
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      out.push({ file, record: JSON.parse(readFileSync(file, 'utf8')) as LiveRunRecord });
    } catch {
      /* half-written or foreign: ignore */
    }
  }
  return out;
}

/**
 * Alive and the same process as recorded (a recycled pid is someone else). A zombie counts as
 * gone: it has exited and only waits to be reaped (an orphan's reaper may take its time).
 */
export function sameProcess(pid: number, startTicks: number | null): boolean {
  const now = processStartTicks(pid);
  return now !== null && (startTicks === null || now === startTicks) && !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

export interface Leftover {
  runDir: string;
  /** The flamebench pid that died. */
  ownerPid: number;
  /** Processes of that run found alive and killed. */
  killed: Array<{ pid: number; role: string }>;
}

/**
 * Stops what dead runs left behind: the recorded processes (nginx's whole group) that are still
 * the same processes, and any process whose command line names the dead run's directory (perf
 * record -o <dir>/raw/…, nginx -p <dir>/…). Then forgets the record.
 */
export function stopLeftovers(dir: string = liveRunsDir()): Leftover[] {
  const out: Leftover[] = [];
  for (const { file, record } of readLiveRuns(dir)) {
    if (sameProcess(record.pid, record.startTicks)) continue; // still running
    const killed: Leftover['killed'] = [];
    for (const p of record.processes) {
      if (!sameProcess(p.pid, p.startTicks)) continue;
      try {
        process.kill(p.group ? -p.pid : p.pid, 'SIGKILL');
        killed.push({ pid: p.pid, role: p.role });
      } catch {
        /* gone meanwhile */
      }
    }
    for (const pid of processesNaming(record.runDir)) {
      if (killed.some((k) => k.pid === pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed.push({ pid, role: 'named the run directory' });
      } catch {
        /* gone meanwhile */
      }
    }
    rmSync(file, { force: true });
    markAbandoned(record.runDir, process.pid);
    out.push({ runDir: record.runDir, ownerPid: record.pid, killed });
  }
  return out;
}

const RUN_PROCESS = /^nginx: master process |(^|\/)(nginx|openresty|perf|bpftrace|stap) /;

function processesNaming(runDir: string): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n) || Number(n) === process.pid) continue;
    const cmd = processCmdline(Number(n));
    // Only what a run starts (nginx master, recorders); never e.g. an editor showing its report.
    if (cmd && cmd.includes(`${runDir}/`) && RUN_PROCESS.test(cmd)) out.push(Number(n));
  }
  return out;
}

/** Other live runs whose nginx or loader CPUs overlap ours: each halves the other's numbers. */
export function cpuConflicts(nginxCpus: number[], loaderCpus: number[], self: string | undefined, dir: string = liveRunsDir()): string[] {
  const ours = new Set([...nginxCpus, ...loaderCpus]);
  const out: string[] = [];
  for (const { file, record } of readLiveRuns(dir)) {
    if (file === self || !sameProcess(record.pid, record.startTicks)) continue;
    const shared = [...new Set([...record.nginxCpus, ...record.loaderCpus])].filter((c) => ours.has(c)).sort((a, b) => a - b);
    if (shared.length > 0) {
      out.push(
        `another flamebench run (pid ${record.pid}, ${record.runDir}) uses CPU ${shared.join(',')} too: both runs' numbers are lowered; run one at a time or pin them to different CPUs`,
      );
    }
  }
  return out;
}

/**
 * A dead run's run.json still says "in progress": say what happened instead (best effort).
 * Returns true when it was rewritten.
 */
export function markAbandoned(runDir: string, foundBy: number): boolean {
  const file = runPaths(runDir).manifest;
  try {
    // Only the two fields this changes are typed: the rest is kept as it was read.
    const m = JSON.parse(readFileSync(file, 'utf8')) as { status?: string; error?: ErrorRecord | null };
    if (m.error?.code !== 'E_IN_PROGRESS') return false;
    m.status = 'failed';
    m.error = {
      code: 'E_HARNESS_KILLED',
      message: 'flamebench was killed during this run (no handler could run); its leftover processes were stopped by a later flamebench',
      hint: `found by flamebench pid ${foundBy}; nothing in this run directory was post-processed`,
    };
    writeFileSync(`${file}.tmp`, `${JSON.stringify(m, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    return true;
  } catch {
    return false;
  }
}
