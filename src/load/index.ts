/**
 * The load stage: drives nginx from a pinned child process (autocannon for fixed and saturate
 * modes, our paced sender for rate mode), records latency in µs, and tunes the load level in
 * saturate mode. Entry: runLoad.
 */
import { invalidInput } from '../errors.js';
import type { DistributedLoad, LatencySummaryUs, SaturationRecord, SaturationStep } from '../runs/types.js';
import type { LoadSpec } from '../scenario/types.js';
import { processCpuMicros } from '../util/proc.js';
import { measuredRun, type MeasuredRun } from './measured-run.js';
import { buildPlan, inFlightBound, isLoopback, parseServerAddress, settingsOf, type LoadLevel, type ServerAddress } from './plan.js';
import { latencyInconsistency } from './latency-check.js';
import { ProgressLine } from './progress.js';
import { SaturationTuner } from './saturate.js';
import { LoaderGroup } from './loader-group.js';
import type { LoaderLink } from './loader-link.js';
import { startLoaders } from './start-loaders.js';
import { formatSaturation } from './summary.js';
import type { LoadHooks, LoadOutcome, LoadRunOptions } from './types.js';

export { detectLoaderBound, type LoaderBoundInput } from './loader-bound.js';
export { latencyInconsistency, littleCheck } from './latency-check.js';
export { emptyWindowError } from './empty-window.js';
export { checkConnectionCapacity, readConnectionCapacity, type ConnectionCapacity } from './capacity.js';
export { formatLoadSummary, formatSaturation } from './summary.js';
export type { LoadHooks, LoadOutcome, LoadRunOptions, WorkerCpuMeter } from './types.js';

export interface LoadRunOutcome extends LoadOutcome {
  saturation: SaturationRecord | null;
  /** Rate mode: latency from the actual write (not corrected), to set against result.latencyUs. */
  serviceLatencyUs: LatencySummaryUs | null;
  /** The loader process was pinned with taskset to opts.loaderCpus. */
  loaderPinned: boolean;
  /** Several loaders (load.hosts): each one's share and the start skew; null for the local loader. */
  loaders: DistributedLoad | null;
  warnings: string[];
}

export async function runLoad(spec: LoadSpec, baseUrl: string, hooks: LoadHooks, opts: LoadRunOptions): Promise<LoadRunOutcome> {
  const server = checkServerAddress(spec, baseUrl);
  const child = await startLoaders(spec, opts.loaderCpus);
  const shares = (): DistributedLoad | null => (child instanceof LoaderGroup ? child.record() : null);
  opts.onLoaderStarted?.(child.pid);
  const progress = ProgressLine.forTerminal(opts.quiet, opts.workerCpuPct);
  try {
    let level: LoadLevel = { connections: spec.connections, pipelining: spec.pipelining, threads: spec.threads };
    let saturation: SaturationRecord | null = null;
    const warnings: string[] = [];
    if (spec.mode === 'saturate') {
      const tuned = await saturate(spec, server, child, opts, hooks.signal, progress);
      saturation = tuned.record;
      level = tuned.record.chosen;
      warnings.push(...tuned.warnings);
      progress.note(formatSaturation(saturation));
      if (tuned.aborted) {
        return { ...tuned.last, saturation, serviceLatencyUs: null, loaderPinned: child.pinned, loaders: shares(), warnings, aborted: true, failure: null };
      }
    }
    const plan = buildPlan(spec, server, level, { warmupSec: spec.warmup, durationSec: spec.duration });
    const run = await measuredRun(child, plan, {
      hooks,
      meta: { settings: settingsOf(spec, level), url: server.url, correctedForCoordinatedOmission: spec.mode === 'rate' },
      onProgress: (t) => progress.show(spec.mode, t, spec.duration),
    });
    progress.clear();
    const inconsistent = latencyInconsistency(run.result, inFlightBound(plan));
    return {
      result: run.result,
      aborted: run.aborted,
      failure: run.failure,
      saturation,
      serviceLatencyUs: run.serviceLatencyUs,
      loaderPinned: child.pinned,
      loaders: shares(),
      warnings: [...warnings, ...run.warnings, ...(inconsistent ? [inconsistent] : [])],
    };
  } finally {
    progress.clear();
    await child.close();
  }
}

function checkServerAddress(spec: LoadSpec, baseUrl: string): ServerAddress {
  let server: ServerAddress;
  try {
    server = parseServerAddress(baseUrl, spec);
  } catch {
    throw invalidInput('E_LOAD_URL', `not a URL: ${baseUrl}`, 'The nginx stage passes http://host:port.');
  }
  if (!spec.allowNonLoopback && !isLoopback(server.host)) {
    throw invalidInput(
      'E_LOAD_NOT_LOOPBACK',
      `refusing to load ${server.host}: not a loopback address`,
      'Load tests target 127.0.0.1 or ::1; set load.allowNonLoopback: true to load another host you own.',
    );
  }
  if (spec.mode === 'rate' && !(spec.rate !== undefined && spec.rate > 0)) {
    throw invalidInput('E_LOAD_RATE', 'load.mode is rate but load.rate is not a positive number', 'Set load.rate to the total requests per second.');
  }
  return server;
}

/** Saturate mode: short steps at rising load levels, reading worker and loader CPU over each step's window. */
async function saturate(
  spec: LoadSpec,
  server: ServerAddress,
  child: LoaderLink,
  opts: LoadRunOptions,
  signal: AbortSignal | undefined,
  progress: ProgressLine,
): Promise<{ record: SaturationRecord; aborted: boolean; last: MeasuredRun; warnings: string[] }> {
  const s = spec.saturate;
  const maxThreads = opts.loaderCpus.length > 0 ? opts.loaderCpus.length : s.maxThreads;
  const tuner = new SaturationTuner(
    { connections: spec.connections, pipelining: spec.pipelining, threads: spec.threads },
    s,
    s.stepSeconds,
    maxThreads,
  );
  const warnings: string[] = [];
  let last: MeasuredRun | null = null;
  for (let level = tuner.next(); level; level = tuner.next()) {
    const cpu = { t0: 0, l0: 0, t1: 0, workersUs: 0, l1: 0, workersSince: (): number => 0 };
    const run: MeasuredRun = await measuredRun(
      child,
      buildPlan({ ...spec, mode: 'fixed' }, server, level, { warmupSec: Math.min(1, s.stepSeconds / 2), durationSec: s.stepSeconds }),
      {
        hooks: signal ? { signal } : {},
        meta: { settings: settingsOf(spec, level), url: server.url, correctedForCoordinatedOmission: false },
        onProgress: (t) => progress.show(`c${level!.connections}p${level!.pipelining}t${level!.threads}`, t, s.stepSeconds),
        onWindowStart: () => {
          cpu.t0 = performance.now();
          cpu.workersSince = opts.workers.cpuFromNow();
          cpu.l0 = processCpuMicros(child.pid) ?? 0;
        },
        onWindowEnd: () => {
          cpu.t1 = performance.now();
          cpu.workersUs = cpu.workersSince();
          cpu.l1 = processCpuMicros(child.pid) ?? 0;
        },
      },
    );
    last = run;
    warnings.push(...run.warnings);
    // A tuning step is not the measured window: a loader that died here fails the run as before.
    if (run.failure) throw run.failure;
    if (run.aborted) {
      tuner.interrupt('interrupted');
      return { record: tuner.result(), aborted: true, last: run, warnings };
    }
    const wallUs = Math.max(1, (cpu.t1 - cpu.t0) * 1000);
    const workerCount = opts.workers.pids().length;
    const step: SaturationStep = {
      ...level,
      rps: run.result.rps,
      workerCpuPct: workerCount > 0 ? round1((cpu.workersUs / wallUs / workerCount) * 100) : 0,
      loaderCpuPct: round1(((cpu.l1 - cpu.l0) / wallUs) * 100),
      p99Us: run.result.latencyUs.p99,
      errors: run.result.errors,
    };
    tuner.record(step);
  }
  if (!last) throw new Error('saturate mode ran no step');
  return { record: tuner.result(), aborted: false, last, warnings };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
