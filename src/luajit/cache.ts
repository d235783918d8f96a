/**
 * Where profiling LuaJIT builds live: outside the repository, one folder per distribution source
 * version, so a clone, a `git clean` or another checkout of flamebench reuses the build.
 *
 *   $FLAMEBENCH_CACHE_DIR | $XDG_CACHE_HOME/flamebench | ~/.cache/flamebench
 *     luajit/<source package>-<source version>/lib/libluajit-5.1.so.2   (same SONAME as Debian's)
 *     luajit/<source package>-<source version>/build.json                (what was built, how)
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLAMEBENCH_CACHE_DIR) return path.resolve(env.FLAMEBENCH_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'flamebench');
}

export function profilingDir(sourcePackage: string, sourceVersion: string, root = cacheRoot()): string {
  // a Debian version may carry an epoch ("1:2.1-…"): keep the folder name portable
  return path.join(root, 'luajit', `${sourcePackage}-${sourceVersion.replace(/[^\w.+~-]/g, '_')}`);
}

/** What `flamebench build luajit` records beside the library. */
export interface ProfilingBuild {
  schemaVersion: 1;
  sourcePackage: string;
  sourceVersion: string;
  /** The installed library the build matches. */
  matches: string;
  luajitVersion: string;
  /** The make command line (the distribution's, plus the profiling flags). */
  make: string[];
  flags: string[];
  builtAt: string;
  seconds: number;
  /** Directory to put first on LD_LIBRARY_PATH. */
  libDir: string;
  library: string;
}

export function buildRecordPath(dir: string): string {
  return path.join(dir, 'build.json');
}

/** The build in `dir`, or null when there is none (or it is incomplete). */
export function readProfilingBuild(dir: string): ProfilingBuild | null {
  try {
    const rec = JSON.parse(readFileSync(buildRecordPath(dir), 'utf8')) as ProfilingBuild;
    if (rec.schemaVersion !== 1 || !existsSync(rec.library)) return null;
    return rec;
  } catch {
    return null;
  }
}
