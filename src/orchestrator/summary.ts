import type { RunManifest } from '../runs/types.js';
import { formatPct as pct, formatUs } from '../util/format.js';

/** The lines printed under the load table: where the CPU went and what each probe recorded. */
export function formatRunSummary(m: RunManifest): string {
  const lines: string[] = [];
  const c = m.cpu.summary;
  if (c) {
    const perReq = formatUs(c.workerCpuUsPerRequest);
    lines.push(
      `  cpu: nginx workers ${pct(c.workerPctMean)} (of one core each)  ${perReq} per request  loader ${pct(c.loaderPctMean)}  probes ${pct(c.probesPctMean)}`,
    );
  }
  for (const p of m.probes) {
    const what =
      p.status === 'ok'
        ? `${p.samples ?? 0} ${p.unit === 'microseconds' ? 'waits/switches' : 'samples'} → ${p.folded ?? ''}`
        : `${p.status}: ${p.error?.message ?? ''}`;
    lines.push(`  probe ${p.id} (${p.kind}): ${what}`);
    for (const w of p.warnings) lines.push(`    warning: ${w}`);
  }
  for (const w of m.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
