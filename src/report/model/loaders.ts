import { LOADER_BUSY_FRACTION } from '../../load/loader-bound.js';
import type { RunManifest } from '../../runs/types.js';
import { formatCount, formatPct, formatRps, formatShare } from '../../util/format.js';
import type { LoadersView } from './types.js';

/**
 * Several loaders (load.hosts): what each one did, so that an uneven split or a loader at its CPU
 * limit shows up next to the totals it was merged into. Null for the local loader.
 */
export function loadersView(m: RunManifest): LoadersView | null {
  const d = m.loaders;
  if (!d || d.loaders.length === 0) return null;
  const totalRequests = d.loaders.reduce((a, l) => a + l.requests, 0);
  // each loader runs the scenario's threads (0 = its main thread only): that much CPU it can use
  const limitPct = 100 * Math.max(1, m.scenario.load.threads);
  const rows = d.loaders.map((l) => ({
    host: l.host,
    hostname: l.hostname,
    connections: formatCount(l.connections),
    requests: formatCount(l.requests),
    share: formatShare(l.requests, totalRequests, 1),
    rps: formatRps(l.rps),
    cpu: formatPct(l.cpuPct),
    busy: l.cpuPct >= LOADER_BUSY_FRACTION * limitPct,
  }));
  const busy = rows.filter((r) => r.busy).length;
  return {
    skew: `The loaders started their warm-up within ${formatCount(d.startSkewMs.warmup)} ms of each other and their measured window within ${formatCount(d.startSkewMs.measure)} ms.`,
    note: busy > 0 ? `${busy} loader(s) used ≥ ${formatPct(LOADER_BUSY_FRACTION * limitPct, 0)} CPU of the ${formatPct(limitPct, 0)} their threads can use: they may have limited the load.` : '',
    rows,
  };
}
