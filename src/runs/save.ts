/** The one writer of run.json and load.json (the reading side is ./load.ts). */
import { isFlamebenchError, type FlamebenchError } from '../errors.js';
import { overwriteInPlace, writeJsonAtomic, writeJsonAtomicSync } from './atomic.js';
import type { RunPaths } from './paths.js';
import type { LoadResult, RunManifest } from './types.js';

/**
 * load.json in full; run.json carries the load summary without the bulky histogram and series.
 * On a full disk it writes what fits: a load.json that does not fit is named in run.json's
 * warnings, and run.json itself is overwritten in place when no temp copy fits. Then it throws
 * the first E_STORAGE error (exit 6), so that the run ends saying what was lost.
 */
export async function saveRun(paths: RunPaths, manifest: RunManifest, load: LoadResult | null): Promise<void> {
  let lost: FlamebenchError | null = null;
  if (load) {
    const { histogram: _h, series: _s, spectrum: _p, ...summary } = load;
    manifest.load = summary;
    try {
      await writeJsonAtomic(paths.loadResult, load);
    } catch (e) {
      if (!isStorage(e)) throw e;
      lost = e;
      noteLost(manifest, `load.json (histogram and per-second series) was not written: ${e.message}`);
    }
  }
  try {
    await writeJsonAtomic(paths.manifest, manifest);
  } catch (e) {
    if (!isStorage(e)) throw e;
    lost ??= e;
    // Compact JSON in the blocks the previous run.json already holds.
    await overwriteInPlace(paths.manifest, `${JSON.stringify(manifest)}\n`).catch(() => undefined);
  }
  if (lost) throw lost;
}

/** Records a file the run could not keep (once), for run.json, the report and the terminal. */
export function noteLost(manifest: RunManifest, line: string): void {
  const text = `storage: ${line}`;
  if (!manifest.warnings.includes(text)) manifest.warnings.push(text);
}

function isStorage(e: unknown): e is FlamebenchError {
  return isFlamebenchError(e) && e.kind === 'storage';
}

/** run.json at once, for a forced stop that may not wait for the event loop again. */
export function saveManifestSync(paths: RunPaths, manifest: RunManifest): void {
  writeJsonAtomicSync(paths.manifest, manifest);
}
