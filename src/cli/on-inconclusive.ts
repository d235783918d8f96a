import type { OnInconclusive } from '../compare/types.js';
import { invalidInput } from '../errors.js';

/** `--on-inconclusive inconclusive|pass|fail`: the exit code of an inconclusive verdict (98 / 0 / 99). */
export function parseOnInconclusive(value: string | undefined): OnInconclusive {
  if (value === undefined) return 'inconclusive';
  if (value === 'inconclusive' || value === 'pass' || value === 'fail') return value;
  throw invalidInput('E_BAD_FLAG', `--on-inconclusive ${JSON.stringify(value)} is not a policy`, 'use inconclusive (exit 98, the default), pass (exit 0) or fail (exit 99)');
}
