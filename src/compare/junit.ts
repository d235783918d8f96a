import { formatChange, formatValue } from './format.js';
import type { Comparison } from './types.js';

export function xmlEscape(s: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0 at all.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}

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
  out.push(`<!-- ${xmlEscape(c.verdict.headline).replace(/--/g, '- -')} -->`);
  out.push(`<testsuites name="flamebench" tests="${c.thresholds.length}" failures="${failures}" skipped="${skipped}">`);
  out.push(`  <testsuite name="${xmlEscape(name)}" tests="${c.thresholds.length}" failures="${failures}" skipped="${skipped}" errors="0">`);
  for (const t of c.thresholds) {
    const m = c.metrics.find((x) => x.metric === t.metric);
    const detail = m
      ? `baseline ${formatValue(m.baseline.median, m.unit)} (n=${m.baseline.n}), candidate ${formatValue(m.candidate.median, m.unit)} (n=${m.candidate.n}), change ${formatChange(m)}`
      : 'metric not measured';
    const caseName = `${t.metric} ${t.rule}`;
    out.push(`    <testcase classname="flamebench.thresholds" name="${xmlEscape(caseName)}">`);
    if (isFailure(t)) out.push(`      <failure message="${xmlEscape(`${t.status === 'fail' ? 'regression' : 'inconclusive'}: ${t.reason}`)}" type="${t.status === 'fail' ? 'regression' : 'inconclusive'}">${xmlEscape(detail)}</failure>`);
    else if (t.status === 'inconclusive') out.push(`      <skipped message="${xmlEscape(`inconclusive: ${t.reason}`)}"/>`);
    out.push(`      <system-out>${xmlEscape(`${t.reason}; ${detail}`)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
