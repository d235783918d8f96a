import { readFileSync, readdirSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat reports CPU time in these ticks. 100 on every Linux ABI we run on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used, in microseconds, all its threads included.
 * null when the process is gone. Fields 14/15 of /proc/<pid>/stat, counted after the `comm`
 * field, which may itself contain spaces and parentheses.
 */
export function processCpuMicros(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14 -> index 11, stime field 15 -> index 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Direct children of a process (from /proc/<pid>/task/<pid>/children when available). */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return scanChildren(pid);
  }
}

function scanChildren(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* raced with exit */
    }
  }
  return out;
}

/** Thread ids of a process. */
export function threadIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}
