/**
 * Where perf finds the names of JIT-compiled code, and making sure nothing is left in /tmp.
 *
 * perf (6.1 here) names code in anonymous memory of process <pid> from /tmp/perf-<pid>.map, read
 * when `perf script` runs — not when `perf record` runs, and there is no option to look elsewhere.
 * flamebench's agent writes each worker's map into the run's raw/ (agent.lua); for the length of
 * perf script, /tmp/perf-<pid>.map is a symbolic link to it, removed right after.
 *
 * A LuaJIT built with LUAJIT_USE_PERFTOOLS (the profiling build, `flamebench build luajit`)
 * writes /tmp/perf-<pid>.map itself, from its first trace on, and never removes it. Those files
 * are moved into raw/ (perf-<pid>.luajit.map): before perf script when the agent's map replaces
 * them, and once more after nginx has stopped (traces compiled after the probes stopped).
 */
import { copyFileSync, existsSync, lstatSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export const PERF_MAP_DIR = '/tmp';

export function tmpPerfMap(pid: number, dir = PERF_MAP_DIR): string {
  return path.join(dir, `perf-${pid}.map`);
}

/** The agent's map of a worker in raw/. */
export function agentPerfMap(rawDir: string, pid: number): string {
  return path.join(rawDir, `perf-${pid}.map`);
}

/** Where a map LuaJIT wrote to /tmp is kept. */
export function luajitPerfMapCopy(rawDir: string, pid: number): string {
  return path.join(rawDir, `perf-${pid}.luajit.map`);
}

export interface ExposedMaps {
  /** Workers whose traces the agent named (its map is linked for perf). */
  agentPids: number[];
  /** Workers whose only map is LuaJIT's own (perftools build, no agent). */
  luajitPids: number[];
  /** Removes the links and moves LuaJIT's maps into raw/. Idempotent. */
  release(): void;
}

function kind(p: string): 'none' | 'link' | 'file' {
  try {
    return lstatSync(p).isSymbolicLink() ? 'link' : 'file';
  } catch {
    return 'none';
  }
}

/** Moves /tmp/perf-<pid>.map (a regular file LuaJIT wrote) into raw/; a link (ours, stale) is just removed. */
export function takeTmpPerfMap(pid: number, rawDir: string, dir = PERF_MAP_DIR): boolean {
  const p = tmpPerfMap(pid, dir);
  const k = kind(p);
  if (k === 'none') return false;
  if (k === 'file') {
    try {
      copyFileSync(p, luajitPerfMapCopy(rawDir, pid));
    } catch {
      /* raw/ not writable: the file still goes, /tmp must stay clean */
    }
  }
  rmSync(p, { force: true });
  return k === 'file';
}

/** Links made for perf script, with how many probes use each (cpu and offcpu post-process at the same time). */
const linkUsers = new Map<string, number>();

/**
 * Makes each worker's map visible to perf at /tmp/perf-<pid>.map for the length of perf script:
 * the agent's map by a link; where there is none, LuaJIT's own file stays where it is until release().
 */
export function exposePerfMaps(pids: number[], rawDir: string, dir = PERF_MAP_DIR): ExposedMaps {
  const links: string[] = [];
  const agentPids: number[] = [];
  const luajitPids: number[] = [];
  for (const pid of pids) {
    const ours = agentPerfMap(rawDir, pid);
    const tmp = tmpPerfMap(pid, dir);
    if (existsSync(ours)) {
      const users = linkUsers.get(tmp) ?? 0;
      if (users === 0) {
        takeTmpPerfMap(pid, rawDir, dir);
        try {
          symlinkSync(ours, tmp);
        } catch {
          continue; // perf then shows [jit] for this worker
        }
      }
      linkUsers.set(tmp, users + 1);
      links.push(tmp);
      agentPids.push(pid);
    } else if (kind(tmp) === 'file') {
      luajitPids.push(pid);
    }
  }
  let released = false;
  return {
    agentPids,
    luajitPids,
    release() {
      if (released) return;
      released = true;
      for (const tmp of links) {
        const users = (linkUsers.get(tmp) ?? 1) - 1;
        if (users > 0) {
          linkUsers.set(tmp, users);
          continue;
        }
        linkUsers.delete(tmp);
        rmSync(tmp, { force: true });
      }
      for (const pid of luajitPids) takeTmpPerfMap(pid, rawDir, dir);
    },
  };
}

/** After nginx has stopped: no /tmp/perf-<pid>.map of its processes may remain. Returns the pids cleaned. */
export function sweepPerfMaps(pids: number[], rawDir: string, dir = PERF_MAP_DIR): number[] {
  return pids.filter((pid) => {
    const had = kind(tmpPerfMap(pid, dir)) !== 'none';
    if (had) takeTmpPerfMap(pid, rawDir, dir);
    return had;
  });
}
