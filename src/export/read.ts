/**
 * `export speedscope|pprof <run|folded>`: a run directory gives every probe that wrote folded
 * stacks (with its unit and frequency from stacks/<id>.meta.json); a folded file gives one
 * profile, its unit from a `<name>.meta.json` beside it, else from --unit (samples by default).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { loadFolded, loadJsonFile, loadManifest } from '../runs/load.js';
import type { ProbeMeta, StackUnit } from '../runs/types.js';
import { parseFolded } from '../stacks/folded.js';
import type { ExportProfile } from './profile.js';

export interface ExportSource {
  /** "<scenario>[/<variant>] <run id>", or the folded file's base name. */
  name: string;
  profiles: ExportProfile[];
  /** Lines skipped as not folded (per profile name). */
  skipped: Record<string, number>;
  /** The measured window in ns, when known (pprof durationNanos). */
  durationNanos: number | null;
}

const readJson = async <T>(file: string): Promise<T | null> => {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

export async function readExportSource(input: string, opts: { unit?: StackUnit; probe?: string } = {}): Promise<ExportSource> {
  const abs = path.resolve(input);
  const st = await fs.stat(abs).catch(() => null);
  if (!st) throw invalidInput('E_NOT_FOUND', `${abs} does not exist`, 'Pass a run directory or a .folded file.');
  if (st.isDirectory()) return readRun(abs, opts.probe);
  const text = await fs.readFile(abs, 'utf8');
  const { stacks, report } = parseFolded(text);
  const name = path.basename(abs).replace(/\.folded$/, '');
  if (stacks.size === 0) throw invalidInput('E_NO_STACKS', `${abs} holds no folded stack (${report.skipped} line(s) skipped)`, 'Expect `root;child;leaf <count>` lines, as `flamebench collapse` writes.');
  const meta = await readJson<ProbeMeta>(path.join(path.dirname(abs), `${name}.meta.json`));
  const unit = opts.unit ?? meta?.unit ?? 'samples';
  return { name, profiles: [{ name, unit, frequencyHz: meta?.frequencyHz ?? null, stacks }], skipped: { [name]: report.skipped }, durationNanos: null };
}

async function readRun(dir: string, only: string | undefined): Promise<ExportSource> {
  const { paths, manifest } = await loadManifest(dir);
  const withStacks = manifest.probes.filter((p) => p.folded !== undefined && (only === undefined || p.id === only));
  if (only !== undefined && withStacks.length === 0) {
    throw invalidInput('E_NO_STACKS', `run ${manifest.id} has no folded stacks of probe "${only}"`, `Probes with stacks: ${manifest.probes.filter((p) => p.folded).map((p) => p.id).join(', ') || 'none'}.`);
  }
  const profiles: ExportProfile[] = [];
  const skipped: Record<string, number> = {};
  for (const p of withStacks) {
    // Only files inside the run directory (loadFolded): run.json is data, not a pointer to anywhere on disk.
    const parsed = await loadFolded(paths, manifest, p.id);
    if (parsed === null || parsed.stacks.size === 0) continue;
    const meta = await loadJsonFile<ProbeMeta>(paths.probeMeta(p.id), []);
    profiles.push({ name: p.id, unit: meta?.unit ?? p.unit ?? 'samples', frequencyHz: meta?.frequencyHz ?? null, stacks: parsed.stacks });
    skipped[p.id] = parsed.report.skipped;
  }
  if (profiles.length === 0) throw invalidInput('E_NO_STACKS', `run ${manifest.id} has no folded stacks to export`, 'Run the scenario with a probe (e.g. --probes cpu), or pass a .folded file.');
  const ms = manifest.load?.durationMs;
  // A repeat's id is its number: name the scenario (and variant) too.
  const name = `${manifest.scenario.name}${manifest.variant ? `/${manifest.variant}` : ''} ${manifest.id}`;
  return { name, profiles, skipped, durationNanos: typeof ms === 'number' ? ms * 1e6 : null };
}
