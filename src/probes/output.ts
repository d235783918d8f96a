import type { RunPaths } from '../runs/paths.js';
import { writeFileAtomic, writeJsonAtomic } from '../runs/atomic.js';
import type { ProbeMeta, ProbeStatus, StackUnit } from '../runs/types.js';
import { formatFolded, totalWeight, type Folded, type ParseReport } from '../stacks/folded.js';
import type { ProbeResult } from './types.js';

export interface ProbeOutput {
  id: string;
  kind: string;
  unit: StackUnit;
  frequencyHz: number | null;
  pids: number[];
  sampleCount: number;
  report: ParseReport;
  truncated: boolean;
  warnings: string[];
  extra: Record<string, unknown>;
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
    folded: `stacks/${meta.id}.folded`,
    meta: `stacks/${meta.id}.meta.json`,
    unit: meta.unit,
    samples: meta.sampleCount,
    totalWeight: meta.totalWeight,
    warnings: meta.warnings,
  };
}
