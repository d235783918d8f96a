import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { runPaths, type RunPaths } from '../runs/paths.js';
import type { LoadResult, ProbeMeta, ProbeStatus, RunManifest } from '../runs/types.js';
import { parseFolded, type ParseReport, type Folded } from '../stacks/folded.js';

/** One probe as found on disk: its status from run.json, plus what its files hold (each may be missing). */
export interface ProbeOnDisk {
  status: ProbeStatus;
  meta: ProbeMeta | null;
  folded: Folded | null;
  foldedReport: ParseReport | null;
  /** Why a file the status points at could not be read (shown in the report, not thrown). */
  problems: string[];
}

/** Everything the report is built from. Only run.json is required; the rest is rendered as "missing". */
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

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseJson<T>(text: string, file: string, problems: string[]): T | null {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    problems.push(`${path.basename(file)} is not valid JSON: ${(e as Error).message}`);
    return null;
  }
}

/** A folded/meta path from run.json is relative to the run dir; refuse anything that leaves it. */
function inside(dir: string, rel: string | undefined, fallback: string): string {
  if (!rel) return fallback;
  const abs = path.resolve(dir, rel);
  return abs.startsWith(dir + path.sep) ? abs : fallback;
}

const ERROR_LOG_LINES = 80;

function tail(text: string, n: number): { text: string; omittedLines: number } {
  const lines = text.replace(/\n+$/, '').split('\n');
  return { text: lines.slice(-n).join('\n'), omittedLines: Math.max(0, lines.length - n) };
}

export async function readRun(runDir: string): Promise<RunOnDisk> {
  const paths = runPaths(runDir);
  const st = await fs.stat(paths.dir).catch(() => null);
  if (!st?.isDirectory()) {
    throw invalidInput('E_NOT_A_RUN_DIR', `${paths.dir} is not a directory`, 'Pass a run directory, e.g. reports/20240501-120000-hello.');
  }
  const manifestText = await readText(paths.manifest);
  if (manifestText === null) {
    throw invalidInput(
      'E_NOT_A_RUN_DIR',
      `${paths.dir} is not a run directory: ${paths.manifest} is missing`,
      'A run directory is what `flamebench run` writes under reports/; it always holds run.json.',
    );
  }
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(manifestText) as RunManifest;
  } catch (e) {
    throw invalidInput('E_BAD_RUN_JSON', `${paths.manifest} is not valid JSON: ${(e as Error).message}`, 'The run directory is damaged; re-run the scenario.');
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.scenario !== 'object' || manifest.scenario === null) {
    throw invalidInput('E_BAD_RUN_JSON', `${paths.manifest} does not look like a flamebench run manifest (no "scenario")`, 'The run directory is damaged; re-run the scenario.');
  }

  const problems: string[] = [];
  const loadText = await readText(paths.loadResult);
  const load = loadText === null ? null : parseJson<LoadResult>(loadText, paths.loadResult, problems);
  if (loadText === null && manifest.status === 'ok') problems.push('load.json is missing although the run is marked ok.');
  const nginxConf = await readText(paths.nginxConf);
  const errorLog = await readText(paths.errorLog);
  const errorLogTail = errorLog && errorLog.trim() !== '' ? tail(errorLog, ERROR_LOG_LINES) : null;

  const probes: ProbeOnDisk[] = [];
  for (const status of manifest.probes ?? []) {
    const p: ProbeOnDisk = { status, meta: null, folded: null, foldedReport: null, problems: [] };
    const metaFile = inside(paths.dir, status.meta, paths.probeMeta(status.id));
    const foldedFile = inside(paths.dir, status.folded, paths.folded(status.id));
    const metaText = await readText(metaFile);
    if (metaText !== null) p.meta = parseJson<ProbeMeta>(metaText, metaFile, p.problems);
    const foldedText = await readText(foldedFile);
    if (foldedText !== null) {
      const parsed = parseFolded(foldedText);
      p.folded = parsed.stacks;
      p.foldedReport = parsed.report;
    } else if (status.status === 'ok') {
      p.problems.push(`${path.relative(paths.dir, foldedFile)} is missing.`);
    }
    probes.push(p);
  }
  return { paths, manifest, load, nginxConf, errorLogTail, probes, problems };
}
