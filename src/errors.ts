/**
 * Exit codes are part of the CLI contract (README "Exit codes"); CI jobs branch on them.
 * k6 uses 99 for failed thresholds; we follow it so CI recipes carry over.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  invalidInput: 2,
  environment: 3,
  runFailed: 4,
  /** The measured window completed no request at all: nothing to report on. */
  noMeasurement: 5,
  /** Output could not be written (disk full, read-only): what fitted is kept, the rest named. */
  storage: 6,
  /** A comparison whose data cannot decide a change beyond its threshold (compare --on-inconclusive). */
  inconclusive: 98,
  regression: 99,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

import { ERROR_CODES, type CodeOfKind, type ErrorCode } from './error-codes.js';

export type ErrorKind =
  | 'invalidInput'
  | 'environment'
  | 'runFailed'
  | 'noMeasurement'
  | 'storage'
  | 'inconclusive'
  | 'regression'
  | 'internal'
  | 'interrupted';

/**
 * Every error a user can see: a stable code (one of src/error-codes.ts, of this error's kind), a
 * message saying what and where, and a hint saying what to do.
 */
export class FlamebenchError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  /** From the catalogue: a code always has the same kind, so the same exit code. */
  readonly kind: ErrorKind;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, hint = '', details: readonly string[] = []) {
    super(message);
    this.name = 'FlamebenchError';
    this.kind = ERROR_CODES[code].kind;
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  get exitCode(): ExitCodeValue {
    return ExitCode[this.kind];
  }
}

export const invalidInput = (code: CodeOfKind<'invalidInput'>, message: string, hint = '', details: readonly string[] = []) =>
  new FlamebenchError(code, message, hint, details);
export const environmentError = (code: CodeOfKind<'environment'>, message: string, hint = '', details: readonly string[] = []) =>
  new FlamebenchError(code, message, hint, details);
export const runFailed = (code: CodeOfKind<'runFailed'>, message: string, hint = '', details: readonly string[] = []) =>
  new FlamebenchError(code, message, hint, details);

export function isFlamebenchError(e: unknown): e is FlamebenchError {
  return e instanceof FlamebenchError;
}

/** Plain-data form for run.json and --json output. */
export interface ErrorRecord {
  code: string;
  message: string;
  hint: string;
}

export function toErrorRecord(e: unknown): ErrorRecord {
  if (isFlamebenchError(e)) return { code: e.code, message: e.message, hint: e.hint };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'E_INTERNAL', message, hint: 'This is a bug in flamebench; please report it with the run directory.' };
}

/**
 * The one builder of E_INTERRUPTED (Ctrl-C, SIGTERM, SIGHUP, an aborted signal), for every stage.
 * `when` says how far the run got; the hint what was kept.
 */
export function interrupted(
  when = 'the run was stopped before the measured window ended',
  hint = 'what was measured so far is kept in the run directory with status "partial"',
): FlamebenchError {
  return new FlamebenchError('E_INTERRUPTED', `interrupted: ${when}`, hint);
}
