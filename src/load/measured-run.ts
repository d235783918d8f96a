import { runFailed, type FlamebenchError } from '../errors.js';
import type { LoadResult, LoadSecond } from '../runs/types.js';
import { errorCount, mergeSnapshots, WindowAggregator, type WindowMeta } from './aggregate.js';
import type { ChildMessage, LoadPhase, RunPlan } from './protocol.js';
import type { LoaderLink } from './loader-link.js';
import type { LoadHooks } from './types.js';
import type { LatencySummaryUs } from '../runs/types.js';

export interface ProgressTick {
  phase: LoadPhase;
  second: number;
  rps: number;
  p99Us: number;
  errors: number;
}

export interface MeasuredRunOptions {
  hooks: LoadHooks;
  meta: Omit<WindowMeta, 'startedAt'>;
  onProgress?(t: ProgressTick): void;
  /** Internal: exact window edges, for reading CPU counters (saturate steps). */
  onWindowStart?(): void;
  onWindowEnd?(): void;
  /** Grace for the child to answer an abort before it is killed. */
  abortGraceMs?: number;
}

export interface MeasuredRun {
  result: LoadResult;
  aborted: boolean;
  /** The window ended early for a reason other than an abort (the loader died): result holds what was measured until then. */
  failure: FlamebenchError | null;
  serviceLatencyUs: LatencySummaryUs | null;
  warnings: string[];
}

/**
 * Drives one RunPlan in the loader child: warm-up, hooks at the window's edges, the measured
 * window, and abort. Resolves with what was measured, also when aborted or when the child died
 * after the window started (then partial, with `failure` set: the seconds ticked so far are
 * kept); rejects when a hook throws or the child died before the window.
 */
export function measuredRun(child: LoaderLink, plan: RunPlan, opts: MeasuredRunOptions): Promise<MeasuredRun> {
  const agg = new WindowAggregator();
  const warnings: string[] = [];
  let startedAt = new Date().toISOString();
  let aborted = false;
  let windowDone = false;
  let measuring = false;
  let failure: FlamebenchError | null = null;
  let ending: Promise<void> | null = null;
  const { hooks } = opts;

  return new Promise<MeasuredRun>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      offMessage();
      offExit();
      hooks.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (err !== undefined) {
        reject(err);
        return;
      }
      const result = agg.result({ ...opts.meta, startedAt });
      if (aborted || failure) result.partial = true;
      resolve({ result, aborted, failure, serviceLatencyUs: agg.serviceLatency(), warnings });
    };
    const fail = (err: unknown): void => {
      child.send({ type: 'abort' });
      finish(err);
    };
    function onAbort(): void {
      if (aborted || settled) return;
      aborted = true;
      child.send({ type: 'abort' });
      killTimer = setTimeout(() => {
        warnings.push('the loader did not answer the abort in time and was killed');
        child.kill();
        finish();
      }, opts.abortGraceMs ?? 3000);
    }

    const onMessage = (m: ChildMessage): void => {
      switch (m.type) {
        case 'tick': {
          if (m.phase === 'measure') {
            const s: LoadSecond = agg.add(m.intervalMs, m.snaps);
            hooks.onSecond?.(s);
            opts.onProgress?.({ phase: 'measure', second: s.t, rps: s.requests / (m.intervalMs / 1000), p99Us: s.p99Us, errors: s.errors });
          } else if (opts.onProgress && m.intervalMs >= 100) {
            const { snap, hist } = mergeSnapshots(m.snaps);
            opts.onProgress({
              phase: 'warmup',
              second: m.second,
              rps: m.intervalMs > 0 ? snap.requests / (m.intervalMs / 1000) : 0,
              p99Us: hist.totalCount > 0 ? hist.getValueAtPercentile(99) : 0,
              errors: errorCount(snap),
            });
          }
          return;
        }
        case 'units-ready':
          // Every loader is connected-ready (a group says so once all are): start the warm-up together.
          child.send({ type: 'go' });
          return;
        case 'warmup-done':
          Promise.resolve(hooks.onMeasureStart?.()).then(
            () => child.send({ type: 'measure' }),
            (e: unknown) => fail(e),
          );
          return;
        case 'measure-started':
          measuring = true;
          startedAt = new Date().toISOString();
          opts.onWindowStart?.();
          return;
        case 'ending':
          ending = Promise.resolve(hooks.onMeasureEnding?.());
          return;
        case 'window-done':
          windowDone = true;
          opts.onWindowEnd?.();
          ending ??= Promise.resolve(hooks.onMeasureEnding?.());
          ending.then(
            () => child.send({ type: 'finish' }),
            (e: unknown) => fail(e),
          );
          return;
        case 'stopped':
          finish();
          return;
        case 'error':
          warnings.push(`loader: ${m.message}`);
          return;
        case 'ready':
          return;
      }
    };
    const offMessage = child.onMessage(onMessage);
    const offExit = child.onExit(() => {
      if (aborted || windowDone) finish();
      else if (measuring) {
        // Mid-window: keep the seconds ticked so far; the caller stops the probes and saves everything as partial.
        failure = runFailed(
          'E_LOADER_DIED',
          'the loader process exited during the measured window',
          'The seconds measured before it died are kept in load.json (partial); see the loader\'s messages above and dmesg (OOM killer?).',
        );
        finish();
      } else fail(runFailed('E_LOADER_DIED', 'the loader process exited before the measured window', 'See the loader\'s messages above; nothing was measured.'));
    });
    if (hooks.signal?.aborted) {
      // Nothing to measure: still return an (empty) partial result.
      aborted = true;
      finish();
      return;
    }
    hooks.signal?.addEventListener('abort', onAbort);
    child.send({ type: 'run', plan });
  });
}
