import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Children must die with flamebench, even when it is SIGKILLed (no handler runs then).
 *
 * PR_SET_PDEATHSIG (`setpriv --pdeathsig KILL`) is not enough here: it is reset in forked
 * children, so nginx's workers (forked by the master) would survive the master, and it fires
 * when the parent *thread* exits (libuv spawns from the main thread, so that part would be fine).
 * Instead one small guard process per flamebench process holds the read end of a pipe whose
 * write end only flamebench holds. When flamebench dies, however it dies, the kernel closes the
 * pipe; the guard reads end-of-file and SIGKILLs every process group and pid still registered.
 * The guard runs in its own session, so a kill of flamebench's process group does not take it
 * along. Entries are removed as soon as their process has been stopped, so a recycled pid is
 * never hit by a normal exit.
 */
const GUARD_SCRIPT = `
live=" "
while IFS= read -r line; do
  case "$line" in
    +*) live="$live\${line#+} " ;;
    -*) live=$(printf '%s' "$live" | sed "s/ \${line#-} / /g") ;;
  esac
done
for t in $live; do
  case "$t" in
    g*) kill -9 "-\${t#g}" 2>/dev/null ;;
    p*) kill -9 "\${t#p}" 2>/dev/null ;;
  esac
done
`;

let guard: ChildProcess | null = null;
let unavailable = false;

function ensureGuard(): ChildProcess | null {
  if (guard || unavailable) return guard;
  try {
    const child = spawn('/bin/sh', ['-c', GUARD_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => {
      unavailable = true;
      guard = null;
    });
    child.stdin?.on('error', () => undefined);
    // Neither the guard nor its pipe keeps Node's event loop alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    guard = child;
  } catch {
    unavailable = true;
  }
  return guard;
}

function send(line: string): void {
  const g = ensureGuard();
  if (g?.stdin?.writable) g.stdin.write(`${line}\n`);
}

/** Kill this process group (nginx: the master and its workers) if flamebench dies. Returns the release. */
export function guardProcessGroup(pgid: number): () => void {
  send(`+g${pgid}`);
  let released = false;
  return () => {
    if (!released) send(`-g${pgid}`);
    released = true;
  };
}
