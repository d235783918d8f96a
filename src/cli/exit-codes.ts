import { ExitCode } from '../errors.js';

/**
 * What each exit code means, for every command's --help. Keyed by ExitCode's names, so a code
 * added to src/errors.ts does not typecheck until it is described here.
 */
const MEANING: Record<keyof typeof ExitCode, string> = {
  ok: 'success (run completed, thresholds met, comparison passed)',
  internal: 'internal error (a bug)',
  invalidInput: 'invalid input (scenario, flags, files, usage)',
  environment: 'environment problem (no nginx, port busy, not permitted)',
  runFailed: 'run failed midway (what was measured is kept, status "partial")',
  noMeasurement: 'the measured window completed no request',
  storage: 'output could not be written (disk full, read-only)',
  inconclusive: 'inconclusive comparison (see --on-inconclusive)',
  regression: 'regression or failed threshold (run -t, compare)',
  interrupted: 'interrupted (Ctrl-C); partial results are kept',
};

/** The "Exit codes:" block, sorted by code. */
export function exitCodesHelp(): string {
  const rows = (Object.keys(ExitCode) as Array<keyof typeof ExitCode>)
    .map((k) => [ExitCode[k], MEANING[k]] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([code, text]) => `  ${String(code).padEnd(4)} ${text}`);
  return `\nExit codes:\n${rows.join('\n')}`;
}
