import { chownSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface WorkerUser {
  /** Value of the `user` directive; null when nginx does not start as root (workers run as us). */
  directive: string | null;
  uid: number | null;
  gid: number | null;
  warning: string | null;
}

/**
 * Who the workers run as. Started as root, nginx would drop workers to `nobody`; we keep that
 * (a benchmark should not run request handlers as root) and hand the prefix and raw/ to that
 * user, because Lua code reads files under the prefix and the Lua probes write into raw/.
 * When the run directory is not reachable by others (e.g. under /root, mode 700), the workers
 * could not read their own Lua files: then they run as root, with a warning saying why.
 */
export function chooseWorkerUser(runDir: string, passwd = readOr('/etc/passwd'), group = readOr('/etc/group')): WorkerUser {
  if (process.getuid?.() !== 0) return { directive: null, uid: null, gid: null, warning: null };
  const entry = passwd.split('\n').find((l) => l.startsWith('nobody:'))?.split(':');
  const uid = Number(entry?.[2]);
  const gid = Number(entry?.[3]);
  if (!entry || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    return { directive: 'root', uid: null, gid: null, warning: 'no "nobody" user in /etc/passwd: nginx workers run as root' };
  }
  const groupName = group.split('\n').find((l) => l.split(':')[2] === String(gid))?.split(':')[0] ?? String(gid);
  const blocked = firstUntraversable(runDir);
  if (blocked) {
    return {
      directive: 'root',
      uid: null,
      gid: null,
      warning: `${blocked} is not searchable by other users (mode ${(statSync(blocked).mode & 0o777).toString(8)}), so workers running as nobody could not read the run directory: nginx workers run as root`,
    };
  }
  return { directive: `nobody ${groupName}`, uid, gid, warning: null };
}

/** The first ancestor directory (from /) that lacks the o+x bit, or null. */
export function firstUntraversable(dir: string): string | null {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let cur: string = path.sep;
  for (const part of parts) {
    cur = path.join(cur, part);
    let mode: number;
    try {
      mode = statSync(cur).mode;
    } catch {
      return null; // not created yet: we create it with mode 755
    }
    if ((mode & 0o001) === 0) return cur;
  }
  return null;
}

/** chown -R */
export function chownTree(p: string, uid: number, gid: number): void {
  chownSync(p, uid, gid);
  if (!statSync(p).isDirectory()) return;
  for (const name of readdirSync(p)) chownTree(path.join(p, name), uid, gid);
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
