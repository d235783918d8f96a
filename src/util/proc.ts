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

/**
 * CPU time of a process in microseconds with nanosecond resolution: the sum of
 * /proc/<pid>/task/<tid>/schedstat (time on CPU, ns) over its live threads. /proc/<pid>/stat
 * counts in 10 ms ticks, which is too coarse for CPU-per-request over a few seconds. Threads
 * that already exited are not counted (stat would count them), so use this for long-lived
 * single-threaded processes such as nginx workers. Falls back to processCpuMicros when
 * schedstat is missing (kernels without CONFIG_SCHED_INFO); null when the process is gone.
 */
export function processCpuMicrosPrecise(pid: number): number | null {
  if (!schedstatAvailable()) return processCpuMicros(pid);
  let ns = 0;
  let read = 0;
  for (const tid of threadIds(pid)) {
    try {
      const v = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(v)) {
        ns += v;
        read++;
      }
    } catch {
      /* the thread exited between readdir and read */
    }
  }
  return read === 0 ? null : ns / 1000;
}

let schedstat: boolean | undefined;
function schedstatAvailable(): boolean {
  if (schedstat === undefined) {
    try {
      readFileSync('/proc/self/schedstat', 'utf8');
      schedstat = true;
    } catch {
      schedstat = false;
    }
  }
  return schedstat;
}

/**
 * Start time of a process (field 22 of /proc/<pid>/stat, clock ticks since boot). A pid plus its
 * start time names one process for good: used to never signal a recycled pid. null when gone.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** The process title (argv joined by spaces); nginx rewrites it to e.g. "nginx: worker process". */
export function processCmdline(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

/** CPUs a process may run on (Cpus_allowed_list of /proc/<pid>/status); null when gone. */
export function cpusAllowed(pid: number | 'self'): number[] | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^Cpus_allowed_list:\s*(.*)$/m.exec(status);
    return m?.[1] === undefined ? null : parseCpuRanges(m[1]);
  } catch {
    return null;
  }
}

/** Kernel CPU list syntax ("0-3,8,10-11") → sorted CPU numbers. Throws on anything else. */
export function parseCpuRanges(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a CPU list: ${JSON.stringify(text)}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}
