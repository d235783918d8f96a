import { promises as fs } from 'node:fs';
import path from 'node:path';
import { environmentError, FlamebenchError } from '../errors.js';
import { runDirName } from './paths.js';
import { isStorageFailure, storageError } from './storage.js';

/** Same-second runs of one scenario get -2, -3, …; past this many something is wrong. */
const MAX_NAME_ATTEMPTS = 1000;

/**
 * A new run directory under `parent`, created exclusively: two runs started in the same second
 * (even in two processes) never share one. Named `<yyyymmdd-hhmmss>-<scenario>[-<variant>]`,
 * with `-2`, `-3`, … when that name is taken.
 */
export async function createRunDir(parent: string, scenarioName: string, when: Date, variant?: string): Promise<string> {
  await ensureDir(parent);
  const base = path.join(path.resolve(parent), runDirName(scenarioName, when, variant));
  for (let n = 1; n <= MAX_NAME_ATTEMPTS; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw outDirError(dir, e);
    }
  }
  throw environmentError('E_OUT_DIR', `cannot create a run directory: ${base} and ${MAX_NAME_ATTEMPTS - 1} numbered variants of it exist`, 'clean up old runs or choose another --reports-dir');
}

/**
 * Makes sure `dir` is a directory we can write into, creating missing parents one level at a
 * time. Node's `mkdir({recursive: true})` loops forever (100% CPU, no callback) where a parent
 * exists but refuses new entries with ENOENT, as /proc does; walking up ourselves cannot loop.
 * A path that cannot be a directory (a file on the way, /proc, /sys, no permission) is exit 3.
 */
export async function ensureDir(dir: string): Promise<void> {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    try {
      const st = await fs.stat(existing);
      if (!st.isDirectory()) {
        throw environmentError(
          'E_OUT_DIR',
          existing === abs ? `${abs} exists and is not a directory` : `cannot create ${abs}: ${existing} is a file, not a directory`,
          'give --out (or --reports-dir) a directory path, new or existing',
        );
      }
      break;
    } catch (e) {
      if (e instanceof FlamebenchError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(existing) === existing) throw outDirError(abs, e);
      missing.unshift(existing);
      existing = path.dirname(existing);
    }
  }
  for (const d of missing) {
    try {
      await fs.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await isDirectory(d))) continue;
      throw outDirError(d, e);
    }
  }
  try {
    await fs.access(abs, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw outDirError(abs, e);
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function outDirError(dir: string, e: unknown): FlamebenchError {
  if (isStorageFailure(e)) return storageError(dir, e);
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const why: Record<string, string> = {
    ENOENT: 'this file system does not allow new directories there (e.g. /proc)',
    EPERM: 'not permitted (e.g. /sys, or a protected location)',
    EACCES: 'permission denied',
    ENOTDIR: 'a part of the path is a file',
    EEXIST: 'a file of that name exists',
  };
  return environmentError(
    'E_OUT_DIR',
    `cannot use ${dir} as an output directory: ${why[code] ?? (e as Error).message}`,
    'give --out (or --reports-dir) a writable directory, e.g. under reports/ or /tmp',
  );
}
