import type { RunPaths } from '../runs/paths.js';
import { writeJsonAtomic } from '../runs/atomic.js';
import type { LoadResult, RunManifest } from '../runs/types.js';

/** load.json in full; run.json carries the load summary without the bulky histogram and series. */
export async function writeRunFiles(paths: RunPaths, manifest: RunManifest, load: LoadResult | null): Promise<void> {
  if (load) {
    const { histogram: _h, series: _s, spectrum: _p, ...summary } = load;
    manifest.load = summary;
    await writeJsonAtomic(paths.loadResult, load);
  }
  await writeJsonAtomic(paths.manifest, manifest);
}
