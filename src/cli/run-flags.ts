/**
 * `run` flags a CI job passes that the scenario file does not own: --probes, --threshold and
 * --label. (Load flags — --duration, --warmup, --connections, --repeat — are in overrides.ts.)
 */
import { invalidInput } from '../errors.js';
import { parseThresholdRule } from '../compare/index.js';
import { normalizeProbes } from '../scenario/probe-specs.js';
import type { RawProblem } from '../scenario/problems.js';
import type { RawProbe } from '../scenario/raw.js';
import type { ProbeSpec, Scenario, ThresholdSpec } from '../scenario/types.js';

const PROBE_KINDS = ['cpu', 'offcpu', 'lua', 'lua-offcpu', 'systemtap'] as const;

/**
 * `--probes cpu,lua`: the probes to run instead of the scenario's. A name that is a probe id of
 * the scenario keeps that probe's options; otherwise it is a kind with its defaults. `none` (or
 * an empty list) runs no probe — a load-only run.
 */
export function overrideProbes(s: Scenario, list: string | undefined): Scenario {
  if (list === undefined) return s;
  const names = list.split(',').map((x) => x.trim()).filter((x) => x !== '' && x !== 'none');
  const probes: ProbeSpec[] = [];
  for (const name of names) {
    const own = s.probes.find((p) => p.id === name);
    if (own) {
      probes.push(own);
      continue;
    }
    if (!(PROBE_KINDS as readonly string[]).includes(name)) {
      const ids = s.probes.map((p) => p.id);
      throw invalidInput(
        'E_BAD_FLAG',
        `--probes: "${name}" is neither a probe kind nor a probe id of ${s.name}`,
        `Kinds: ${PROBE_KINDS.join(', ')}${ids.length ? `; this scenario's ids: ${ids.join(', ')}` : ''}; "none" for no probe.`,
      );
    }
    const problems: RawProblem[] = [];
    const [spec] = normalizeProbes([name as RawProbe], problems);
    if (!spec || problems.length > 0) throw invalidInput('E_BAD_FLAG', `--probes: ${name}: ${problems[0]?.message ?? 'not a probe'}`, problems[0]?.hint ?? '');
    probes.push(spec);
  }
  const dup = probes.find((p, i) => probes.findIndex((q) => q.id === p.id) !== i);
  if (dup) throw invalidInput('E_BAD_FLAG', `--probes names ${dup.id} twice`, 'Name each probe once.');
  return { ...s, probes };
}

/** `-t` rules, parsed with the one threshold grammar (src/metrics via compare's parseThresholdRule). */
export function parseThresholdFlags(rules: readonly string[]): ThresholdSpec[] {
  return rules.map(parseThresholdRule);
}

/** `--label`: free text, one line, short enough for a chart axis and a JSON key. */
export function checkLabel(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const t = label.trim();
  if (t === '' || t.length > 100 || /[\u0000-\u001f\u007f]/u.test(t)) {
    throw invalidInput('E_BAD_FLAG', `--label must be 1 to 100 printable characters, got ${JSON.stringify(label)}`, 'e.g. --label v1.2.0 or --label "$GITHUB_SHA"');
  }
  return t;
}
