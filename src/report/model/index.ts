import type { ProbeOnDisk, RunOnDisk } from '../../runs/load.js';
import { cpuChart, latencyOverTimeChart, spectrumChart, throughputChart } from '../plots/run-plots.js';
import { environmentFacts, scenarioText } from './environment.js';
import { probeOrder, whereTimeGoes } from './lead.js';
import { probeAnchor, probeView, type FlameRenderer } from './probes.js';
import { loadersView } from './loaders.js';
import { thresholdsView } from './thresholds.js';
import { alerts, cpuFacts, errorFacts, headlineFacts, latencyFacts, saturationView, statusCodeRows, statusView, summaryFacts, type LoadSummary } from './summary.js';
import type { PlotView, ReportModel } from './types.js';

export interface BuildOptions {
  /** null when src/flamegraph is not available: probe sections then say so instead of a graph. */
  flame: FlameRenderer | null;
  flameMissingNotice?: string;
}

function plots(run: RunOnDisk): { plots: PlotView[]; notices: string[] } {
  const out: PlotView[] = [];
  const notices: string[] = [];
  const load = run.load;
  if (load?.spectrum?.length && load.requests > 0) out.push({ id: 'plot-spectrum', title: 'Latency by percentile', svg: spectrumChart(load) });
  else notices.push(load && load.requests === 0 ? 'No latency spectrum: no request completed in the measured window.' : 'No latency spectrum: load.json is missing or has no spectrum.');
  if (load?.series?.length && load.requests > 0) {
    out.push({ id: 'plot-throughput', title: 'Throughput over time', svg: throughputChart(load.series) });
    out.push({ id: 'plot-latency', title: 'Latency over time', svg: latencyOverTimeChart(load.series) });
  } else notices.push(load && load.requests === 0 ? 'No per-second series: no request completed in the measured window.' : 'No per-second series: load.json is missing or has no series.');
  const cpu = run.manifest.cpu;
  if (cpu.samples.length > 0) out.push({ id: 'plot-cpu', title: 'CPU over time', svg: cpuChart(cpu.samples, cpu.intervalMs, run.manifest.target?.workerPids ?? []) });
  else notices.push('No CPU timeline: run.json has no CPU samples.');
  return { plots: out, notices };
}

/** run directory contents → view model. Pure: no I/O, no clock. */
export function buildReportModel(run: RunOnDisk, opts: BuildOptions): ReportModel {
  const m = run.manifest;
  const load: LoadSummary | null = run.load ?? m.load ?? null;
  const { plots: plotViews, notices } = plots(run);
  const missing = opts.flameMissingNotice ?? 'Flame graph renderer not available in this build (src/flamegraph); the top-frames table below is computed from the folded file.';
  const name = m.scenario.name;
  const order = probeOrder(run.probes);
  return {
    title: `${name}${m.variant ? ` [${m.variant}]` : ''} — flamebench report`,
    generator: m.environment?.flamebench ?? '',
    runId: m.id,
    status: statusView(m),
    scenario: {
      name,
      description: m.scenario.description ?? '',
      variant: m.variant ?? null,
      repeat: m.repeat !== null && m.repeat !== undefined ? String(m.repeat) : null,
      source: m.scenario.source ?? '',
    },
    headline: headlineFacts(m, load),
    summary: summaryFacts(m, load),
    latency: latencyFacts(load),
    errors: errorFacts(load),
    statusCodes: statusCodeRows(load),
    cpu: cpuFacts(m),
    alerts: alerts(m, load, run.problems),
    saturation: saturationView(m),
    loaders: loadersView(m),
    thresholds: thresholdsView(m),
    plots: plotViews,
    plotNotices: notices,
    // index i stays the probe's index in run.json (element ids such as fg0-… follow it), whatever the display order
    probes: order.order.map((i) => probeView(run.probes[i] as ProbeOnDisk, i, name, opts.flame, missing)),
    probeOrderNote: order.note,
    whereTime: whereTimeGoes(run.probes, order.order, run.probes.map((p, i) => probeAnchor(i, p.status.id))),
    environment: environmentFacts(m),
    nginxVersion: m.environment?.nginxVersion ?? null,
    nginxConf: run.nginxConf,
    errorLog: run.errorLogTail
      ? {
          text: run.errorLogTail.text,
          note: run.errorLogTail.omittedLines > 0 ? `last lines only; ${run.errorLogTail.omittedLines} earlier lines are in nginx/error.log` : 'nginx/error.log',
        }
      : null,
    scenarioText: scenarioText(m),
  };
}
