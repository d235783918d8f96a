/**
 * Checks on a resolved scenario that the schema cannot express: the template compiles and names
 * only defined variables, the load stays on loopback, rate and mode agree. They run on the
 * scenario itself and on each variant after merging, so an override cannot slip past them.
 */
import net from 'node:net';
import type { RawProblem } from './problems.js';
import type { Scenario } from './types.js';
import { checkTemplate } from './template.js';

/** Maps a field of the resolved scenario (e.g. ['load', 'host']) to where it was written in the document. */
export type Where = (field: string[]) => { path: string[] };

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (/^(0{0,4}:){1,7}:?0{0,3}1$/.test(h) || h === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped ? mapped[1]!.startsWith('127.') : false;
  }
  return false;
}

export function checkResolved(s: Scenario, where: Where): RawProblem[] {
  const problems: RawProblem[] = [];
  const { openresty: o, load } = s;
  if (o.config !== '') {
    const configField = o.configSource === s.source ? 'config' : 'configFile';
    const loc = where(['openresty', configField]);
    for (const issue of checkTemplate(o.config, Object.keys(o.variables))) {
      let message = issue.message;
      // A template from its own file: name the line in that file; an inline one: the caller maps it.
      if (issue.templateLine !== undefined && configField === 'configFile') message += ` (${o.configSource}:${issue.templateLine})`;
      problems.push({
        path: loc.path,
        at: 'value',
        message,
        hint: issue.hint,
        ...(issue.templateLine !== undefined && configField === 'config' ? { templateLine: issue.templateLine } : {}),
      });
    }
  }
  if (!load.allowNonLoopback && !isLoopback(load.host)) {
    problems.push({
      path: where(['load', 'host']).path,
      at: 'value',
      message: `host "${load.host}" is not loopback`,
      hint: 'load tests target 127.0.0.1 or ::1; set allowNonLoopback: true if you really mean another machine',
    });
  }
  if (load.mode === 'rate' && load.rate === undefined) {
    problems.push({ path: where(['load', 'mode']).path, at: 'value', message: 'mode "rate" needs load.rate', hint: 'e.g. rate: 2000, in requests per second in total' });
  }
  if (load.mode !== 'rate' && load.rate !== undefined) {
    problems.push({ path: where(['load', 'rate']).path, at: 'key', message: `rate is only used with mode "rate" (mode is "${load.mode}")`, hint: 'add mode: rate, or remove rate' });
  }
  return problems;
}
