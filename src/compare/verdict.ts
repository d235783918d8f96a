/**
 * Four verdicts from the threshold checks: regression if any check failed, else inconclusive if
 * any could not be decided, else improvement if any is decidedly better, else pass. A comparison
 * across machines is inconclusive unless allowed, and says so first.
 */
import { ExitCode } from '../errors.js';
import { formatConfidence } from '../util/format.js';
import { metricDef } from './metrics.js';
import type { Design, MachineCheck, OnInconclusive, ThresholdCheck, Verdict, VerdictStatus } from './types.js';

type VerdictExit = Verdict['exitCode'];
const EXIT: Record<VerdictStatus, VerdictExit> = { pass: ExitCode.ok, improvement: ExitCode.ok, regression: ExitCode.regression, inconclusive: ExitCode.inconclusive };

function exitCodeOf(status: VerdictStatus, onInconclusive: OnInconclusive): VerdictExit {
  if (status !== 'inconclusive') return EXIT[status];
  return onInconclusive === 'pass' ? ExitCode.ok : onInconclusive === 'fail' ? ExitCode.regression : ExitCode.inconclusive;
}

/** "cpuUsPerRequest rise ≤ 5%: +30.1% [90% CI …] is beyond …" (the metric's id, as thresholds name it). */
const line = (c: ThresholdCheck) => `${c.metric} ${c.rule}: ${c.status === 'fail' ? 'FAIL' : c.status} — ${c.reason}`;

function summary(checks: readonly ThresholdCheck[], more: number): string {
  const first = checks[0];
  if (!first) return '';
  return `${metricDef(first.metric).label} ${first.reason}${more > 0 ? ` (and ${more} more)` : ''}`;
}

export function verdictOf(checks: readonly ThresholdCheck[], machines: MachineCheck, design: Design, onInconclusive: OnInconclusive): Verdict {
  const failed = checks.filter((c) => c.status === 'fail');
  const open = checks.filter((c) => c.status === 'inconclusive');
  const better = checks.filter((c) => c.status === 'improvement');
  let status: VerdictStatus = failed.length ? 'regression' : open.length ? 'inconclusive' : better.length ? 'improvement' : 'pass';
  let headline: string;
  if (failed.length) headline = `regression: ${summary(failed, failed.length - 1)}`;
  else if (open.length) headline = `inconclusive: ${summary(open, open.length - 1)}`;
  else if (better.length) headline = `improvement: ${summary(better, better.length - 1)}`;
  else headline = `pass: ${checks.length} threshold check${checks.length === 1 ? '' : 's'} decided within ${checks.length === 1 ? 'its limit' : 'their limits'}`;

  const reasons = checks.map(line);
  if (design.kind === 'sequential') {
    reasons.push(`sequential look ${design.look} (${design.pairs} vs ${design.pairs} runs of at most ${design.maxRepeats}): intervals at ${formatConfidence(design.confidence)}, so that the error stays at α over all looks`);
  }
  if (!machines.same) {
    reasons.unshift(`the sides ran on different machines: ${machines.differences.join('; ')}`);
    if (!machines.allowed) {
      status = 'inconclusive';
      headline = `inconclusive: the sides ran on different machines (${machines.differences.join('; ')}), so the change may be the machine — compare runs from one machine, or pass --allow-cross-machine (measured verdict: ${headline})`;
    } else {
      headline = `different machines (allowed: ${machines.differences.join('; ')}) — ${headline}`;
    }
  }
  return { status, exitCode: exitCodeOf(status, onInconclusive), headline, reasons };
}
