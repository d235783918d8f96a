import { escapeXml } from '../util/escape.js';
import { formatChange } from './format.js';
import { formatValue } from '../util/format.js';
import type { Comparison } from './types.js';


/** One testcase per threshold check; a failed check is a <failure>, an uncheckable one is <skipped>. */
export function renderJunit(c: Comparison): string {
  const name = `flamebench compare ${c.baseline.scenario}${c.baseline.variant ? `/${c.baseline.variant}` : ''} vs ${c.candidate.scenario}${c.candidate.variant ? `/${c.candidate.variant}` : ''}`;
  // An inconclusive check fails the suite unless --on-inconclusive pass made the verdict exit 0: a CI
  // job that reads only JUnit must not see a silent pass where the exit code says otherwise.
  const inconclusiveFails = c.verdict.exitCode !== 0;
  const isFailure = (t: (typeof c.thresholds)[number]) => t.status === 'fail' || (t.status === 'inconclusive' && inconclusiveFails);
  const failures = c.thresholds.filter(isFailure).length;
  const skipped = c.thresholds.filter((t) => t.status === 'inconclusive' && !inconclusiveFails).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<!-- ${escapeXml(c.verdict.headline).replace(/--/g, '- -')} -->`);
  out.push(`<testsuites name="flamebench" tests="${c.thresholds.length}" failures="${failures}" skipped="${skipped}">`);
  out.push(`  <testsuite name="${escapeXml(name)}" tests="${c.thresholds.length}" failures="${failures}" skipped="${skipped}" errors="0">`);
  for (const t of c.thresholds) {
    const m = c.metrics.find((x) => x.metric === t.metric);
    const detail = m
      ? `baseline ${formatValue(m.baseline.median, m.unit)} (n=${m.baseline.n}), candidate ${formatValue(m.candidate.median, m.unit)} (n=${m.candidate.n}), change ${formatChange(m)}`
      : 'metric not measured';
    const caseName = `${t.metric} ${t.rule}`;
    out.push(`    <testcase classname="flamebench.thresholds" name="${escapeXml(caseName)}">`);
    if (isFailure(t)) out.push(`      <failure message="${escapeXml(`${t.status === 'fail' ? 'regression' : 'inconclusive'}: ${t.reason}`)}" type="${t.status === 'fail' ? 'regression' : 'inconclusive'}">${escapeXml(detail)}</failure>`);
    else if (t.status === 'inconclusive') out.push(`      <skipped message="${escapeXml(`inconclusive: ${t.reason}`)}"/>`);
    out.push(`      <system-out>${escapeXml(`${t.reason}; ${detail}`)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
