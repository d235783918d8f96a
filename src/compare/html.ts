import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { renderDiffGraphs, type DiffGraphs } from './diff-graphs.js';
import { assessmentMark, checkMark, formatChange, ruleNote } from './format.js';
import { formatP, formatValue } from '../util/format.js';
import { stripPlotSvg } from './strip-plot.js';
import type { Comparison, SideInfo } from './types.js';

let compiled: Handlebars.TemplateDelegate | null = null;

function template(): Handlebars.TemplateDelegate {
  // A private Handlebars environment: escaping on by default ({{x}}), only our own SVG goes through {{{x}}}.
  compiled ??= Handlebars.create().compile(readFileSync(new URL('./templates/compare.hbs', import.meta.url), 'utf8'), { strict: false });
  return compiled;
}

const checkClass = (s: string) => (s === 'pass' || s === 'improvement' ? 'pass' : s === 'fail' ? 'fail' : 'na');
const verdictClass = (s: string) => (s === 'pass' || s === 'improvement' ? 'pass' : s === 'regression' ? 'fail' : 'inconclusive');

function side(s: SideInfo) {
  return { name: `${s.scenario}${s.variant ? `/${s.variant}` : ''}`, scenario: s.scenario, variant: s.variant ?? '—', count: s.runs.length, label: s.label };
}

/** The view model: every string that came from a run (frames, names, paths) is passed as data and escaped by the template. */
export function compareViewModel(c: Comparison, graphs: readonly DiffGraphs[]) {
  const checks = c.thresholds.map((t) => ({ ...t, cls: checkClass(t.status), mark: checkMark(t), isDefault: t.source === 'default' }));
  return {
    verdictText: c.verdict.status.toUpperCase(),
    verdictHeadline: c.verdict.headline,
    verdictClass: verdictClass(c.verdict.status),
    ruleNote: ruleNote(c),
    verdictReasons: c.verdict.reasons,
    baseline: side(c.baseline),
    candidate: side(c.candidate),
    alpha: c.alpha,
    confidence: Math.round((1 - c.alpha) * 100),
    metrics: c.metrics.map((m) => ({
      label: m.label,
      note: m.note,
      baseline: formatValue(m.baseline.median, m.unit),
      candidate: formatValue(m.candidate.median, m.unit),
      change: formatChange(m),
      spreadA: `${formatValue(m.baseline.min, m.unit)} – ${formatValue(m.baseline.max, m.unit)}`,
      spreadB: `${formatValue(m.candidate.min, m.unit)} – ${formatValue(m.candidate.max, m.unit)}`,
      strip: stripPlotSvg(m),
      checks: checks.filter((t) => t.metric === m.metric),
      assessment: assessmentMark(m.assessment),
      assessmentClass: m.assessment === 'n/a' ? 'na' : m.assessment,
    })),
    checks,
    probes: c.probes.map((p) => {
      const g = graphs.find((x) => x.probe === p.id);
      return {
        id: p.id,
        kind: p.kind,
        unit: p.unit,
        baselineRuns: p.baseline.runs,
        candidateRuns: p.candidate.runs,
        baselineWeight: formatValue(p.baseline.totalWeight, ''),
        candidateWeight: formatValue(p.candidate.totalWeight, ''),
        frames: p.frames.map((f) => ({
          frame: f.frame,
          a: `${f.baselineSelfPct.toFixed(2)}%`,
          b: `${f.candidateSelfPct.toFixed(2)}%`,
          delta: `${f.deltaPp > 0 ? '+' : ''}${f.deltaPp.toFixed(2)}`,
          direction: f.direction === 'up' ? 'more in candidate' : 'less in candidate',
          dirClass: f.direction === 'up' ? 'worse' : 'better',
          significance: f.p === null ? 'n/a' : `${f.significance} (p=${formatP(f.p)})`,
        })),
        forward: g?.forward ?? null,
        backward: g?.backward ?? null,
        notice: g?.notice ?? null,
      };
    }),
    warnings: c.warnings,
    runs: [
      ...c.baseline.runs.map((r) => ({ side: 'baseline', ...r })),
      ...c.candidate.runs.map((r) => ({ side: 'candidate', ...r })),
    ],
    version: c.flamebench,
    schemaVersion: c.schemaVersion,
  };
}

/** Self-contained compare.html: no network, no external files (the CSP forbids them too). */
export async function renderCompareHtml(c: Comparison): Promise<string> {
  const graphs = await renderDiffGraphs(c);
  return template()(compareViewModel(c, graphs));
}
