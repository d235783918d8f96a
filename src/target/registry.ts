import { readFileSync } from 'node:fs';
import { processStartTicks } from '../util/proc.js';

/** A process we started, named by pid and start time so that a recycled pid is never signalled. */
export interface OwnedProcess {
  pid: number;
  startTicks: number | null;
}

interface LiveTarget {
  stop(): Promise<void>;
  processes(): OwnedProcess[];
}

const live = new Set<LiveTarget>();
let exitHookInstalled = false;

export function registerTarget(t: LiveTarget): () => void {
  live.add(t);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when Node exits without stopping a target (uncaught error, process.exit()):
    // 'exit' handlers must be synchronous, so there is no graceful QUIT here, only SIGKILL.
    process.on('exit', killAllNow);
  }
  return () => live.delete(t);
}

/** Gracefully stops every live target (the orchestrator calls this on SIGINT/SIGTERM/errors). */
export async function stopAllTargets(): Promise<void> {
  await Promise.allSettled([...live].map((t) => t.stop()));
}

/** Number of targets still running (tests and the orchestrator's final check). */
export function liveTargetCount(): number {
  return live.size;
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
