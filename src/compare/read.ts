import { invalidInput } from '../errors.js';
import { loadFolded, loadJsonFile, loadManifest, probeFiles, resolveRunDirs } from '../runs/load.js';
import { runPaths } from '../runs/paths.js';
import type { LoadResult, ProbeMeta, RunManifest } from '../runs/types.js';
import type { Folded } from '../stacks/folded.js';

export { resolveRunDirs };

/** What compare needs of one run: the manifest, the load result, and each probe's meta. */
export interface RunForCompare {
  dir: string;
  manifest: RunManifest;
  /** load.json, or the summary in run.json when load.json is missing. */
  load: Pick<LoadResult, 'requests' | 'rps' | 'errors' | 'latencyUs'> | null;
  probes: Map<string, ProbeMeta>;
}

const BAD_FILE_HINT = 'Re-run the scenario, or pass another run directory.';

/** Compare refuses a run whose side files are damaged: its numbers would silently be missing. */
async function strictJson<T>(file: string): Promise<T | null> {
  const problems: string[] = [];
  const value = await loadJsonFile<T>(file, problems);
  if (problems.length > 0) throw invalidInput('E_BAD_RUN_FILE', `${file}: ${problems[0]}`, BAD_FILE_HINT);
  return value;
}

export async function readRunForCompare(dir: string): Promise<RunForCompare> {
  const { paths, manifest } = await loadManifest(dir);
  const load: RunForCompare['load'] = (await strictJson<LoadResult>(paths.loadResult)) ?? manifest.load;
  const probes = new Map<string, ProbeMeta>();
  for (const status of manifest.probes) {
    if (status.status !== 'ok') continue;
    const meta = await strictJson<ProbeMeta>(probeFiles(paths, status).meta);
    if (meta) probes.set(status.id, meta);
  }
  return { dir: paths.dir, manifest, load, probes };
}

/** A probe's folded stacks of one run; null when the file is missing. */
export async function readFoldedOf(run: RunForCompare, probeId: string): Promise<Folded | null> {
  return (await loadFolded(runPaths(run.dir), run.manifest, probeId))?.stacks ?? null;
}
