import type { Folded } from '../stacks/folded.js';
import type { FlameRenderer } from './model/probes.js';

/** The part of src/flamegraph's API the report uses. */
interface FlamegraphModule {
  renderSvg(folded: Folded, opts: Record<string, unknown>): string;
}

function isFlamegraphModule(m: unknown): m is FlamegraphModule {
  return typeof m === 'object' && m !== null && typeof (m as { renderSvg?: unknown }).renderSvg === 'function';
}

/**
 * Loads src/flamegraph lazily: the report must still render (with a notice in place of each graph)
 * in a build where the renderer is missing or broken.
 */
export async function loadFlameRenderer(): Promise<{ render: FlameRenderer | null; problem: string | null }> {
  const specifier = '../flamegraph/index.js';
  let mod: unknown;
  try {
    mod = await import(specifier);
  } catch (e) {
    return { render: null, problem: `Flame graph renderer not available (src/flamegraph could not be loaded: ${(e as Error).message}).` };
  }
  if (!isFlamegraphModule(mod)) return { render: null, problem: 'Flame graph renderer not available (src/flamegraph has no renderSvg).' };
  const fg = mod;
  return {
    render: (req) =>
      fg.renderSvg(req.folded, {
        title: req.title,
        subtitle: req.subtitle,
        countName: req.countName,
        idPrefix: req.idPrefix,
        width: 1180,
      }),
    problem: null,
  };
}
