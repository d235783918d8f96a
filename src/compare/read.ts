import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { runPaths } from '../runs/paths.js';
import type { LoadResult, ProbeMeta, RunManifest } from '../runs/types.js';
import { parseFolded, type Folded } from '../stacks/folded.js';

/** What compare needs of one run: the manifest, the load result, and each probe's meta. */
export interface RunForCompare {
  dir: string;
  manifest: RunManifest;
  /** load.json, or the summary in run.json when load.json is missing. */
  load: Pick<LoadResult, 'requests' | 'rps' | 'errors' | 'latencyUs'> | null;
  probes: Map<string, ProbeMeta>;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

async function readJsonFile<T>(file: string): Promise<T> {
  const text = await fs.readFile(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw invalidInput('E_BAD_RUN_FILE', `${file} is not valid JSON: ${(e as Error).message}`, 'Re-run the scenario, or pass another run directory.');
  }
}

const byNaturalName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * A side of a comparison is a run directory, or a directory whose children are run directories
 * (the repeats: reports/<id>/<variant>/<rep>/). Returns the run directories, in natural order.
 */
export async function resolveRunDirs(input: string): Promise<string[]> {
  const abs = path.resolve(input);
  const st = await fs.stat(abs).catch(() => null);
  if (!st?.isDirectory()) {
    throw invalidInput('E_NOT_A_RUN_DIR', `${abs} is not a directory`, 'Pass a run directory (with run.json) or a directory of repeats.');
  }
  if (await exists(runPaths(abs).manifest)) return [abs];
  const children = (await fs.readdir(abs, { withFileTypes: true }))
    .filter((d) => d.isDirectory() || d.isSymbolicLink())
    .map((d) => d.name)
    .sort(byNaturalName);
  const runs: string[] = [];
  for (const name of children) {
    const dir = path.join(abs, name);
    if (await exists(runPaths(dir).manifest)) runs.push(dir);
  }
  if (runs.length === 0) {
    throw invalidInput(
      'E_NOT_A_RUN_DIR',
      `${abs} holds no run.json, and none of its subdirectories does`,
      'Pass a run directory written by `flamebench run`, or a directory containing such run directories (repeats).',
    );
  }
  return runs;
}

export async function readRunForCompare(dir: string): Promise<RunForCompare> {
  const paths = runPaths(dir);
  if (!(await exists(paths.manifest))) {
    throw invalidInput('E_NOT_A_RUN_DIR', `${paths.dir} has no run.json`, 'Pass a run directory written by `flamebench run`.');
  }
  const manifest = await readJsonFile<RunManifest>(paths.manifest);
  if (typeof manifest !== 'object' || manifest === null || manifest.schemaVersion !== 1) {
    throw invalidInput('E_RUN_SCHEMA', `${paths.manifest}: unsupported run.json (schemaVersion ${String((manifest as { schemaVersion?: unknown })?.schemaVersion)})`, 'This flamebench reads run.json schemaVersion 1.');
  }
  let load: RunForCompare['load'] = null;
  if (await exists(paths.loadResult)) load = await readJsonFile<LoadResult>(paths.loadResult);
  else if (manifest.load) load = manifest.load;
  const probes = new Map<string, ProbeMeta>();
  for (const status of manifest.probes ?? []) {
    if (status.status !== 'ok') continue;
    const metaFile = inside(paths.dir, status.meta, paths.probeMeta(status.id));
    if (!(await exists(metaFile))) continue;
    probes.set(status.id, await readJsonFile<ProbeMeta>(metaFile));
  }
  return { dir: paths.dir, manifest, load, probes };
}

/** Paths in run.json are relative to the run dir; anything that leaves it falls back to the default name. */
function inside(dir: string, rel: string | undefined, fallback: string): string {
  if (!rel) return fallback;
  const abs = path.resolve(dir, rel);
  return abs.startsWith(dir + path.sep) ? abs : fallback;
}

/** A probe's folded stacks of one run; null when the file is missing. */
export async function readFoldedOf(run: RunForCompare, probeId: string): Promise<Folded | null> {
  const paths = runPaths(run.dir);
  const status = run.manifest.probes?.find((p) => p.id === probeId);
  const file = inside(paths.dir, status?.folded, paths.folded(probeId));
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  return text === null ? null : parseFolded(text).stacks;
}
