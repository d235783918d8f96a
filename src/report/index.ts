import { writeFileAtomic } from '../runs/atomic.js';
import { loadFlameRenderer } from './flame.js';
import { buildReportModel } from './model/index.js';
import { loadRun } from '../runs/load.js';
import { renderReportHtml } from './render.js';

export type { ReportModel } from './model/types.js';
export { buildReportModel } from './model/index.js';
/** Kept under its old name for API users: the run as the report reads it. */
export { loadRun as readRun } from '../runs/load.js';

/**
 * Renders <runDir>/report.html from the run directory alone and returns its path.
 * Throws invalidInput (exit 2) when runDir is not a run directory (no run.json).
 */
export async function renderRunReport(runDir: string): Promise<string> {
  const run = await loadRun(runDir);
  const flame = await loadFlameRenderer();
  const model = buildReportModel(run, { flame: flame.render, ...(flame.problem ? { flameMissingNotice: flame.problem } : {}) });
  const html = await renderReportHtml(model);
  await writeFileAtomic(run.paths.report, html);
  return run.paths.report;
}
