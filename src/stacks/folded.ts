/**
 * The folded-stack model (Brendan Gregg's format): `root;child;leaf <count>`, one stack per line.
 * A Map keeps insertion order and is the cheapest structure for merging millions of lines.
 */
import { eachLine } from './lines.js';

export type Folded = Map<string, number>;

export interface ParseReport {
  /** Lines that were not understood and were skipped. */
  skipped: number;
  /** First few skipped lines, with their line numbers, for the warning message. */
  examples: string[];
}

export interface ParsedFolded {
  stacks: Folded;
  report: ParseReport;
}

/** How many skipped lines a report quotes. */
const MAX_EXAMPLES = 5;

/** Counts a line a parser did not understand, quoting the first few (with their line numbers) for the warning. */
export function noteSkipped(report: ParseReport, lineNo: number, line: string): void {
  report.skipped++;
  if (report.examples.length < MAX_EXAMPLES) report.examples.push(`line ${lineNo}: ${line.slice(0, 200)}`);
}

/**
 * Lenient per line: a line without a trailing numeric count is skipped and counted. Fractional counts
 * are kept. Lines starting with "#" are comments (austin's `# duration: 1234`), skipped silently as
 * inferno does; flamegraph.pl takes them for a stack and draws a frame as wide as the count.
 */
export function parseFolded(text: string): ParsedFolded {
  const stacks: Folded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  eachFoldedLine(text, report, (stack, count) => {
    stacks.set(stack, (stacks.get(stack) ?? 0) + count);
  });
  return { stacks, report };
}

/** The stacks of folded text in input order, repeats kept apart (a flame chart is a time line). */
export function parseFoldedList(text: string): { list: Array<[string, number]>; report: ParseReport } {
  const list: Array<[string, number]> = [];
  const report: ParseReport = { skipped: 0, examples: [] };
  eachFoldedLine(text, report, (stack, count) => {
    list.push([stack, count]);
  });
  return { list, report };
}

function eachFoldedLine(text: string, report: ParseReport, fn: (stack: string, count: number) => void): void {
  eachLine(text, (line, lineNo) => {
    if (line.charCodeAt(0) === 35 /* # */) return;
    const sp = line.lastIndexOf(' ');
    const count = sp > 0 ? Number(line.slice(sp + 1)) : NaN;
    if (!Number.isFinite(count) || line.slice(sp + 1).trim() === '') return noteSkipped(report, lineNo, line);
    fn(line.slice(0, sp).trimEnd(), count);
  });
}

/** Deterministic output: stacks sorted by name (as stackcollapse-*.pl print them). */
export function formatFolded(stacks: Folded): string {
  const keys = [...stacks.keys()].sort(compareStacks);
  let out = '';
  for (const k of keys) out += `${k} ${stacks.get(k)}\n`;
  return out;
}

/** Byte-wise order, as Perl's `sort` (not locale-aware localeCompare). */
export function compareStacks(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function totalWeight(stacks: Folded): number {
  let t = 0;
  for (const v of stacks.values()) t += v;
  return t;
}

export function addStack(stacks: Folded, stack: string, count: number): void {
  stacks.set(stack, (stacks.get(stack) ?? 0) + count);
}
