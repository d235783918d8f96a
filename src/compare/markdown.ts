import { assessmentMark, checkMark, formatChange, ruleNote } from './format.js';
import { formatP, formatValue } from '../util/format.js';
import type { Comparison } from './types.js';

/** Markdown table cells: pipes and newlines would break the row; backticks and brackets are kept literal. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([`*_<>])/g, '\\$1').replace(/\]\(/g, '\\](');
}

function sideName(c: Comparison, side: 'baseline' | 'candidate'): string {
  const s = c[side];
  return `${s.scenario}${s.variant ? ` / ${s.variant}` : ''} (${s.runs.length} run${s.runs.length === 1 ? '' : 's'})`;
}

/** A summary fit for a PR comment or $GITHUB_STEP_SUMMARY: verdict first, then the table, then why. */
export function renderMarkdown(c: Comparison, opts: { frames?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`## flamebench compare: ${cell(c.verdict.headline)}`);
  lines.push('');
  lines.push(`Baseline: ${cell(sideName(c, 'baseline'))}  `);
  lines.push(`Candidate: ${cell(sideName(c, 'candidate'))}  `);
  lines.push(ruleNote(c));
  lines.push('');
  for (const r of c.verdict.reasons) lines.push(`- ${cell(r)}`);
  lines.push('');
  lines.push('| Metric | Baseline | Candidate | Change [CI] | Threshold | Status |');
  lines.push('|---|---:|---:|---:|---|---|');
  for (const m of c.metrics) {
    const checks = c.thresholds.filter((t) => t.metric === m.metric);
    const threshold = checks.length ? checks.map((t) => `${t.rule}${t.source === 'default' ? ' (default)' : ''}`).join('; ') : '';
    const status = checks.length ? checks.map((t) => checkMark(t)).join(' ') : assessmentMark(m.assessment);
    lines.push(
      `| ${cell(m.label)} | ${cell(formatValue(m.baseline.median, m.unit))} | ${cell(formatValue(m.candidate.median, m.unit))} | ${cell(formatChange(m))} | ${cell(threshold)} | ${cell(status)} |`,
    );
  }
  const notes = [...new Set(c.metrics.map((m) => m.note).filter((n): n is string => n !== null && n !== 'no value on one side'))];
  if (notes.length) {
    lines.push('');
    for (const n of notes) lines.push(`> Note: ${cell(n)}`);
  }
  const limit = opts.frames ?? 5;
  for (const p of c.probes) {
    if (p.frames.length === 0) continue;
    lines.push('');
    lines.push(`### ${cell(p.id)}: frames whose self share changed most`);
    lines.push('');
    lines.push('| Frame | Baseline | Candidate | Δ pp | Significance |');
    lines.push('|---|---:|---:|---:|---|');
    for (const f of p.frames.slice(0, limit)) {
      const sig = f.p === null ? 'n/a' : `${f.significance} (p=${formatP(f.p)})`;
      lines.push(`| ${cell(f.frame)} | ${f.baselineSelfPct.toFixed(2)}% | ${f.candidateSelfPct.toFixed(2)}% | ${f.deltaPp > 0 ? '+' : ''}${f.deltaPp.toFixed(2)} | ${sig} |`);
    }
  }
  if (c.warnings.length) {
    lines.push('');
    lines.push('<details><summary>Warnings</summary>');
    lines.push('');
    for (const w of c.warnings) lines.push(`- ${cell(w)}`);
    lines.push('');
    lines.push('</details>');
  }
  lines.push('');
  return lines.join('\n');
}
