import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunManifest } from '../../src/runs/types.js';

/**
 * Polls (bounded) a running `flamebench run`'s run.json until it says the measured window started;
 * the manifest then, or null when it did not within `ms` (the caller decides what that means).
 */
export async function measuredWindowStarted(out: string, ms = 30_000): Promise<RunManifest | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      const m = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunManifest;
      if (m.timings.measureStartedAt) return m;
    } catch {
      /* not written yet */
    }
  }
  return null;
}
