/**
 * Differential folded stacks, with difffolded.pl semantics (Gregg 2014; inferno's `differential`):
 * the union of both profiles' stacks, one line per stack: `stack <count-before> <count-after>`,
 * 0 where a stack is missing from one side.
 */
import { compareStacks, noteSkipped, type Folded, type ParseReport } from './folded.js';
import { eachLine } from './lines.js';

export interface DiffCounts {
  before: number;
  after: number;
}

/** Stack → counts in both profiles. Insertion order carries no meaning; format it for a stable order. */
export type DiffFolded = Map<string, DiffCounts>;

export interface DiffOptions {
  /** `-n`: scale the before counts so both profiles have the same total (difffolded.pl's normalise). */
  normalize: boolean;
  /** `-s`: replace hex addresses `0x1a2b` by `0x...` so that the same code at other addresses merges. */
  stripHex: boolean;
}

export interface ParsedDiffFolded {
  diff: DiffFolded;
  report: ParseReport;
}

const HEX = /0x[0-9a-fA-F]+/g;

export function stripHexAddresses(stack: string): string {
  return stack.includes('0x') ? stack.replace(HEX, '0x...') : stack;
}

/**
 * Counts are truncated to integers before they are added up, as inferno's difffolded does
 * (its fixtures expect `14.23` to count as 14); normalised before counts are truncated too
 * (`int()` in difffolded.pl).
 */
export function diffFolded(before: Folded, after: Folded, opts: DiffOptions): DiffFolded {
  const diff: DiffFolded = new Map();
  let totalBefore = 0;
  let totalAfter = 0;
  for (const [raw, count] of before) {
    const c = Math.trunc(count);
    const stack = opts.stripHex ? stripHexAddresses(raw) : raw;
    const e = diff.get(stack);
    if (e) e.before += c;
    else diff.set(stack, { before: c, after: 0 });
    totalBefore += c;
  }
  for (const [raw, count] of after) {
    const c = Math.trunc(count);
    const stack = opts.stripHex ? stripHexAddresses(raw) : raw;
    const e = diff.get(stack);
    if (e) e.after += c;
    else diff.set(stack, { before: 0, after: c });
    totalAfter += c;
  }
  if (opts.normalize && totalBefore !== totalAfter && totalBefore > 0) {
    const scale = totalAfter / totalBefore;
    for (const e of diff.values()) e.before = Math.trunc(e.before * scale);
  }
  return diff;
}

/** Three-column text, sorted byte-wise by stack so that the same input always gives the same bytes. */
export function formatDiffFolded(diff: DiffFolded): string {
  const keys = [...diff.keys()].sort(compareStacks);
  const parts: string[] = [];
  for (const k of keys) {
    const e = diff.get(k) as DiffCounts;
    parts.push(`${k} ${e.before} ${e.after}\n`);
  }
  return parts.join('');
}

const NUM = /^\d+(?:\.\d*)?$/;

/** Splits `stack n1 n2` from the right; null when the line does not end in two counts. */
export function splitDiffLine(line: string): { stack: string; before: number; after: number } | null {
  const s2 = line.lastIndexOf(' ');
  if (s2 <= 0) return null;
  const c2 = line.slice(s2 + 1);
  const rest = line.slice(0, s2).trimEnd();
  const s1 = rest.lastIndexOf(' ');
  if (s1 <= 0) return null;
  const c1 = rest.slice(s1 + 1);
  if (!NUM.test(c1) || !NUM.test(c2)) return null;
  const stack = rest.slice(0, s1).trimEnd();
  if (stack === '') return null;
  return { stack, before: Number(c1), after: Number(c2) };
}

/** Lenient per line: lines without two trailing counts are skipped and counted. Duplicate stacks add up. */
export function parseDiffFolded(text: string): ParsedDiffFolded {
  const diff: DiffFolded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  eachLine(text, (line, lineNo) => {
    if (line.charCodeAt(0) === 35 /* # */) return; // a comment, as in two-column input
    const parsed = splitDiffLine(line.trimEnd());
    if (!parsed) return noteSkipped(report, lineNo, line);
    const e = diff.get(parsed.stack);
    if (e) {
      e.before += parsed.before;
      e.after += parsed.after;
    } else diff.set(parsed.stack, { before: parsed.before, after: parsed.after });
  });
  return { diff, report };
}

/**
 * Whether folded text is the three-column diff format (flamegraph.pl decides per line; we decide
 * once): true when most of the first non-empty lines end in two counts.
 */
export function looksLikeDiffFolded(text: string): boolean {
  let seen = 0;
  let two = 0;
  let start = 0;
  while (seen < 200 && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    seen++;
    if (splitDiffLine(line)) two++;
  }
  return seen > 0 && two * 2 > seen;
}

