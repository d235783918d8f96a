import { probeFilesRelative, type RunPaths } from '../runs/paths.js';
import { writeFileAtomic, writeJsonAtomic } from '../runs/atomic.js';
import type { ProbeMeta, ProbeStatus } from '../runs/types.js';
import type { CpuProbeSpec, ProbeSpec } from '../scenario/types.js';
import { formatFolded, totalWeight, type Folded, type ParseReport } from '../stacks/folded.js';
import type { ProbeResult } from './types.js';

/** What a finished probe reports; the rest of its meta (totals, stack count, skipped lines) is computed here. */
export type ProbeOutput = Pick<ProbeMeta, 'id' | 'kind' | 'unit' | 'frequencyHz' | 'pids' | 'sampleCount' | 'truncated' | 'warnings' | 'extra'> & {
  report: ParseReport;
};

/** Who a sampling probe is and what its weights mean: samples, taken `spec.frequency` times a second. */
export function sampledProbe(spec: CpuProbeSpec): Pick<ProbeOutput, 'id' | 'kind' | 'unit' | 'frequencyHz'> {
  return { id: spec.id, kind: spec.kind, unit: 'samples', frequencyHz: spec.frequency };
}

/** Who an off-CPU probe is and what its weights mean: microseconds off CPU, summed per stack (no sampling rate). */
export function offCpuTimeProbe(spec: Pick<ProbeSpec, 'id' | 'kind'>): Pick<ProbeOutput, 'id' | 'kind' | 'unit' | 'frequencyHz'> {
  return { id: spec.id, kind: spec.kind, unit: 'microseconds', frequencyHz: null };
}

/** Writes stacks/<id>.folded and stacks/<id>.meta.json — the only files a probe leaves for later stages. */
export async function writeProbeOutput(paths: RunPaths, stacks: Folded, o: ProbeOutput): Promise<ProbeResult> {
  const warnings = [...o.warnings];
  if (o.report.skipped > 0) {
    warnings.push(`${o.report.skipped} line(s) of raw output were not understood and skipped (${o.report.examples.slice(0, 2).join(' | ')})`);
  }
  if (stacks.size === 0) warnings.push('no stacks were recorded');
  const meta: ProbeMeta = {
    schemaVersion: 1,
    id: o.id,
    kind: o.kind,
    unit: o.unit,
    frequencyHz: o.frequencyHz,
    pids: o.pids,
    sampleCount: o.sampleCount,
    totalWeight: totalWeight(stacks),
    stacks: stacks.size,
    skippedLines: o.report.skipped,
    truncated: o.truncated,
    warnings,
    extra: o.extra,
  };
  await writeFileAtomic(paths.folded(o.id), formatFolded(stacks));
  await writeJsonAtomic(paths.probeMeta(o.id), meta);
  return { meta };
}

/** ProbeStatus for run.json from a finished probe's meta (paths relative to the run directory). */
export function statusFromMeta(meta: ProbeMeta): ProbeStatus {
  return {
    id: meta.id,
    kind: meta.kind,
    status: 'ok',
    // Relative to the run directory, as runs/paths.ts names them.
    ...probeFilesRelative(meta.id),
    unit: meta.unit,
    samples: meta.sampleCount,
    totalWeight: meta.totalWeight,
    warnings: meta.warnings,
  };
}
