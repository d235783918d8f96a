/**
 * The folded-stack model (Brendan Gregg's format): `root;child;leaf <count>`, one stack per line.
 * A Map keeps insertion order and is the cheapest structure for merging millions of lines.
 */
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

const MAX_EXAMPLES = 5;

/** Lenient per line: a line without a trailing numeric count is skipped and counted. Fractional counts are kept. */
export function parseFolded(text: string): ParsedFolded {
  const stacks: Folded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const sp = line.lastIndexOf(' ');
    const count = sp > 0 ? Number(line.slice(sp + 1)) : NaN;
    if (!Number.isFinite(count) || line.slice(sp + 1).trim() === '') {
      report.skipped++;
      if (report.examples.length < MAX_EXAMPLES) report.examples.push(`line ${lineNo}: ${line.slice(0, 200)}`);
      continue;
    }
    const stack = line.slice(0, sp).trimEnd();
    stacks.set(stack, (stacks.get(stack) ?? 0) + count);
  }
  return { stacks, report };
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
