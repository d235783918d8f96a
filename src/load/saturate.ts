import type { SaturateSpec } from '../scenario/types.js';
import type { SaturationRecord, SaturationStep } from '../runs/types.js';
import type { LoadLevel } from './plan.js';

const DIMENSIONS = ['connections', 'pipelining', 'threads'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** A raise that gains less than this (rps share and worker CPU points) means the knob is spent. */
export const MIN_RPS_GAIN = 0.03;
export const MIN_CPU_GAIN_PCT = 2;
/** Error share of responses above which a step counts as degraded. */
export const MAX_ERROR_SHARE = 0.01;

const sameLevel = (a: LoadLevel, b: LoadLevel): boolean =>
  a.connections === b.connections && a.pipelining === b.pipelining && a.threads === b.threads;
const levelOf = (s: SaturationStep): LoadLevel => ({ connections: s.connections, pipelining: s.pipelining, threads: s.threads });

/**
 * Decides the saturate-mode steps: raise connections, then pipelining, then loader threads
 * (doubling, threads 0 → 2 → 3 …), moving to the next knob when one stops paying, until the
 * workers reach the target CPU, latency (without a throughput gain) or errors degrade, or every
 * knob is at its limit.
 * Pure: it sees only the steps it is given.
 */
export class SaturationTuner {
  private readonly steps: SaturationStep[] = [];
  private dim = 0;
  private pending: LoadLevel | null;
  private verdict: { chosen: LoadLevel; reason: string } | null = null;

  constructor(
    start: LoadLevel,
    private readonly spec: SaturateSpec,
    private readonly stepSeconds: number,
    /** Threads beyond the loader's CPUs add nothing. */
    private readonly maxThreads: number,
  ) {
    this.pending = { ...start };
  }

  /** The level to try next; null when tuning is over (see record()). */
  next(): LoadLevel | null {
    return this.verdict ? null : this.pending;
  }

  record(step: SaturationStep): void {
    const prev = this.steps.at(-1);
    this.steps.push(step);
    const target = this.spec.targetCpuPct;
    if (step.workerCpuPct >= target) {
      return this.stop(step, `workers reached ${pct(step.workerCpuPct)}% CPU (target ${target}%)`);
    }
    const earlier = this.steps.filter((s) => s !== step && !sameLevel(s, step));
    const fallback = earlier.length > 0 ? this.best(earlier) : step;
    const responses = step.rps * this.stepSeconds;
    const minP99 = Math.min(...this.steps.map((s) => s.p99Us).filter((x) => x > 0));
    // More load in flight means proportionally more latency (Little's law) while throughput
    // grows; latency counts as degraded only when it grew without a throughput gain.
    const gained = prev !== undefined && step.rps >= prev.rps * (1 + MIN_RPS_GAIN);
    let degraded: string | null = null;
    if (step.errors > MAX_ERROR_SHARE * (responses + step.errors)) {
      degraded = `errors rose to ${step.errors} in ${this.stepSeconds} s at ${describe(levelOf(step))}; chose the last good step`;
    } else if (prev && !gained && step.p99Us > this.spec.maxLatencyGrowth * minP99) {
      degraded = `p99 grew to ${step.p99Us} µs, over ${this.spec.maxLatencyGrowth}× the best step's ${minP99} µs, at ${describe(levelOf(step))}; chose the step before`;
    }
    if (degraded) {
      // One noisy step (another process, a GC pause) must not end the tuning: measure this level
      // again, and stop only if it is degraded twice in a row.
      if (prev && sameLevel(prev, step)) return this.stop(fallback, degraded);
      this.pending = levelOf(step);
      return;
    }
    if (prev && sameLevel(prev, step)) {
      // The retry was fine after all: judge it against the step before the suspect one.
      const before = this.steps.at(-3);
      return this.advance(step, before);
    }
    this.advance(step, prev);
  }

  private advance(step: SaturationStep, prev: SaturationStep | undefined): void {
    const target = this.spec.targetCpuPct;
    let from = levelOf(step);
    if (prev && step.rps < prev.rps * (1 + MIN_RPS_GAIN) && step.workerCpuPct < prev.workerCpuPct + MIN_CPU_GAIN_PCT) {
      // This knob stopped paying: keep the better of the two and turn the next one.
      from = levelOf(step.rps > prev.rps ? step : prev);
      this.dim++;
    }
    for (; this.dim < DIMENSIONS.length; this.dim++) {
      const raised = this.raise(from, DIMENSIONS[this.dim]!);
      if (raised) {
        this.pending = raised;
        return;
      }
    }
    const best = this.best(this.steps);
    this.stop(best, `every knob at its limit or no longer raising throughput; workers peaked at ${pct(best.workerCpuPct)}% CPU (target ${target}%)`);
  }

  /** The record for run.json; valid once next() returned null. */
  result(): SaturationRecord {
    const v = this.verdict ?? { chosen: this.pending ?? levelOf(this.best(this.steps)), reason: 'tuning was interrupted' };
    return { targetCpuPct: this.spec.targetCpuPct, steps: [...this.steps], chosen: { ...v.chosen }, reason: v.reason };
  }

  /** Stops tuning early (e.g. aborted); keeps the best step so far. */
  interrupt(reason: string): void {
    if (!this.verdict && this.steps.length > 0) this.verdict = { chosen: levelOf(this.best(this.steps)), reason };
    else if (!this.verdict) this.verdict = { chosen: this.pending as LoadLevel, reason };
  }

  private raise(l: LoadLevel, d: Dimension): LoadLevel | null {
    const s = this.spec;
    switch (d) {
      case 'connections':
        return l.connections < s.maxConnections ? { ...l, connections: Math.min(s.maxConnections, l.connections * 2) } : null;
      case 'pipelining':
        return l.pipelining < s.maxPipelining ? { ...l, pipelining: Math.min(s.maxPipelining, l.pipelining * 2) } : null;
      case 'threads': {
        const limit = Math.min(s.maxThreads, this.maxThreads);
        const next = l.threads === 0 ? 2 : l.threads + 1;
        return next <= limit ? { ...l, threads: next } : null;
      }
    }
  }

  private best(steps: SaturationStep[]): SaturationStep {
    return steps.reduce((a, b) => (b.workerCpuPct > a.workerCpuPct + 0.5 || (Math.abs(b.workerCpuPct - a.workerCpuPct) <= 0.5 && b.rps > a.rps) ? b : a));
  }

  private stop(step: SaturationStep, reason: string): void {
    this.verdict = { chosen: levelOf(step), reason };
  }
}

const pct = (x: number): string => (Math.round(x * 10) / 10).toString();
export const describe = (l: LoadLevel): string => `connections ${l.connections}, pipelining ${l.pipelining}, threads ${l.threads}`;
