/**
 * `run -t`: the threshold grammar checked on one run (or its repeats) against absolute limits,
 * as k6 checks thresholds at the end of a test. A relative limit needs a baseline: that is what
 * `compare` (or a scenario with variants) is for, so it is refused here rather than ignored.
 */
import { ExitCode, invalidInput } from '../errors.js';
import type { ThresholdSpec } from '../scenario/types.js';
import { metricValue } from './metrics.js';
import type { RunForCompare } from './read.js';
import { median } from './stats.js';
import { absoluteCheck } from './thresholds.js';
import type { ThresholdCheck } from './types.js';

/** Refuses relative limits (rise/drop): a single run has no baseline to move against. */
export function requireAbsolute(specs: readonly ThresholdSpec[]): void {
  const relative = specs.find((s) => s.maxIncreasePct !== undefined || s.maxDecreasePct !== undefined);
  if (relative) {
    throw invalidInput(
      'E_BAD_THRESHOLD',
      `--threshold on ${relative.metric} is relative (rise/drop), but this run has nothing to compare with`,
      'A run checks absolute limits (errors==0, latencyP99Us<=5ms, rps>=20000); relative ones need `flamebench compare` or scenario variants.',
    );
  }
}

/** Each bound on the median over the runs that completed (status ok); no value makes a check inconclusive. */
export function checkAbsolute(runs: readonly RunForCompare[], specs: readonly ThresholdSpec[]): ThresholdCheck[] {
  requireAbsolute(specs);
  const ok = runs.filter((r) => r.manifest.status === 'ok');
  const checks: ThresholdCheck[] = [];
  for (const spec of specs) {
    const xs = ok.map((r) => metricValue(r, spec.metric)).filter((v): v is number => v !== null);
    const v = xs.length > 0 ? median(xs) : null;
    const subject = ok.length > 1 ? `median of ${ok.length} runs` : 'value';
    if (spec.max !== undefined && spec.max === spec.min) {
      // "errors==0" is one check, not "≤ 0" and "≥ 0".
      const c = absoluteCheck(spec, v, 'cli', 'max', spec.max, subject);
      const pass = v !== null && v === spec.max;
      checks.push({ ...c, rule: c.rule.replace('≤', '='), status: v === null ? c.status : pass ? 'pass' : 'fail', reason: c.reason.replace('≤', '=').replace(pass ? 'violates' : 'meets', pass ? 'meets' : 'violates') });
      continue;
    }
    if (spec.max !== undefined) checks.push(absoluteCheck(spec, v, 'cli', 'max', spec.max, subject));
    if (spec.min !== undefined) checks.push(absoluteCheck(spec, v, 'cli', 'min', spec.min, subject));
  }
  return checks;
}

/** 99 when a bound is violated (k6's code), 98 when one could not be checked, else 0. */
export function checksExitCode(checks: readonly ThresholdCheck[]): number {
  if (checks.some((c) => c.status === 'fail')) return ExitCode.regression;
  if (checks.some((c) => c.status === 'inconclusive')) return ExitCode.inconclusive;
  return ExitCode.ok;
}
