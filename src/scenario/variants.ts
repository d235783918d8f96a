/**
 * A/B variants: named overrides deep-merged over the scenario (plain objects merge, lists and
 * scalars replace). The first variant is the baseline of a comparison.
 */
import { invalidInput } from '../errors.js';
import { checkResolved, type Where } from './checks.js';
import { formatProblem, pointer, type RawProblem } from './problems.js';
import type { RawVariant } from './raw.js';
import { loadPartial, openrestyPartial, type SectionCtx } from './sections.js';
import type { Scenario, VariantSpec } from './types.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergeDeep<T>(base: T, over: Partial<T> | undefined): T {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeDeep(out[k], v) : v;
  }
  return out as T;
}

/** The overrides of one YAML variant, converted like the sections they override. */
export function variantSpec(raw: RawVariant, index: number, base: Scenario, ctx: SectionCtx): VariantSpec {
  const at = ['variants', String(index)];
  const overrides: VariantSpec['overrides'] = {};
  if (raw.openresty) overrides.openresty = openrestyPartial(raw.openresty, [...at, 'openresty'], ctx);
  if (raw.load) overrides.load = loadPartial(raw.load, [...at, 'load'], ctx, base.load.saturate);
  return { name: raw.name, ...(raw.description !== undefined ? { description: raw.description } : {}), overrides };
}

export function mergeVariant(s: Scenario, v: VariantSpec): Scenario {
  return {
    ...s,
    openresty: mergeDeep(s.openresty, v.overrides.openresty),
    load: mergeDeep(s.load, v.overrides.load),
    variant: v.name,
  };
}

/** Where a field of a merged variant was written: in the variant when it overrides it, else in the scenario. */
export function variantWhere(raw: RawVariant, index: number): Where {
  return (field) => {
    let node: unknown = raw;
    for (const f of field) node = isPlainObject(node) ? node[f] : undefined;
    return { path: node === undefined ? field : ['variants', String(index), ...field] };
  };
}

/** The scenario with variant `name` applied (`variant` set), checked again after merging. */
export function applyVariant(s: Scenario, name: string): Scenario {
  const v = s.variants.find((x) => x.name === name);
  if (!v) {
    throw invalidInput(
      'E_VARIANT_UNKNOWN',
      `scenario "${s.name}" has no variant "${name}"`,
      s.variants.length ? `variants: ${s.variants.map((x) => x.name).join(', ')}` : 'this scenario declares no variants',
    );
  }
  const merged = mergeVariant(s, v);
  const problems: RawProblem[] = checkResolved(merged, (field) => ({ path: ['variants', name, ...field] }));
  if (problems.length) {
    throw invalidInput(
      'E_SCENARIO_INVALID',
      `variant "${name}" of ${s.source} is invalid: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
      'fix the variant overrides',
      problems.map((p) => formatProblem({ file: s.source, line: 0, col: 0, path: pointer(p.path), message: p.message, hint: p.hint })),
    );
  }
  return merged;
}

/** One resolved scenario per variant, in declaration order; the scenario itself when it has none. */
export function expandVariants(s: Scenario): Scenario[] {
  return s.variants.length === 0 ? [s] : s.variants.map((v) => applyVariant(s, v.name));
}
