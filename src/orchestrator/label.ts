/**
 * What a run is a measurement *of*, for `history` and trend exports: the user's label
 * (`run --label v1.2.0`) and `git describe` of the scenario's checkout when there is one.
 * The nginx version is read from run.json's environment (nginx -V) where it is needed.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RunLabel } from '../runs/types.js';

const run = promisify(execFile);

/** `git describe --tags --always --dirty` in `dir`, or null (no git, not a checkout, timeout). */
export async function gitDescribe(dir: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['describe', '--tags', '--always', '--dirty'], { cwd: dir, timeout: 3000 });
    const s = stdout.trim();
    return s === '' ? null : s;
  } catch {
    return null;
  }
}

export async function describeLabel(label: string | undefined, scenarioSource: string): Promise<RunLabel> {
  return { label: label ?? null, gitDescribe: await gitDescribe(path.dirname(scenarioSource)) };
}

/** "nginx version: openresty/1.25.3.1" / "nginx version: nginx/1.22.1" → "openresty/1.25.3.1"; null if absent. */
export function nginxVersionOf(nginxV: string | null | undefined): string | null {
  const m = /nginx version:\s*(\S+)/.exec(nginxV ?? '');
  return m ? (m[1] as string) : null;
}
