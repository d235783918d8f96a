import path from 'node:path';
import { ExitCode, FlamebenchError, isFlamebenchError, runFailed, toErrorRecord, type ErrorRecord } from '../errors.js';
import type { LoadResult, RunManifest } from '../runs/types.js';
import { runPaths } from '../runs/paths.js';
import { terminalSafe } from '../util/terminal.js';
import { createRunDir, ensureDir } from '../runs/run-dir.js';
import { registerLiveRun, stopLeftovers } from '../runs/live-runs.js';
import { isStorageFailure, storageError } from '../runs/storage.js';
import type { Scenario, ThresholdSpec } from '../scenario/types.js';
import { checkAbsolute } from '../compare/absolute.js';
import { readRunForCompare } from '../compare/read.js';
import type { ThresholdCheck } from '../compare/types.js';
import { applyLuajitNoise, chooseLuajitNoise } from '../nginx/luajit-noise.js';
import { executeRun } from './execute.js';
import { forcedStop, onForcedStop } from './interrupt.js';
import { removeOwnTempFiles } from '../runs/atomic.js';
import { initialManifest } from './manifest.js';
import { RunRecord } from './run-record.js';
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
  /** `run -t` absolute limits on this one run: checked once it completed, kept in run.json and the report. */
  thresholds?: readonly ThresholdSpec[];
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
  /** The checks of RunOptions.thresholds; empty when none were given or the run failed. */
  checks: ThresholdCheck[];
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
  const record = new RunRecord(runPaths(dir), initialManifest(scenario, path.basename(dir), startedAt, opts.repeat ?? null));
  const { paths, manifest } = record;
  // The scenario's own warnings (a deprecated key) belong to every run made from it.
  record.warn(opts.scenarioWarnings ?? []);
  // Leftovers of a flamebench that was killed are stopped before they skew this run.
  for (const left of stopLeftovers()) {
    const line = `stopped ${left.killed.length} leftover process(es) of a killed flamebench run (pid ${left.ownerPid}, ${left.runDir})`;
    record.warn([line]);
    if (!opts.quiet) process.stderr.write(`warning: ${terminalSafe(line)}\n`);
  }
  const live = registerLiveRun(dir);
  record.started({ luajitNoise, label: await describeLabel(opts.label, scenario.source) });
  await record.save(null);

  let load: LoadResult | null = null;
  // A second Ctrl-C exits without unwinding: run.json must still say what happened.
  const unhook = onForcedStop(async () => {
    record.forcedStop(forcedStop());
    await tryReport(record, { ...opts, quiet: true });
    // The graceful wind-up may have gone on meanwhile: the last word is the forced stop's.
    record.forcedStop(forcedStop());
    removeOwnTempFiles([paths.dir, paths.stacksDir, paths.nginxDir]);
  });
  let failure: FlamebenchError | null = null;
  /** What run.json records: the failure, or the bug behind an E_RUN_FAILED. */
  let errorRecord: ErrorRecord | null = null;
  try {
    const result = await executeRun(scenario, record, opts);
    load = result.load;
    failure = result.failure;
    errorRecord = failure && toErrorRecord(failure);
  } catch (thrown) {
    // A raw ENOSPC/EROFS from a stage that writes with plain fs calls is still a storage failure.
    const e = !isFlamebenchError(thrown) && isStorageFailure(thrown) ? storageError(String((thrown as NodeJS.ErrnoException).path ?? dir), thrown) : thrown;
    failure = isFlamebenchError(e) ? e : runFailed('E_RUN_FAILED', `run failed: ${toErrorRecord(e).message}`, `see ${paths.manifest}`);
    errorRecord = toErrorRecord(e);
  } finally {
    if (failure && errorRecord) await recordFailure(failure, errorRecord, load, record, opts).catch(() => undefined);
    unhook();
    live.remove();
  }
  if (failure) {
    const error = new FlamebenchError(failure.code, failure.message, failure.hint, [...failure.details, `run directory: ${dir}`]);
    return { dir, status: manifest.status, manifest, load, exitCode: error.exitCode, error, checks: [] };
  }

  if (load) await recordSteadyState(record, load, opts);
  const checks = opts.thresholds?.length ? checkAbsolute([await readRunForCompare(dir)], opts.thresholds) : [];
  if (checks.length > 0) {
    record.thresholdsChecked(checks.map((c) => ({ metric: c.metric, rule: c.rule, status: c.status, observed: c.observed, reason: c.reason })));
    await record.save(null);
  }
  const reportError = await tryReport(record, opts);
  if (reportError?.kind === 'storage') {
    await record.save(null).catch(() => undefined);
    // The run itself is ok; the lost report.html is named in its warnings (and on the terminal).
    return { dir, status: manifest.status, manifest, load, exitCode: ExitCode.storage, error: null, checks };
  }
  const exitCode = manifest.status === 'ok' ? ExitCode.ok : ExitCode.runFailed;
  return { dir, status: manifest.status, manifest, load, exitCode, error: null, checks };
}

/**
 * A run that failed or was interrupted after its directory exists: run.json says so (status,
 * error), with whatever was measured before, and the report is written from it.
 */
async function recordFailure(e: FlamebenchError, error: ErrorRecord, load: LoadResult | null, record: RunRecord, opts: RunOptions): Promise<void> {
  record.failed(e, error);
  // On a full disk this writes what fits; the storage error itself is the one being reported.
  await record.save(load).catch(() => undefined);
  if (await tryReport(record, opts)) await record.save(null).catch(() => undefined);
}

/** Flags a drifting window in run.json (steadyState and a warning, which the report shows) and on the terminal. */
async function recordSteadyState(record: RunRecord, load: LoadResult, opts: RunOptions): Promise<void> {
  const steady = assessSteadyState(load.series, load.durationMs / 1000);
  record.steadyState(steady);
  if (steady.status === 'drifting' && !opts.quiet) process.stderr.write(`${styleFor(process.stderr).warn('warning:')} ${terminalSafe(steady.message)}\n`);
  await record.save(load);
}

/** report.html is a view of the run directory: its failure is a warning, except that a full disk is also exit 6. */
async function tryReport(record: RunRecord, opts: RunOptions): Promise<FlamebenchError | null> {
  if (opts.noReport) return null;
  try {
    await renderRunReport(record.paths.dir);
    return null;
  } catch (e) {
    if (!opts.quiet) process.stderr.write(`warning: report.html not written: ${terminalSafe(toErrorRecord(e).message)}\n`);
    if (isFlamebenchError(e) && e.kind === 'storage') {
      record.lost(`report.html was not written: ${e.message}`);
      return e;
    }
    return null;
  }
}
