/**
 * Scenario text → Scenario, or every problem in it at once, each pinned to file:line:col.
 * Order: YAML syntax (nothing else is trustworthy when it fails) → JSON Schema → conversion
 * and semantic checks for each top-level section the schema found sound.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isScalar, LineCounter, parseDocument, Scalar, visit } from 'yaml';
import { invalidInput } from '../errors.js';
import { checkResolved } from './checks.js';
import { checkDocumentSize, duplicateKeys, readBoundedText } from './limits.js';
import { DEFAULTS } from './defaults.js';
import { locate, toPosition } from './positions.js';
import { compareProblems, formatProblem, pointer, type RawProblem, type RawWarning, type ScenarioProblem, type ScenarioWarning } from './problems.js';
import { normalizeProbes } from './probe-specs.js';
import type { RawScenario } from './raw.js';
import { validateAgainstSchema } from './schema.js';
import { NAME_PATTERN } from './schema-source.js';
import { loadFull, openrestyFull, type ScenarioIo, type SectionCtx } from './sections.js';
import { normalizeThresholds } from './thresholds.js';
import { parseDuration } from './units.js';
import type { Scenario } from './types.js';
import { mergeVariant, variantSpec, variantWhere } from './variants.js';

export const nodeIo: ScenarioIo = {
  readText(p) {
    try {
      return readBoundedText(p);
    } catch {
      return undefined;
    }
  },
  isFile(p) {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isDirectory(p) {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
};

export interface ScenarioCheck {
  /** The file as the caller named it. */
  file: string;
  /** Present exactly when there are no problems. */
  scenario?: Scenario;
  problems: ScenarioProblem[];
  /** What the scenario should write another way (deprecated keys); it still runs. */
  warnings: ScenarioWarning[];
}

/** A valid scenario and what it should write another way (printed by validate and run, kept in run.json). */
export interface LoadedScenario {
  scenario: Scenario;
  warnings: ScenarioWarning[];
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'a key may appear once per mapping; remove or rename one',
  BAD_INDENT: 'check the indentation (spaces only, consistent per level)',
  TAB_AS_INDENT: 'YAML indentation must use spaces, not tabs',
  MISSING_CHAR: 'a quote or bracket is not closed',
  MULTIPLE_DOCS: 'a scenario is one YAML document; remove the extra ---',
  BLOCK_AS_IMPLICIT_KEY: 'a value spanning lines needs | or >, or quotes',
};

/** Validates and resolves a scenario. Reads only the files the scenario references, through `io`. */
export function checkScenarioText(text: string, sourcePath: string, io: ScenarioIo = nodeIo): ScenarioCheck {
  const source = path.resolve(sourcePath);
  const lc = new LineCounter();
  // Duplicate keys are found by duplicateKeys() below, in linear time.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const tooLarge = doc.errors.length ? null : checkDocumentSize(doc);
  if (tooLarge) {
    const { line, col } = toPosition(lc, tooLarge.offset);
    return { file: sourcePath, problems: [{ file: sourcePath, line, col, path: '/', message: `scenario too large: ${tooLarge.message}`, hint: tooLarge.hint }], warnings: [] };
  }
  const duplicates = doc.errors.length ? [] : duplicateKeys(doc);
  if (duplicates.length) {
    const problems = duplicates.map((d) => {
      const { line, col } = toPosition(lc, d.offset);
      return { file: sourcePath, line, col, path: '/', message: `YAML syntax: Map keys must be unique ("${d.key}" appears again)`, hint: YAML_HINTS.DUPLICATE_KEY! };
    });
    return { file: sourcePath, problems: problems.sort(compareProblems), warnings: [] };
  }
  if (doc.errors.length) {
    const problems = doc.errors.map((e) => {
      const at = e.code === 'MISSING_CHAR' ? (unclosedQuoteStart(doc, e.pos[0]) ?? e.pos[0]) : e.pos[0];
      const { line, col } = toPosition(lc, at);
      const more = at !== e.pos[0] ? ' (the string opened here runs to the end of the file)' : '';
      return { file: sourcePath, line, col, path: '/', message: `YAML syntax: ${e.message.split('\n')[0]}${more}`, hint: YAML_HINTS[e.code] ?? 'check quoting and indentation' };
    });
    return { file: sourcePath, problems: problems.sort(compareProblems), warnings: [] };
  }

  // Aliases are bounded above; this bound on their expansion is the backstop.
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { file: sourcePath, problems: [{ file: sourcePath, line: 1, col: 1, path: '/', message: `scenario too large: ${(e as Error).message}`, hint: 'aliases may each expand to a whole subtree (a "YAML bomb"); write the values out' }], warnings: [] };
  }
  const raw: RawProblem[] =
    data === null || data === undefined
      ? [{ path: [], at: 'value', message: 'the scenario is empty', hint: 'at least `openresty: {config: …}` is needed' }]
      : validateAgainstSchema(data);
  const sane = data === null || data === undefined ? undefined : sanitize(data, raw);
  const rawWarnings: RawWarning[] = [];
  const scenario = sane ? resolve(sane, source, io, raw, rawWarnings) : undefined;
  const warnings = rawWarnings
    .map((w): ScenarioWarning => ({ kind: w.kind, file: sourcePath, ...toLineCol(locate(doc, lc, w.path, w.at)), path: pointer(w.path), message: w.message, hint: w.hint }))
    .sort(compareProblems);

  const lines = text.split('\n');
  const problems = dedupe(
    raw.map((p) => {
      const loc = locate(doc, lc, p.path, p.at);
      let { line, col } = loc;
      if (p.templateLine !== undefined) {
        const block = isScalar(loc.node) && (loc.node.type === Scalar.BLOCK_LITERAL || loc.node.type === Scalar.BLOCK_FOLDED);
        // A block scalar's content starts on the line after its | or > indicator, at its indentation.
        if (block) {
          line += p.templateLine;
          col = (/^\s*/.exec(lines[line - 1] ?? '')?.[0].length ?? 0) + 1;
        } else line += p.templateLine - 1;
      }
      return { file: sourcePath, line, col, path: pointer(p.path), message: p.message, hint: p.hint };
    }),
  ).sort(compareProblems);
  return problems.length ? { file: sourcePath, problems, warnings } : { file: sourcePath, scenario: scenario!, problems, warnings };
}

const toLineCol = ({ line, col }: { line: number; col: number }) => ({ line, col });

/** yaml reports an unclosed quote at the end of input; the user needs to see where it opened. */
function unclosedQuoteStart(doc: ReturnType<typeof parseDocument>, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_, n) {
      const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
      if (quoted && n.range && n.range[1] >= end) start = n.range[0];
    },
  });
  return start;
}

function dedupe(ps: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.col}|${p.path}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The data minus every value the schema rejected (array items become holes, so the paths of
 * other problems stay right); undefined when the document itself is not a mapping.
 */
function sanitize(data: unknown, problems: readonly RawProblem[]): RawScenario | undefined {
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const p of problems) {
    const at = p.invalidates;
    if (!at) continue;
    if (at.length === 0) return undefined;
    let parent: unknown = copy;
    for (const seg of at.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[seg] : undefined;
    const last = at[at.length - 1]!;
    if (Array.isArray(parent)) parent[Number(last)] = undefined;
    else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
  }
  return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? (copy as unknown as RawScenario) : undefined;
}

function resolve(r: RawScenario, source: string, io: ScenarioIo, problems: RawProblem[], warnings: RawWarning[]): Scenario {
  const ctx: SectionCtx = { source, io, problems: [], warnings };
  // A probe dropped for a schema error would make `probe:<id>` thresholds look dangling.
  const probesSound = !problems.some((p) => p.path[0] === 'probes');
  const openresty = openrestyFull(r.openresty ?? { config: '' }, ctx);
  const load = loadFull(r.load, ctx);
  const probes = normalizeProbes(r.probes, ctx.problems);
  const thresholds = normalizeThresholds(r.thresholds, probesSound ? probes.map((p) => p.id) : null, ctx.problems);

  const fileName = path.basename(source).replace(/\.ya?ml$/i, '');
  if (r.name === undefined && !new RegExp(NAME_PATTERN).test(fileName)) {
    ctx.problems.push({ path: [], at: 'value', message: `the file name "${fileName}" is not a valid scenario name`, hint: 'add name: with letters, digits, _ . -' });
  }
  const scenario: Scenario = {
    source,
    name: r.name ?? fileName,
    description: r.description ?? DEFAULTS.description,
    openresty,
    load,
    probes,
    thresholds,
    variants: [],
    repeat: r.repeat ?? DEFAULTS.repeat,
    minRepeats: r.minRepeats ?? DEFAULTS.minRepeats,
    maxRepeats: r.maxRepeats ?? DEFAULTS.maxRepeats,
    maxSeconds: r.maxSeconds === undefined ? DEFAULTS.maxSeconds : (parseDuration(r.maxSeconds) ?? DEFAULTS.maxSeconds),
  };
  if (scenario.minRepeats > scenario.maxRepeats) {
    ctx.problems.push({ path: ['minRepeats'], at: 'value', message: `minRepeats ${scenario.minRepeats} is above maxRepeats ${scenario.maxRepeats}`, hint: 'the first look needs minRepeats pairs within the budget' });
  }
  const checked: RawProblem[] = checkResolved(scenario, (field) => ({ path: field }));

  {
    const names = new Map<string, number>();
    (r.variants ?? []).forEach((rv, i) => {
      if (rv === undefined) return;
      const first = names.get(rv.name);
      if (first !== undefined) {
        ctx.problems.push({ path: ['variants', String(i), 'name'], at: 'value', message: `variant name "${rv.name}" is already used by variants[${first}]`, hint: 'variant names must be unique' });
      } else names.set(rv.name, i);
      const v = variantSpec(rv, i, scenario, ctx);
      scenario.variants.push(v);
      checked.push(...checkResolved(mergeVariant(scenario, v), variantWhere(rv, i)));
    });
  }
  problems.push(...ctx.problems, ...checked);
  return scenario;
}

function invalid(check: ScenarioCheck) {
  const n = check.problems.length;
  return invalidInput(
    'E_SCENARIO_INVALID',
    `scenario ${check.file} is invalid: ${n} problem${n > 1 ? 's' : ''}`,
    'fix the places listed above; `# yaml-language-server: $schema=../schema/scenario.schema.json` at the top of the file gives editor completion',
    check.problems.map(formatProblem),
  );
}

/** Pure apart from reading the files the scenario references (configFile, files:) through `io`. */
export function parseScenarioWithWarnings(text: string, sourcePath: string, io: ScenarioIo = nodeIo): LoadedScenario {
  const check = checkScenarioText(text, sourcePath, io);
  if (!check.scenario) throw invalid(check);
  return { scenario: check.scenario, warnings: check.warnings };
}

/** parseScenarioWithWarnings without the warnings (for callers that print none). */
export function parseScenario(text: string, sourcePath: string, io: ScenarioIo = nodeIo): Scenario {
  return parseScenarioWithWarnings(text, sourcePath, io).scenario;
}

/** At most SCENARIO_LIMITS.maxBytes, whatever the file is (/dev/zero, a FIFO, a huge file). */
export function readScenarioFile(file: string): string {
  return readBoundedText(file);
}

export async function loadScenarioWithWarnings(file: string): Promise<LoadedScenario> {
  return parseScenarioWithWarnings(readScenarioFile(file), file);
}

export async function loadScenario(file: string): Promise<Scenario> {
  return (await loadScenarioWithWarnings(file)).scenario;
}
