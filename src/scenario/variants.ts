/**
 * A/B variants: named overrides deep-merged over the scenario (plain objects merge, lists and
 * scalars replace). The first variant is the baseline of a comparison.
 */
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { checkResolved, type Where } from './checks.js';
import { formatProblem, pointer, type RawProblem } from './problems.js';
import type { RawVariant } from './raw.js';
import { loadPartial, openrestyPartial, type ScenarioIo, type SectionCtx } from './sections.js';
import type { OpenrestySpec, Scenario, VariantSpec } from './types.js';

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
  let root: string | undefined;
  let vctx = ctx;
  if (raw.root !== undefined) {
    root = path.resolve(path.dirname(ctx.source), raw.root);
    // The variant's own paths are read from its root too: a scenario file there would sit at this path.
    vctx = { ...ctx, source: path.join(root, path.basename(ctx.source)) };
    const rebased = rebaseOpenresty(base, root, ctx.io);
    for (const file of rebased.missing) {
      ctx.problems.push({
        path: [...at, 'root'],
        at: 'value',
        message: `file not found under the variant's root ${root}: ${file}`,
        hint: "root stands in for the scenario file's directory: the scenario's files: and configFile must exist at the same relative paths there",
      });
    }
    overrides.openresty = rebased.openresty;
  }
  if (raw.openresty) overrides.openresty = { ...overrides.openresty, ...openrestyPartial(raw.openresty, [...at, 'openresty'], vctx) };
  if (raw.load) overrides.load = loadPartial(raw.load, [...at, 'load'], ctx, base.load.saturate);
  return {
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(root !== undefined ? { root } : {}),
    overrides,
  };
}

/**
 * The scenario's files and configFile as read from `root` instead of the scenario file's
 * directory (same relative paths), and the files that are not there.
 */
export function rebaseOpenresty(base: Scenario, root: string, io: ScenarioIo): { openresty: Partial<OpenrestySpec>; missing: string[] } {
  const dir = path.dirname(base.source);
  const moved = (abs: string) => path.resolve(root, path.relative(dir, abs));
  const missing: string[] = [];
  const files = base.openresty.files.map((f) => {
    const from = moved(f.from);
    if (!io.isFile(from)) missing.push(from);
    return { ...f, from };
  });
  const openresty: Partial<OpenrestySpec> = { files };
  if (base.openresty.configSource !== base.source) {
    const configSource = moved(base.openresty.configSource);
    const text = io.readText(configSource);
    if (text === undefined) missing.push(configSource);
    else Object.assign(openresty, { config: text, configSource });
  }
  return { openresty, missing };
}

/**
 * `--variant-root NAME=DIR`: the scenario with variant NAME reading its files from DIR (as the
 * YAML key `root` does), checked at once so a wrong path fails before any run starts.
 */
export function withVariantRoot(s: Scenario, name: string, root: string, io: ScenarioIo): Scenario {
  const v = s.variants.find((x) => x.name === name);
  if (!v) throw unknownVariant(s, name);
  const abs = path.resolve(root);
  const rebased = rebaseOpenresty(s, abs, io);
  if (rebased.missing.length > 0) {
    throw invalidInput(
      'E_VARIANT_ROOT',
      `variant "${name}" cannot read its files from ${abs}: ${rebased.missing.length} missing`,
      "the root stands in for the scenario file's directory: give the folder that holds the same files in the other checkout",
      rebased.missing.map((f) => `not found: ${f}`),
    );
  }
  // Paths the variant overrides itself keep their own resolution; the scenario's move to the root.
  const own = v.overrides.openresty ?? {};
  const openresty: Partial<OpenrestySpec> = { ...rebased.openresty, ...own };
  const variants = s.variants.map((x) => (x === v ? { ...v, root: abs, overrides: { ...v.overrides, openresty } } : x));
  return { ...s, variants };
}

function unknownVariant(s: Scenario, name: string) {
  return invalidInput(
    'E_VARIANT_UNKNOWN',
    `scenario "${s.name}" has no variant "${name}"`,
    s.variants.length ? `variants: ${s.variants.map((x) => x.name).join(', ')}` : 'this scenario declares no variants',
  );
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
  if (!v) throw unknownVariant(s, name);
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
