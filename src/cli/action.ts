import { ExitCode, isFlamebenchError } from '../errors.js';
import { styleFor } from '../util/style.js';
import { terminalSafe } from '../util/terminal.js';

/**
 * Wraps a command body: maps typed errors to their exit code and prints them as
 * `error[CODE]: message` + details + `hint: …` on stderr. Anything untyped is a bug (exit 1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? ExitCode.ok;
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}

export function reportError(e: unknown): number {
  if (isFlamebenchError(e)) {
    // Red on a colour terminal (NO_COLOR/FORCE_COLOR honoured), plain in logs.
    process.stderr.write(`${styleFor(process.stderr).bad(`error[${e.code}]:`)} ${terminalSafe(e.message)}\n`);
    for (const d of e.details) process.stderr.write(`  ${terminalSafe(d)}\n`);
    if (e.hint) process.stderr.write(`  hint: ${terminalSafe(e.hint)}\n`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`error[E_INTERNAL]: ${terminalSafe(msg)}\n  hint: this is a bug in flamebench; please report it.\n`);
  return ExitCode.internal;
}
