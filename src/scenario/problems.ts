/**
 * A problem found in a scenario, pinned to the YAML node it is about. Every stage of checking
 * (YAML syntax, schema, semantics) produces these, so the user sees all of them at once.
 */

/** Before positions are known: where in the document (JSON-pointer segments) and whether the key or the value is at fault. */
export interface RawProblem {
  path: readonly string[];
  /** 'key' points at the mapping key (unknown keys); 'value' at the node itself (or the parent mapping for a missing key). */
  at: 'key' | 'value';
  message: string;
  hint: string;
  /** A line inside an inline config template; added to the template node's first line. */
  templateLine?: number;
  /**
   * Schema problems only: the data that is not the expected shape and is dropped before the
   * rest is converted, so that the semantic checks of everything else still run.
   */
  invalidates?: readonly string[];
}

/**
 * Something a valid scenario says that should be written another way (a deprecated key): placed
 * like a problem, but the scenario still runs. `validate` and `run` print these; run.json keeps them.
 */
export interface RawWarning {
  kind: ScenarioWarning['kind'];
  path: readonly string[];
  at: 'key' | 'value';
  message: string;
  hint: string;
}

export interface ScenarioProblem {
  /** The scenario file as the user named it. */
  file: string;
  /** 1-based; 0 when the problem has no place in the file (e.g. a variant applied in code). */
  line: number;
  col: number;
  /** JSON pointer into the document, "/" for the root. */
  path: string;
  message: string;
  hint: string;
}

export interface ScenarioWarning extends ScenarioProblem {
  /** 'deprecated': a key under its old name (src/scenario/sections.ts). */
  kind: 'deprecated';
}

export function pointer(path: readonly string[]): string {
  return path.length === 0 ? '/' : '/' + path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function parsePointer(p: string): string[] {
  if (p === '' || p === '/') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** One line per problem (or warning): `file:line:col  /path  message (hint)` — the form editors and terminals link. */
export function formatProblem(p: ScenarioProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return `${where}  ${p.path}  ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

export function compareProblems(a: ScenarioProblem, b: ScenarioProblem): number {
  return a.line - b.line || a.col - b.col || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

/** Edit distance counting an adjacent transposition as one edit ("lau" → "lua"), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

/** The closest candidate within a third of the word's length (at least 1, at most 3 edits), or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d <= bestD && (best === undefined || d < bestD)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
