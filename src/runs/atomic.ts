import { promises as fs, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDir } from './run-dir.js';
import { isStorageFailure, storageError } from './storage.js';

/**
 * Write via a temp file + rename so a reader (or a Ctrl-C) never sees half a file. A failed
 * write removes its temp file (a full disk must not keep the space it could not use) and, when
 * the file system is full or read-only, throws E_STORAGE (exit 6) naming the file.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  // Not fs.mkdir({recursive: true}): it spins forever under /proc (see ensureDir).
  await ensureDir(path.dirname(file));
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw isStorageFailure(e) ? storageError(file, e) : e;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Last resort on a full disk: overwrite an existing file in place, reusing its blocks (a temp
 * copy needs room for a second file). Not atomic; used only for the small run.json, when the
 * alternative is a manifest stuck at "in progress". Throws E_STORAGE when even that does not fit.
 */
export async function overwriteInPlace(file: string, data: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r+');
    const bytes = Buffer.from(data);
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.truncate(bytes.length);
  } catch (e) {
    throw isStorageFailure(e) ? storageError(file, e) : e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** writeJsonAtomic for a process about to exit (a forced stop): no awaiting. */
export function writeJsonAtomicSync(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw isStorageFailure(e) ? storageError(file, e) : e;
  }
}

/** Removes this process's unfinished temp files under `dirs` (a forced stop cut their writes short). */
export function removeOwnTempFiles(dirs: string[]): void {
  const mark = `.tmp-${process.pid}-`;
  for (const d of dirs) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) if (n.includes(mark)) rmSync(path.join(d, n), { force: true });
  }
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}
