import { invalidInput } from '../errors.js';
import { applyVariant, CONNECTIONS_LIMITS, DURATION_LIMITS, nodeIo, parseDuration, withVariantRoot, type DurationKey } from '../scenario/index.js';
import type { LoaderHost, Scenario } from '../scenario/types.js';

export interface RunOverrideFlags {
  duration?: string;
  warmup?: string;
  connections?: string;
  variant?: string;
  /** A/B series: a number of rounds, or "auto" (sequential). */
  repeat?: string;
  /** --variant-root NAME=DIR, repeatable. */
  variantRoot?: string[];
  /** --loader-host, repeatable: replaces load.hosts. */
  loaderHost?: string[];
}

/** Collects a repeatable option's values (commander). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Command-line overrides win over the scenario (handy for short CI smoke runs). They pass the
 * same bounds as the YAML keys they replace (DURATION_LIMITS, CONNECTIONS_LIMITS): a flag must
 * not be a way around the schema.
 */
export function applyRunOverrides(s: Scenario, flags: RunOverrideFlags): Scenario {
  const duration = seconds('duration', flags.duration);
  const warmup = seconds('warmup', flags.warmup);
  const connections = count('connections', flags.connections, CONNECTIONS_LIMITS);
  let out: Scenario = {
    ...s,
    load: {
      ...s.load,
      ...(duration !== undefined ? { duration } : {}),
      ...(warmup !== undefined ? { warmup } : {}),
      ...(connections !== undefined ? { connections } : {}),
      ...(flags.loaderHost && flags.loaderHost.length > 0 ? { hosts: flags.loaderHost.map(parseLoaderHost) } : {}),
    },
  };
  if (flags.repeat !== undefined) {
    const r = flags.repeat.trim();
    const n = Number(r);
    if (r === 'auto') out = { ...out, repeat: 'auto' };
    else if (Number.isInteger(n) && n >= 1) out = { ...out, repeat: n };
    else throw invalidInput('E_BAD_FLAG', `--repeat must be "auto" or a whole number ≥ 1, got "${r}"`, 'e.g. --repeat auto (pairs until the verdict is decided) or --repeat 8');
  }
  for (const spec of flags.variantRoot ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) {
      throw invalidInput('E_BAD_FLAG', `--variant-root takes NAME=DIR, got "${spec}"`, 'e.g. --variant-root main=../main/scenarios');
    }
    out = withVariantRoot(out, spec.slice(0, eq), spec.slice(eq + 1), nodeIo);
  }
  // A single variant runs as a plain scenario (no comparison).
  if (flags.variant) out = { ...applyVariant(out, flags.variant), variants: [] };
  return out;
}

/** A duration flag: seconds, or a value with a unit ("500ms"), within its YAML key's bounds. */
function seconds(key: DurationKey, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = parseDuration(v);
  const { min, max, range } = DURATION_LIMITS[key];
  if (s === undefined || !(s >= min && s <= max)) {
    throw invalidInput('E_BAD_FLAG', `--${key} must be a duration from ${range}, got "${v}"`, `e.g. --${key} 5 (seconds) or --${key} 500ms`);
  }
  return s;
}

/** A whole-number flag within its YAML key's bounds: 2.5 connections is a typo, not 3. */
function count(name: string, v: string | undefined, limits: { min: number; max: number }): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < limits.min || n > limits.max) {
    throw invalidInput('E_BAD_FLAG', `--${name} must be a whole number from ${limits.min} to ${limits.max}, got "${v}"`, `e.g. --${name} 64`);
  }
  return n;
}

/** --loader-host: "local", a JSON array (["ssh","-T","u@h"]) or words split on spaces ("ip netns exec l1"). */
export function parseLoaderHost(v: string): LoaderHost {
  const t = v.trim();
  if (t === 'local') return 'local';
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      parsed = null;
    }
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => typeof x === 'string' && x.length > 0)) return parsed as string[];
    throw invalidInput('E_BAD_FLAG', `--loader-host: not a JSON array of strings: ${t}`, 'e.g. --loader-host \'["ssh","-T","loader@10.0.0.2"]\' or --loader-host "ssh -T loader@10.0.0.2"');
  }
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw invalidInput('E_BAD_FLAG', '--loader-host is empty', 'e.g. --loader-host local or --loader-host "ssh -T loader@10.0.0.2"');
  return words;
}
