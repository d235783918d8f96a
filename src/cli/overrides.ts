import { invalidInput } from '../errors.js';
import { applyVariant, nodeIo, withVariantRoot } from '../scenario/index.js';
import type { Scenario } from '../scenario/types.js';

export interface RunOverrideFlags {
  duration?: string;
  warmup?: string;
  connections?: string;
  variant?: string;
  /** A/B series: a number of rounds, or "auto" (sequential). */
  repeat?: string;
  /** --variant-root NAME=DIR, repeatable. */
  variantRoot?: string[];
}

/** Collects a repeatable option's values (commander). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Command-line overrides win over the scenario (handy for short CI smoke runs). */
export function applyRunOverrides(s: Scenario, flags: RunOverrideFlags): Scenario {
  const num = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) {
      throw invalidInput('E_BAD_FLAG', `--${name} must be a number ≥ ${min}, got "${v}"`, `e.g. --${name} 5`);
    }
    return n;
  };
  const duration = num('duration', flags.duration, 0.5);
  const warmup = num('warmup', flags.warmup, 0);
  const connections = num('connections', flags.connections, 1);
  let out: Scenario = {
    ...s,
    load: {
      ...s.load,
      ...(duration !== undefined ? { duration } : {}),
      ...(warmup !== undefined ? { warmup } : {}),
      ...(connections !== undefined ? { connections: Math.round(connections) } : {}),
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
