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
 * are moved into raw/ (perf-<pid>.luajit.map): before perf script, and once more after nginx
 * has stopped (a worker whose first trace came after the probes stopped).
 */
import { copyFileSync, existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  /** Removes the links. Idempotent. */
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

/** The name given to code in writable+executable anonymous memory (see pcreJitRegions). */
export const PCRE_JIT_NAME = 'PCRE JIT code';

/**
 * Anonymous memory that is writable and executable at once, from /proc/<pid>/maps, as perf-map
 * lines. In nginx that is PCRE's JIT (sljit allocates its code rwx: ngx.re with "j", pcre_jit);
 * LuaJIT never leaves its machine code writable (its mcode areas are r-x), so traces are not in it.
 */
export function pcreJitRegions(procMaps: string): string[] {
  const out: string[] = [];
  for (const line of procMaps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+rwxp\s+\S+\s+\S+\s+0\s*$/.exec(line);
    if (!m) continue;
    const start = BigInt(`0x${m[1] as string}`);
    const end = BigInt(`0x${m[2] as string}`);
    out.push(`${start.toString(16)} ${(end - start).toString(16)} ${PCRE_JIT_NAME}`);
  }
  return out;
}

/** The map perf script reads for a worker: raw/perf-<pid>.script.map. */
export function scriptPerfMap(rawDir: string, pid: number): string {
  return path.join(rawDir, `perf-${pid}.script.map`);
}

function readOr(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Links made for perf script, with how many probes use each (cpu and offcpu post-process at the same time). */
const linkUsers = new Map<string, number>();

/**
 * Makes each worker's map visible to perf at /tmp/perf-<pid>.map for the length of perf script:
 * a link to raw/perf-<pid>.script.map, which is the agent's map (or, without one, LuaJIT's own,
 * moved out of /tmp first) plus the worker's PCRE JIT regions. Call while the workers run.
 */
export function exposePerfMaps(pids: number[], rawDir: string, dir = PERF_MAP_DIR): ExposedMaps {
  const links: string[] = [];
  const agentPids: number[] = [];
  const luajitPids: number[] = [];
  for (const pid of pids) {
    const tmp = tmpPerfMap(pid, dir);
    const users = linkUsers.get(tmp) ?? 0;
    if (users === 0) {
      takeTmpPerfMap(pid, rawDir, dir);
      const agent = readOr(agentPerfMap(rawDir, pid));
      const luajit = agent === null ? readOr(luajitPerfMapCopy(rawDir, pid)) : null;
      const regions = pcreJitRegions(readOr(`/proc/${pid}/maps`) ?? '');
      if (agent === null && luajit === null && regions.length === 0) continue;
      const text = `${agent ?? luajit ?? ''}${regions.map((r) => `${r}\n`).join('')}`;
      try {
        writeFileSync(scriptPerfMap(rawDir, pid), text);
        symlinkSync(scriptPerfMap(rawDir, pid), tmp);
      } catch {
        continue; // perf then shows [jit] for this worker
      }
    }
    linkUsers.set(tmp, users + 1);
    links.push(tmp);
    if (existsSync(agentPerfMap(rawDir, pid))) agentPids.push(pid);
    else if (existsSync(luajitPerfMapCopy(rawDir, pid))) luajitPids.push(pid);
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
