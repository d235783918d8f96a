import { isFlamebenchError, toErrorRecord, type ErrorRecord, type FlamebenchError } from '../errors.js';
import type { RunPaths } from '../runs/paths.js';
import { noteLost, saveManifestSync, saveRun } from '../runs/save.js';
import type {
  CpuSample,
  CpuSummary,
  DistributedLoad,
  RunEnvironment,
  LoaderBoundWarning,
  LoadResult,
  ProbeStatus,
  RunLabel,
  RunManifest,
  RunTarget,
  SaturationRecord,
  SteadyState,
  ThresholdRecord,
} from '../runs/types.js';
import type { LuajitNoiseChoice } from '../nginx/luajit-noise.js';

/** The moments of a run run.json records (timings), as the phases reach them. */
export type RunMoment = 'warmupStartedAt' | 'measureStartedAt' | 'measureEndedAt';

/** What the measured window produced, merged into run.json at once when the load has ended. */
export interface WindowFacts {
  saturation: SaturationRecord | null;
  loaders: DistributedLoad | null;
  cpuSamples: CpuSample[];
  cpuSummary: CpuSummary | null;
  loaderBound: LoaderBoundWarning | null;
}

/**
 * The run's record while it runs: the one place that changes run.json's content. The phases of a
 * run (./execute.ts) return typed results; the orchestrator hands them here, and `checkpoint`
 * persists what was reached, so that a crash at any point still leaves a readable run.json.
 * A full disk at a checkpoint does not stop the measurement: the first storage error is kept and
 * the run ends with it (exit 6).
 */
export class RunRecord {
  private storageError: FlamebenchError | null = null;

  constructor(
    readonly paths: RunPaths,
    /** Read it freely; change it only through the methods below. */
    readonly manifest: RunManifest,
  ) {}

  /** Persists run.json (and load.json with a load) now; a full disk is remembered, not thrown. */
  async checkpoint(load: LoadResult | null = null): Promise<void> {
    try {
      await saveRun(this.paths, this.manifest, load);
    } catch (e) {
      if (!isFlamebenchError(e) || e.kind !== 'storage') throw e;
      this.storageError ??= e;
    }
  }

  /** Persists run.json and load.json, throwing a storage failure (the run's last word is the caller's). */
  save(load: LoadResult | null): Promise<void> {
    return saveRun(this.paths, this.manifest, load);
  }

  /** The first storage failure a checkpoint met, if any. */
  storageFailure(): FlamebenchError | null {
    return this.storageError;
  }

  warn(lines: readonly string[]): void {
    this.manifest.warnings.push(...lines);
  }

  /** A file the run could not keep, named once in the warnings. */
  lost(line: string): void {
    noteLost(this.manifest, line);
  }

  started(facts: { luajitNoise: LuajitNoiseChoice; label: RunLabel }): void {
    this.manifest.luajitNoise = facts.luajitNoise;
    this.manifest.label = facts.label;
  }

  environmentKnown(environment: RunEnvironment): void {
    this.manifest.environment = environment;
  }

  prepared(facts: { probes: ProbeStatus[]; warnings: readonly string[] }): void {
    this.manifest.probes = facts.probes;
    this.warn(facts.warnings);
  }

  nginxStarted(target: RunTarget, warnings: readonly string[]): void {
    this.manifest.target = target;
    this.warn(warnings);
  }

  reached(moment: RunMoment): void {
    this.manifest.timings[moment] = new Date().toISOString();
  }

  windowMeasured(w: WindowFacts): void {
    this.manifest.saturation = w.saturation;
    if (w.loaders) this.manifest.loaders = w.loaders;
    this.manifest.cpu.samples = w.cpuSamples;
    this.manifest.cpu.summary = w.cpuSummary;
    this.manifest.loaderBound = w.loaderBound;
  }

  /** CPU samples taken before something threw: kept, so a partial run still shows them. */
  cpuSamplesSoFar(samples: CpuSample[]): void {
    this.manifest.cpu.samples = samples;
  }

  probesFinished(probes: ProbeStatus[]): void {
    this.manifest.probes = probes;
  }

  /** `run -t` limits checked on this run. */
  thresholdsChecked(checks: ThresholdRecord[]): void {
    this.manifest.thresholds = checks;
  }

  steadyState(steady: SteadyState): void {
    this.manifest.steadyState = steady;
    if (steady.status === 'drifting') this.warn([steady.message]);
  }

  /** The run's end: ok, or the status a failure leaves (`postProcessSince`: when the load ended, for postProcessMs). */
  finished(status: RunManifest['status'], error: ErrorRecord | null, postProcessSince: number | null = null): void {
    this.manifest.status = status;
    this.manifest.error = error;
    this.manifest.timings.finishedAt = new Date().toISOString();
    if (postProcessSince !== null) this.manifest.timings.postProcessMs = Date.now() - postProcessSince;
  }

  /**
   * A failure after the run directory exists: anything measured before it is kept and marked
   * partial; nothing measured is a failed run, and so is a window that completed no request.
   */
  failed(e: FlamebenchError, record: ErrorRecord = toErrorRecord(e)): void {
    if (e.kind === 'storage' && !this.manifest.warnings.some((w) => w.includes(e.message))) this.lost(e.message);
    const measuredSomething = this.manifest.load !== null || this.manifest.cpu.samples.length > 0;
    this.manifest.status = measuredSomething && e.kind !== 'noMeasurement' ? 'partial' : 'failed';
    this.manifest.error = record;
    this.manifest.timings.finishedAt = new Date().toISOString();
  }

  /** A second signal: written synchronously, since the event loop may not turn again. */
  forcedStop(e: FlamebenchError): void {
    this.manifest.status = this.manifest.load ? 'partial' : 'failed';
    this.manifest.error = toErrorRecord(e);
    this.manifest.timings.finishedAt ??= new Date().toISOString();
    saveManifestSync(this.paths, this.manifest);
  }
}
