import { FlamebenchError } from '../errors.js';

export function interrupted(): FlamebenchError {
  return new FlamebenchError(
    'interrupted',
    'E_INTERRUPTED',
    'interrupted: the run was stopped before the measured window ended',
    'what was measured so far is kept in the run directory with status "partial"',
  );
}
