import type { FlameRenderer } from './model/probes.js';

/**
 * Loads src/flamegraph lazily: the report must still render (with a notice in place of each graph)
 * in a build where the renderer is missing or broken.
 */
export async function loadFlameRenderer(): Promise<{ render: FlameRenderer | null; problem: string | null }> {
  let fg: typeof import('../flamegraph/index.js');
  try {
    fg = await import('../flamegraph/index.js');
  } catch (e) {
    return { render: null, problem: `Flame graph renderer not available (src/flamegraph could not be loaded: ${(e as Error).message}).` };
  }
  if (typeof fg.renderSvg !== 'function') return { render: null, problem: 'Flame graph renderer not available (src/flamegraph has no renderSvg).' };
  return {
    render: (req) =>
      fg.renderSvg(req.folded, {
        title: req.title,
        subtitle: req.subtitle,
        countName: req.countName,
        idPrefix: req.idPrefix,
        // Drawn at this size, scaled to the page width by CSS (the SVG has a viewBox).
        width: 1200,
      }),
    problem: null,
  };
}
