import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodesMarkdown } from '../../src/cli/exit-codes.js';
import { ERROR_CODES, type ErrorCode } from '../../src/error-codes.js';
import { ExitCode, FlamebenchError, invalidInput } from '../../src/errors.js';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every 'E_…' literal in src/ except the catalogue itself, with where it stands. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    if (file.endsWith(path.join('src', 'error-codes.ts'))) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/['`](E_[A-Z0-9_]+)['`]/g)) found.set(m[1]!, path.relative(root, file));
  }
  return found;
}

describe('the error-code catalogue', () => {
  it('holds every code the source uses, and uses every code it holds', () => {
    const used = codesInSource();
    const unknown = [...used].filter(([c]) => !(c in ERROR_CODES)).map(([c, f]) => `${c} (${f})`);
    expect(unknown).toEqual([]);
    const unused = Object.keys(ERROR_CODES).filter((c) => !used.has(c));
    expect(unused).toEqual([]);
  });

  it('fixes the exit code by the code: an error cannot carry a code of another kind', () => {
    expect(new FlamebenchError('E_PORT_BUSY', 'x').exitCode).toBe(ExitCode.environment);
    expect(new FlamebenchError('E_NO_MEASUREMENT', 'x').exitCode).toBe(ExitCode.noMeasurement);
    expect(invalidInput('E_BAD_THRESHOLD', 'x').exitCode).toBe(ExitCode.invalidInput);
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(new FlamebenchError(code, 'x').exitCode).toBe(ExitCode[ERROR_CODES[code].kind]);
    }
  });

  it('is documented in docs/errors.md as generated (npx tsx src/cli/exit-codes.ts > docs/errors.md)', () => {
    expect(readFileSync(path.join(root, 'docs/errors.md'), 'utf8')).toBe(errorCodesMarkdown());
  });
});
