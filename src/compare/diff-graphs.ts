import { diffFolded } from '../stacks/diff.js';
import type { Folded } from '../stacks/folded.js';
import type { DiffSvgOptions } from '../flamegraph/types.js';
import { mergeFolded } from './frames.js';
import { readFoldedOf, readRunForCompare, type RunForCompare } from './read.js';
import { renderDiffSvg } from '../flamegraph/index.js';
import type { Comparison, ProbeComparison } from './types.js';

export interface DiffGraphs {
  probe: string;
  /** Shape from the candidate: red = more in the candidate. */
  forward: string | null;
  /** Shape from the baseline (negated view): shows what shrank or vanished. */
  backward: string | null;
  notice: string | null;
}

/** Each side's runs, read once (not again per probe). */
async function sideFolded(runs: readonly RunForCompare[], probeId: string): Promise<Folded> {
  const folded: Folded[] = [];
  for (const run of runs) {
    if (!run.probes.has(probeId)) continue;
    const f = await readFoldedOf(run, probeId);
    if (f) folded.push(f);
  }
  return mergeFolded(folded);
}

/** Differential flame graphs in both directions for each probe present on both sides; repeats merged by summing. */
export async function renderDiffGraphs(c: Comparison): Promise<DiffGraphs[]> {
  if (c.probes.length === 0) return [];
  const render = renderDiffSvg;
  const baseline = await Promise.all(c.baseline.runs.map((r) => readRunForCompare(r.dir)));
  const candidate = await Promise.all(c.candidate.runs.map((r) => readRunForCompare(r.dir)));
  const out: DiffGraphs[] = [];
  for (const p of c.probes) {
    const before = await sideFolded(baseline, p.id);
    const after = await sideFolded(candidate, p.id);
    // Shares, not raw counts, are compared (basis 'share'), so difffolded's -n is not needed.
    const diff = diffFolded(before, after, { normalize: false, stripHex: true });
    const base = graphOptions(p);
    try {
      out.push({
        probe: p.id,
        forward: render(diff, { ...base, title: `${p.id}: candidate vs baseline`, subtitle: 'shape = candidate; red = larger share in the candidate, blue = smaller', idPrefix: `fwd-${p.id}-` }),
        backward: render(diff, {
          ...base,
          negate: true,
          title: `${p.id}: baseline shape (negated view)`,
          subtitle: 'shape = baseline, so code that shrank or vanished is visible; colours keep their meaning',
          idPrefix: `bwd-${p.id}-`,
        }),
        notice: null,
      });
    } catch (e) {
      out.push({ probe: p.id, forward: null, backward: null, notice: `Rendering the differential flame graph failed: ${(e as Error).message}` });
    }
  }
  return out;
}

function graphOptions(p: ProbeComparison): DiffSvgOptions {
  return { countName: p.unit === 'microseconds' ? 'µs' : 'samples', basis: 'share', width: 1200, minWidth: 0.1 };
}
