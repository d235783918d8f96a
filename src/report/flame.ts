import { renderSvg } from '../flamegraph/index.js';
import type { FlameRenderer } from './model/probes.js';

/** The report's flame graphs: src/flamegraph at the report's size (a static import: no "missing from the build" path). */
export async function loadFlameRenderer(): Promise<{ render: FlameRenderer | null; problem: string | null }> {
  return {
    render: (req) =>
      renderSvg(req.folded, {
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
