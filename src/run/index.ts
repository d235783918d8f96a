import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitCode, FlamebenchError, isFlamebenchError, runFailed, toErrorRecord } from '../errors.js';
import type { LoadResult, RunManifest } from '../runs/types.js';
import { runDirName, runPaths } from '../runs/paths.js';
import type { Scenario } from '../scenario/types.js';
import { applyLuajitNoise, chooseLuajitNoise } from '../target/luajit-noise.js';
import { executeRun } from './execute.js';
import { initialManifest } from './manifest.js';
import { writeRunFiles } from './persist.js';

export interface RunOptions {
  /** Parent folder for new run directories (default: reports/). */
  reportsDir: string;
  /** Exact run directory to use (variants/repeats nest their own). */
  outDir?: string;
  quiet: boolean;
  signal?: AbortSignal;
  repeat?: number;
  /** Skip report.html (compare renders its own; tests that do not need it). */
  noReport?: boolean;
}

export interface RunOutcome {
  dir: string;
  manifest: RunManifest;
  load: LoadResult | null;
  exitCode: number;
}

/**
 * One scenario (one variant, one repeat) end to end: nginx up, load, probes, run directory, report.
 * Whatever happens, nginx/loader/probes are stopped and what was measured is written with its status.
 */
export async function runScenario(requested: Scenario, opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  // 'auto' is decided here, once; run.json's scenario holds what ran, `luajitNoise` why.
  const luajitNoise = chooseLuajitNoise(requested);
  const scenario = applyLuajitNoise(requested, luajitNoise);
  const dir = opts.outDir ?? path.join(opts.reportsDir, runDirName(scenario.name, startedAt, scenario.variant));
  await fs.mkdir(dir, { recursive: true });
  const paths = runPaths(dir);
  const manifest = initialManifest(scenario, path.basename(dir), startedAt, opts.repeat ?? null);
  manifest.luajitNoise = luajitNoise;
  await writeRunFiles(paths, manifest, null);

  let load: LoadResult | null = null;
  try {
    load = await executeRun(scenario, paths, manifest, opts);
  } catch (e) {
    manifest.error = toErrorRecord(e);
    // Anything measured before the failure is kept and marked partial; nothing measured is a failed run.
    manifest.status = manifest.load || manifest.cpu.samples.length > 0 ? 'partial' : 'failed';
    manifest.timings.finishedAt = new Date().toISOString();
    load = (e as { partialLoad?: LoadResult }).partialLoad ?? load;
    await writeRunFiles(paths, manifest, load);
    await tryReport(paths.dir, opts);
    if (isFlamebenchError(e)) {
      const wrapped = new FlamebenchError(e.kind, e.code, e.message, e.hint, [...e.details, `run directory: ${dir}`]);
      throw Object.assign(wrapped, { runDir: dir, manifest });
    }
    throw Object.assign(runFailed('E_RUN_FAILED', `run failed: ${toErrorRecord(e).message}`, `see ${paths.manifest}`), {
      runDir: dir,
      manifest,
    });
  }

  await tryReport(paths.dir, opts);
  const exitCode = manifest.status === 'ok' ? ExitCode.ok : ExitCode.runFailed;
  return { dir, manifest, load, exitCode };
}

async function tryReport(dir: string, opts: RunOptions): Promise<void> {
  if (opts.noReport) return;
  try {
    const { renderRunReport } = await import('../report/index.js');
    await renderRunReport(dir);
  } catch (e) {
    if (!opts.quiet) process.stderr.write(`warning: report.html not written: ${toErrorRecord(e).message}\n`);
  }
}
