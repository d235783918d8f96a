import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { resolveRunDirs } from './read.js';

/** Named baselines live under <reportsDir>/baselines/<name>/, one sub-folder per run (a dir of repeats). */
export function baselineDir(reportsDir: string, name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw invalidInput('E_BAD_BASELINE_NAME', `baseline name ${JSON.stringify(name)} is not allowed`, 'Use letters, digits, dot, dash and underscore, e.g. "main" or "v1.2.0".');
  }
  return path.join(path.resolve(reportsDir), 'baselines', name);
}

/**
 * Saves a run (or a dir of repeats) as a named baseline. The runs are copied, not linked, so the
 * baseline survives the cleanup of reports/ that CI jobs tend to do. Replaces an existing one.
 */
export async function saveBaseline(reportsDir: string, name: string, source: string): Promise<{ dir: string; runs: string[] }> {
  const runs = await resolveRunDirs(source);
  const dir = baselineDir(reportsDir, name);
  const staging = `${dir}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  const used = new Set<string>();
  for (const run of runs) {
    let base = path.basename(run);
    for (let i = 2; used.has(base); i++) base = `${path.basename(run)}-${i}`;
    used.add(base);
    // Raw probe scratch (perf.data) is large and not needed to compare.
    await fs.cp(run, path.join(staging, base), { recursive: true, filter: (src) => path.basename(src) !== 'raw' || path.dirname(src) !== run });
  }
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(staging, dir);
  return { dir, runs: [...used].map((b) => path.join(dir, b)) };
}

/** `--baseline X`: an existing directory, else a saved baseline of that name. */
export async function resolveBaseline(reportsDir: string, nameOrDir: string): Promise<string> {
  const st = await fs.stat(nameOrDir).catch(() => null);
  if (st?.isDirectory()) return path.resolve(nameOrDir);
  if (/^[A-Za-z0-9._-]+$/.test(nameOrDir)) {
    const dir = baselineDir(reportsDir, nameOrDir);
    if (await fs.stat(dir).catch(() => null)) return dir;
  }
  throw invalidInput(
    'E_NO_BASELINE',
    `no baseline ${JSON.stringify(nameOrDir)}: not a directory, and no saved baseline ${path.join(path.resolve(reportsDir), 'baselines', nameOrDir)}`,
    'Save one with `flamebench compare --save-baseline <name> <run-dir>`, or pass a run directory.',
  );
}
