import { FlamebenchError } from '../errors.js';

/** errno codes that mean "the file system is out of room", not "you may not write here". */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export function isNoRoom(e: unknown): boolean {
  return NO_ROOM.has((e as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * A write that failed for lack of room (disk full, quota) or a read-only file system: exit 6
 * (ExitCode.storage). What was written before stays; `file` names what was lost.
 */
export function storageError(file: string, e: unknown): FlamebenchError {
  const code = (e as NodeJS.ErrnoException | null)?.code ?? '';
  const why = isNoRoom(e) ? 'no space left on the device' : code === 'EROFS' ? 'the file system is read-only' : (e as Error).message;
  return new FlamebenchError('E_STORAGE',
    `could not write ${file}: ${why}`,
    'free space on that file system (df -h), or write the run elsewhere with --out / --reports-dir; what fitted is kept',
  );
}

/** Out of room or read-only: a storage failure (exit 6), as opposed to a path that cannot be a run directory (exit 3). */
export function isStorageFailure(e: unknown): boolean {
  return isNoRoom(e) || (e as NodeJS.ErrnoException | null)?.code === 'EROFS';
}
