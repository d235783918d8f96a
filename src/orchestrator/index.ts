import path from 'node:path';
import { ExitCode, FlamebenchError, isFlamebenchError, runFailed, toErrorRecord, type ErrorRecord } from '../errors.js';
import type { LoadResult, RunManifest } from '../runs/types.js';
import { runPaths, type RunPaths } from '../runs/paths.js';
import { terminalSafe } from '../util/terminal.js';
import { createRunDir, ensureDir } from '../runs/run-dir.js';
import { registerLiveRun, stopLeftovers } from '../runs/live-runs.js';
import { isStorageFailure, storageError } from '../runs/storage.js';
import type { Scenario } from '../scenario/types.js';
import { applyLuajitNoise, chooseLuajitNoise } from '../nginx/luajit-noise.js';
import { executeRun } from './execute.js';
import { forcedStop, onForcedStop } from './interrupt.js';
import { removeOwnTempFiles } from '../runs/atomic.js';
import { initialManifest } from './manifest.js';
import { noteLost, saveManifestSync, saveRun } from '../runs/save.js';
import { describeLabel } from './label.js';
import { assessSteadyState } from './steady.js';
import { styleFor } from '../util/style.js';
import { renderRunReport } from '../report/index.js';

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
  /** `run --label`: what this run measures (a release, a commit), recorded in run.json for history. */
  label?: string;
  /**
   * What the scenario file should write another way (loadScenarioWithWarnings, one formatted line
   * each): kept in run.json's warnings, so the report shows them. The caller prints them once.
   */
  scenarioWarnings?: readonly string[];
}

/**
 * What a run returns once its directory exists, failed or not (data in a value, not on an error):
 * `status` as in run.json, `error` why it is not ok (null when ok), `load` what was measured.
 * runScenario throws only when no run directory could be made (bad scenario, unwritable folder).
 */
export interface RunOutcome {
  dir: string;
  status: RunManifest['status'];
  manifest: RunManifest;
  load: LoadResult | null;
  exitCode: number;
  error: FlamebenchError | null;
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
  let dir: string;
  if (opts.outDir) {
    dir = path.resolve(opts.outDir);
    await ensureDir(dir);
  } else dir = await createRunDir(opts.reportsDir, scenario.name, startedAt, scenario.variant);
  const paths = runPaths(dir);
  const manifest = initialManifest(scenario, path.basename(dir), startedAt, opts.repeat ?? null);
  manifest.luajitNoise = luajitNoise;
  manifest.warnings.push(...(opts.scenarioWarnings ?? []));
  // Leftovers of a flamebench that was killed are stopped before they skew this run.
  for (const left of stopLeftovers()) {
    const line = `stopped ${left.killed.length} leftover process(es) of a killed flamebench run (pid ${left.ownerPid}, ${left.runDir})`;
    manifest.warnings.push(line);
    if (!opts.quiet) process.stderr.write(`warning: ${terminalSafe(line)}\n`);
  }
  const live = registerLiveRun(dir);
  manifest.label = await describeLabel(opts.label, scenario.source);
  await saveRun(paths, manifest, null);

  let load: LoadResult | null = null;
  // A second Ctrl-C exits without unwinding: run.json must still say what happened.
  const unhook = onForcedStop(async () => {
    const finish = () => {
      manifest.status = manifest.load ? 'partial' : 'failed';
      manifest.error = toErrorRecord(forcedStop());
      manifest.timings.finishedAt ??= new Date().toISOString();
      saveManifestSync(paths, manifest);
    };
    finish();
    await tryReport(paths, manifest, { ...opts, quiet: true });
    // The graceful wind-up may have gone on meanwhile: the last word is the forced stop's.
    finish();
    removeOwnTempFiles([paths.dir, paths.stacksDir, paths.nginxDir]);
  });
  let failure: FlamebenchError | null = null;
  /** What run.json records: the failure, or the bug behind an E_RUN_FAILED. */
  let record: ErrorRecord | null = null;
  try {
    const result = await executeRun(scenario, paths, manifest, opts);
    load = result.load;
    failure = result.failure;
    record = failure && toErrorRecord(failure);
  } catch (thrown) {
    // A raw ENOSPC/EROFS from a stage that writes with plain fs calls is still a storage failure.
    const e = !isFlamebenchError(thrown) && isStorageFailure(thrown) ? storageError(String((thrown as NodeJS.ErrnoException).path ?? dir), thrown) : thrown;
    failure = isFlamebenchError(e) ? e : runFailed('E_RUN_FAILED', `run failed: ${toErrorRecord(e).message}`, `see ${paths.manifest}`);
    record = toErrorRecord(e);
  } finally {
    if (failure && record) await recordFailure(failure, record, load, paths, manifest, opts).catch(() => undefined);
    unhook();
    live.remove();
  }
  if (failure) {
    const error = new FlamebenchError(failure.kind, failure.code, failure.message, failure.hint, [...failure.details, `run directory: ${dir}`]);
    return { dir, status: manifest.status, manifest, load, exitCode: error.exitCode, error };
  }

  if (load) await recordSteadyState(manifest, load, paths, opts);
  const reportError = await tryReport(paths, manifest, opts);
  if (reportError?.kind === 'storage') {
    await saveRun(paths, manifest, null).catch(() => undefined);
    // The run itself is ok; the lost report.html is named in its warnings (and on the terminal).
    return { dir, status: manifest.status, manifest, load, exitCode: ExitCode.storage, error: null };
  }
  const exitCode = manifest.status === 'ok' ? ExitCode.ok : ExitCode.runFailed;
  return { dir, status: manifest.status, manifest, load, exitCode, error: null };
}

/**
 * A run that failed or was interrupted after its directory exists: run.json says so (status,
 * error), with whatever was measured before, and the report is written from it.
 */
async function recordFailure(e: FlamebenchError, record: ErrorRecord, load: LoadResult | null, paths: RunPaths, manifest: RunManifest, opts: RunOptions): Promise<void> {
  if (e.kind === 'storage' && !manifest.warnings.some((w) => w.includes(e.message))) noteLost(manifest, e.message);
  manifest.error = record;
  // Anything measured before the failure is kept and marked partial; nothing measured is a failed run,
  // and so is a window that completed no request (its counters are kept all the same).
  const measuredSomething = manifest.load !== null || manifest.cpu.samples.length > 0;
  manifest.status = measuredSomething && e.kind !== 'noMeasurement' ? 'partial' : 'failed';
  manifest.timings.finishedAt = new Date().toISOString();
  // On a full disk this writes what fits; the storage error itself is the one being reported.
  await saveRun(paths, manifest, load).catch(() => undefined);
  if (await tryReport(paths, manifest, opts)) await saveRun(paths, manifest, null).catch(() => undefined);
}

/** Flags a drifting window in run.json (steadyState and a warning, which the report shows) and on the terminal. */
async function recordSteadyState(manifest: RunManifest, load: LoadResult, paths: RunPaths, opts: RunOptions): Promise<void> {
  const steady = assessSteadyState(load.series, load.durationMs / 1000);
  manifest.steadyState = steady;
  if (steady.status === 'drifting') {
    manifest.warnings.push(steady.message);
    if (!opts.quiet) process.stderr.write(`${styleFor(process.stderr).warn('warning:')} ${terminalSafe(steady.message)}\n`);
  }
  await saveRun(paths, manifest, load);
}

/** report.html is a view of the run directory: its failure is a warning, except that a full disk is also exit 6. */
async function tryReport(paths: RunPaths, manifest: RunManifest, opts: RunOptions): Promise<FlamebenchError | null> {
  if (opts.noReport) return null;
  try {
    await renderRunReport(paths.dir);
    return null;
  } catch (e) {
    if (!opts.quiet) process.stderr.write(`warning: report.html not written: ${terminalSafe(toErrorRecord(e).message)}\n`);
    if (isFlamebenchError(e) && e.kind === 'storage') {
      noteLost(manifest, `report.html was not written: ${e.message}`);
      return e;
    }
    return null;
  }
}
