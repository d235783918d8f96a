/**
 * The one reader of a run directory (the saving side is ./save.ts; Lighthouse's asset-saver keeps
 * both in one layer). run.json is validated against schema/run.schema.json, so a corrupt, foreign
 * or future run.json is one clear error (code, what, hint) here, and readers after this point
 * rely on the types instead of guarding every field.
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { invalidInput } from '../errors.js';
import { parseFolded, type Folded, type ParseReport } from '../stacks/folded.js';
import { runPaths, type RunPaths } from './paths.js';
import { RUN_SCHEMA_VERSION, type LoadResult, type ProbeMeta, type ProbeStatus, type RunManifest } from './types.js';
import { upgradeLoadResult, upgradeRunJson, WORKERS_SCHEMA_VERSION } from './upgrade.js';

/** The same relative path works from src/runs (tsx, vitest) and dist/runs (built). */
export const RUN_SCHEMA_URL = new URL('../../schema/run.schema.json', import.meta.url);

const DAMAGED_HINT = 'The run directory is damaged or was not written by this flamebench; re-run the scenario, or pass another run directory.';

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(RUN_SCHEMA_URL, 'utf8')) as object);
  return validator;
}

/** The problems of a parsed run.json against the schema ("/probes/0/status: must be equal to one of …"); empty when valid. */
export function runSchemaProblems(data: unknown): string[] {
  const validate = getValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Does `dir` hold a run.json (without reading it)? */
export function isRunDir(dir: string): Promise<boolean> {
  return exists(runPaths(dir).manifest);
}

/** The validated manifest of a run directory. Throws invalid input (exit 2): not a run directory, not JSON, not a run.json of this version. */
export async function loadManifest(dir: string): Promise<{ paths: RunPaths; manifest: RunManifest }> {
  const paths = runPaths(dir);
  const st = await fs.stat(paths.dir).catch(() => null);
  if (!st?.isDirectory()) {
    throw invalidInput('E_NOT_A_RUN_DIR', `${paths.dir} is not a directory`, 'Pass a run directory, e.g. reports/20240501-120000-hello.');
  }
  const text = await readText(paths.manifest);
  if (text === null) {
    throw invalidInput(
      'E_NOT_A_RUN_DIR',
      `${paths.dir} is not a run directory: ${paths.manifest} is missing`,
      'A run directory is what `flamebench run` writes under reports/; it always holds run.json.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidInput('E_BAD_RUN_JSON', `${paths.manifest} is not valid JSON: ${(e as Error).message}`, DAMAGED_HINT);
  }
  const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof parsed === 'object' && parsed !== null && version !== undefined && version !== RUN_SCHEMA_VERSION && version !== WORKERS_SCHEMA_VERSION) {
    throw invalidInput(
      'E_RUN_SCHEMA',
      `${paths.manifest}: unsupported run.json (schemaVersion ${String(version)})`,
      `This flamebench reads run.json schemaVersion ${WORKERS_SCHEMA_VERSION} and ${RUN_SCHEMA_VERSION}.`,
    );
  }
  const data = upgradeRunJson(parsed);
  const problems = runSchemaProblems(data);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    throw invalidInput('E_BAD_RUN_JSON', `${paths.manifest} is not a flamebench run manifest: ${shown}`, `${DAMAGED_HINT} (schema: schema/run.schema.json)`);
  }
  return { paths, manifest: data as RunManifest };
}

/** A folded/meta path from run.json is relative to the run dir; anything that leaves it falls back to the default name. */
function inside(dir: string, rel: string | undefined, fallback: string): string {
  if (!rel) return fallback;
  const abs = path.resolve(dir, rel);
  return abs.startsWith(dir + path.sep) ? abs : fallback;
}

/** Where a probe's folded stacks and meta are, by its status in run.json (never outside the run directory). */
export function probeFiles(paths: RunPaths, status: Pick<ProbeStatus, 'id' | 'folded' | 'meta'>): { folded: string; meta: string } {
  return { folded: inside(paths.dir, status.folded, paths.folded(status.id)), meta: inside(paths.dir, status.meta, paths.probeMeta(status.id)) };
}

/** A JSON side file (load.json, a meta.json): null when missing; a problem line when it is not JSON. */
export async function loadJsonFile<T>(file: string, problems: string[]): Promise<T | null> {
  const text = await readText(file);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    problems.push(`${path.basename(file)} is not valid JSON: ${(e as Error).message}`);
    return null;
  }
}

/** A probe's folded stacks of a run (by its status in run.json, else the default name); null when the file is missing. */
export async function loadFolded(paths: RunPaths, manifest: RunManifest, probeId: string): Promise<{ stacks: Folded; report: ParseReport } | null> {
  const status = manifest.probes.find((p) => p.id === probeId) ?? { id: probeId };
  const text = await readText(probeFiles(paths, status).folded);
  return text === null ? null : parseFolded(text);
}

/** One probe as found on disk: its status from run.json, plus what its files hold (each may be missing). */
export interface ProbeOnDisk {
  status: ProbeStatus;
  meta: ProbeMeta | null;
  folded: Folded | null;
  foldedReport: ParseReport | null;
  /** Why a file the status points at could not be read (shown in the report, not thrown). */
  problems: string[];
}

/** Everything a run directory holds that readers use. Only run.json is required; the rest may be missing. */
export interface RunOnDisk {
  paths: RunPaths;
  manifest: RunManifest;
  load: LoadResult | null;
  nginxConf: string | null;
  /** The last lines of nginx/error.log (null when missing or empty). */
  errorLogTail: { text: string; omittedLines: number } | null;
  probes: ProbeOnDisk[];
  problems: string[];
}

const ERROR_LOG_LINES = 80;

function tail(text: string, n: number): { text: string; omittedLines: number } {
  const lines = text.replace(/\n+$/, '').split('\n');
  return { text: lines.slice(-n).join('\n'), omittedLines: Math.max(0, lines.length - n) };
}

/** The whole run directory: validated run.json, load.json, nginx files and every probe's files. */
export async function loadRun(runDir: string): Promise<RunOnDisk> {
  const { paths, manifest } = await loadManifest(runDir);
  const problems: string[] = [];
  const load = upgradeLoadResult(await loadJsonFile<unknown>(paths.loadResult, problems)) as LoadResult | null;
  if (load === null && !(await exists(paths.loadResult)) && manifest.status === 'ok') problems.push('load.json is missing although the run is marked ok.');
  const nginxConf = await readText(paths.nginxConf);
  const errorLog = await readText(paths.errorLog);
  const errorLogTail = errorLog && errorLog.trim() !== '' ? tail(errorLog, ERROR_LOG_LINES) : null;

  const probes: ProbeOnDisk[] = [];
  for (const status of manifest.probes) {
    const p: ProbeOnDisk = { status, meta: null, folded: null, foldedReport: null, problems: [] };
    const files = probeFiles(paths, status);
    p.meta = await loadJsonFile<ProbeMeta>(files.meta, p.problems);
    const foldedText = await readText(files.folded);
    if (foldedText !== null) {
      const parsed = parseFolded(foldedText);
      p.folded = parsed.stacks;
      p.foldedReport = parsed.report;
    } else if (status.status === 'ok') {
      p.problems.push(`${path.relative(paths.dir, files.folded)} is missing.`);
    }
    probes.push(p);
  }
  return { paths, manifest, load, nginxConf, errorLogTail, probes, problems };
}

const byNaturalName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * A run directory, or a directory whose children are run directories (the repeats of a series:
 * reports/<id>/<variant>/<rep>/). Returns the run directories, in natural order.
 */
export async function resolveRunDirs(input: string): Promise<string[]> {
  const abs = path.resolve(input);
  const st = await fs.stat(abs).catch(() => null);
  if (!st?.isDirectory()) {
    throw invalidInput('E_NOT_A_RUN_DIR', `${abs} is not a directory`, 'Pass a run directory (with run.json) or a directory of repeats.');
  }
  if (await isRunDir(abs)) return [abs];
  const children = (await fs.readdir(abs, { withFileTypes: true }))
    .filter((d) => d.isDirectory() || d.isSymbolicLink())
    .map((d) => d.name)
    .sort(byNaturalName);
  const runs: string[] = [];
  for (const name of children) {
    const dir = path.join(abs, name);
    if (await isRunDir(dir)) runs.push(dir);
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
