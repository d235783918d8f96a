import { readFileSync } from 'node:fs';
import { processStartTicks } from '../util/proc.js';

/** A process we started, named by pid and start time so that a recycled pid is never signalled. */
export interface OwnedProcess {
  pid: number;
  startTicks: number | null;
}

interface LiveNginx {
  stop(): Promise<void>;
  processes(): OwnedProcess[];
}

const live = new Set<LiveNginx>();
let exitHookInstalled = false;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function registerNginx(t: LiveNginx): () => void {
  live.add(t);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when Node exits without stopping nginx (uncaught error, process.exit()):
    // 'exit' handlers must be synchronous, so there is no graceful QUIT here, only SIGKILL.
    process.on('exit', killAllNow);
  }
  if (live.size === 1) for (const sig of SIGNALS) process.on(sig, onSignal);
  return () => {
    live.delete(t);
    if (live.size === 0) for (const sig of SIGNALS) process.removeListener(sig, onSignal);
  };
}

/**
 * nginx runs in its own process group (a terminal's Ctrl-C does not reach it) and a signal that
 * kills Node skips 'exit' handlers. So while targets live, a fatal signal nobody else handles
 * stops them first, then is re-raised to end Node as it would have. When the orchestrator has
 * its own handler, it is in charge (it calls stopAllNginx()) and this one stays out of the way.
 */
function onSignal(sig: NodeJS.Signals): void {
  if (process.listenerCount(sig) > 1) return;
  const reraise = () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, sig);
  };
  if (stoppingOnSignal) {
    // A second Ctrl-C: no more waiting.
    killAllNow();
    reraise();
    return;
  }
  stoppingOnSignal = true;
  void stopAllNginx().finally(reraise);
}
let stoppingOnSignal = false;

/** Gracefully stops every live nginx (the orchestrator calls this on SIGINT/SIGTERM/errors). */
export async function stopAllNginx(): Promise<void> {
  await Promise.allSettled([...live].map((t) => t.stop()));
}

/** Number of targets still running (tests and the orchestrator's final check). */
export function liveNginxCount(): number {
  return live.size;
}

/** SIGKILL to every process of every live nginx, now (a second Ctrl-C; Node's 'exit'). */
export function killAllNginxNow(): void {
  killAllNow();
}

function killAllNow(): void {
  for (const t of live) for (const p of t.processes()) if (isAlive(p)) signal(p.pid, 'SIGKILL');
}

/** Alive and still the same process; a zombie counts as gone (it only waits to be reaped). */
export function isAlive(p: OwnedProcess): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return p.startTicks === null || processStartTicks(p.pid) === p.startTicks;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
