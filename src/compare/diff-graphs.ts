import { diffFolded, type DiffFolded } from '../stacks/diff.js';
import type { Folded } from '../stacks/folded.js';
import type { DiffSvgOptions } from '../flamegraph/types.js';
import { mergeFolded } from './frames.js';
import { readFoldedOf, readRunForCompare } from './read.js';
import type { Comparison, ProbeComparison } from './types.js';

type RenderDiffSvg = (diff: DiffFolded, opts: DiffSvgOptions) => string;

export interface DiffGraphs {
  probe: string;
  /** Shape from the candidate: red = more in the candidate. */
  forward: string | null;
  /** Shape from the baseline (negated view): shows what shrank or vanished. */
  backward: string | null;
  notice: string | null;
}

/**
 * The renderer is another stage's module; it is loaded lazily so that compare still writes its
 * JSON, markdown and tables (with a notice in place of the graphs) when it is unavailable.
 */
async function loadRenderer(): Promise<RenderDiffSvg | string> {
  const spec = '../flamegraph/index.js';
  try {
    const mod = (await import(spec)) as { renderDiffSvg?: RenderDiffSvg };
    return typeof mod.renderDiffSvg === 'function' ? mod.renderDiffSvg : 'src/flamegraph/index.ts does not export renderDiffSvg';
  } catch (e) {
    return `the flame-graph renderer could not be loaded (${(e as Error).message})`;
  }
}

async function sideFolded(dirs: readonly string[], probeId: string): Promise<Folded> {
  const folded: Folded[] = [];
  for (const dir of dirs) {
    const run = await readRunForCompare(dir);
    if (!run.probes.has(probeId)) continue;
    const f = await readFoldedOf(run, probeId);
    if (f) folded.push(f);
  }
  return mergeFolded(folded);
}

/** Differential flame graphs in both directions for each probe present on both sides; repeats merged by summing. */
export async function renderDiffGraphs(c: Comparison): Promise<DiffGraphs[]> {
  if (c.probes.length === 0) return [];
  const render = await loadRenderer();
  const out: DiffGraphs[] = [];
  for (const p of c.probes) {
    if (typeof render === 'string') {
      out.push({ probe: p.id, forward: null, backward: null, notice: `Differential flame graphs are not available: ${render}.` });
      continue;
    }
    const before = await sideFolded(c.baseline.runs.map((r) => r.dir), p.id);
    const after = await sideFolded(c.candidate.runs.map((r) => r.dir), p.id);
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
