/**
 * Reading folded (two-column) and differential (three-column) input for `render` and `diff`, from a
 * file or stdin, in chunks of whole lines: a 100 MB profile never exists as one Buffer plus one
 * string at the same time, which would double the peak memory for nothing.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { invalidInput } from '../../errors.js';
import { parseFolded, parseFoldedList, type Folded, type ParseReport } from '../../stacks/folded.js';
import { looksLikeDiffFolded, parseDiffFolded, type DiffFolded } from '../../stacks/diff.js';
import { terminalSafe } from '../../util/terminal.js';

const CHUNK = 1 << 20;
const MAX_EXAMPLES = 5;

function describe(file: string | undefined): string {
  return file === undefined || file === '-' ? 'stdin' : file;
}

/** Calls `onText` with runs of complete lines and the line number the run starts at (1-based). */
async function readLineChunks(file: string | undefined, onText: (text: string, firstLine: number) => void): Promise<void> {
  const fromStdin = file === undefined || file === '-';
  if (fromStdin && process.stdin.isTTY) {
    throw invalidInput('E_NO_INPUT', 'no input: stdin is a terminal', 'Give a folded file, or pipe one in: `… | flamebench render > out.svg`.');
  }
  if (!fromStdin) {
    // A small file in one read: no stream machinery to load, which is most of a small render's start-up.
    let small: string | undefined;
    try {
      if (statSync(file).size <= CHUNK) small = readFileSync(file, 'utf8');
    } catch {
      // unreadable: the stream below reports it
    }
    if (small !== undefined) {
      onText(small, 1);
      return;
    }
  }
  const stream = fromStdin ? process.stdin : createReadStream(file, { highWaterMark: CHUNK });
  stream.setEncoding('utf8');
  let pending = '';
  let line = 1;
  const emit = (text: string) => {
    onText(text, line);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      pending += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        emit(pending.slice(0, cut + 1));
        pending = pending.slice(cut + 1);
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw invalidInput(
      'E_INPUT_UNREADABLE',
      `cannot read ${describe(file)}: ${(e as Error).message}`,
      code === 'ENOENT' ? 'Check the path.' : 'Give a readable folded file (`stack;frames count` per line).',
    );
  }
  if (pending !== '') emit(pending);
}

function mergeReport(into: ParseReport, part: ParseReport, firstLine: number): void {
  into.skipped += part.skipped;
  for (const ex of part.examples) {
    if (into.examples.length >= MAX_EXAMPLES) break;
    into.examples.push(ex.replace(/^line (\d+)/, (_, n: string) => `line ${Number(n) + firstLine - 1}`));
  }
}

export async function readFolded(file: string | undefined): Promise<{ stacks: Folded; report: ParseReport }> {
  const stacks: Folded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  await readLineChunks(file, (text, firstLine) => {
    const part = parseFolded(text);
    for (const [k, v] of part.stacks) stacks.set(k, (stacks.get(k) ?? 0) + v);
    mergeReport(report, part.report, firstLine);
  });
  return { stacks, report };
}

export type FoldedOrDiff =
  | { kind: 'folded'; stacks: Folded; report: ParseReport }
  | { kind: 'diff'; diff: DiffFolded; report: ParseReport };

/** Two- or three-column input, decided on the first lines (flamegraph.pl decides per line). */
export async function readFoldedOrDiff(file: string | undefined): Promise<FoldedOrDiff> {
  let kind: 'folded' | 'diff' | undefined;
  const stacks: Folded = new Map();
  const diff: DiffFolded = new Map();
  const report: ParseReport = { skipped: 0, examples: [] };
  await readLineChunks(file, (text, firstLine) => {
    // Decided on the first run of lines with a stack in it: leading comments say nothing.
    if (kind === undefined && /^[ \t]*[^#\s]/m.test(text)) kind = looksLikeDiffFolded(text) ? 'diff' : 'folded';
    if (kind === undefined) return;
    if (kind === 'diff') {
      const part = parseDiffFolded(text);
      for (const [k, v] of part.diff) {
        const e = diff.get(k);
        if (e) {
          e.before += v.before;
          e.after += v.after;
        } else diff.set(k, v);
      }
      mergeReport(report, part.report, firstLine);
    } else {
      const part = parseFolded(text);
      for (const [k, v] of part.stacks) stacks.set(k, (stacks.get(k) ?? 0) + v);
      mergeReport(report, part.report, firstLine);
    }
  });
  return kind === 'diff' ? { kind, diff, report } : { kind: 'folded', stacks, report };
}

export type RenderInput =
  | { kind: 'folded'; stacks: Folded | Array<[string, number]>; report: ParseReport }
  | { kind: 'diff'; diff: DiffFolded; report: ParseReport };

/**
 * The inputs of `render`, one after the other, as flamegraph.pl reads all its files: folded stacks
 * merged across files (or, for a flame chart, kept in order), or three-column diffs merged. Mixing
 * the two kinds is an error. Skipped lines are reported per file through `onSkipped`.
 */
export async function readRenderInputs(
  files: string[],
  ordered: boolean,
  onSkipped: (report: ParseReport, file: string | undefined) => void,
): Promise<RenderInput> {
  const sources: (string | undefined)[] = files.length === 0 ? [undefined] : files;
  if (sources.filter((f) => f === undefined || f === '-').length > 1) {
    throw invalidInput('E_BAD_ARGS', 'stdin ("-") can be given once only');
  }
  const total: ParseReport = { skipped: 0, examples: [] };
  if (ordered) {
    const list: Array<[string, number]> = [];
    for (const file of sources) {
      const report: ParseReport = { skipped: 0, examples: [] };
      await readLineChunks(file, (text, firstLine) => {
        const part = parseFoldedList(text);
        for (const e of part.list) list.push(e);
        mergeReport(report, part.report, firstLine);
      });
      onSkipped(report, file);
      total.skipped += report.skipped;
    }
    return { kind: 'folded', stacks: list, report: total };
  }
  let merged: FoldedOrDiff | undefined;
  for (const file of sources) {
    const part = await readFoldedOrDiff(file);
    onSkipped(part.report, file);
    total.skipped += part.report.skipped;
    if (merged === undefined) {
      merged = part;
      continue;
    }
    if (part.kind !== merged.kind) {
      throw invalidInput(
        'E_MIXED_INPUT',
        `${describe(file)} has ${part.kind === 'diff' ? 'three' : 'two'} columns, the input before it ${part.kind === 'diff' ? 'two' : 'three'}`,
        'Give either folded stacks (`stack count`) or diffs (`stack before after`), not both.',
      );
    }
    if (part.kind === 'diff' && merged.kind === 'diff') {
      for (const [k, v] of part.diff) {
        const e = merged.diff.get(k);
        if (e) {
          e.before += v.before;
          e.after += v.after;
        } else merged.diff.set(k, v);
      }
    } else if (part.kind === 'folded' && merged.kind === 'folded') {
      for (const [k, v] of part.stacks) merged.stacks.set(k, (merged.stacks.get(k) ?? 0) + v);
    }
  }
  const m = merged as FoldedOrDiff;
  return m.kind === 'diff' ? { kind: 'diff', diff: m.diff, report: total } : { kind: 'folded', stacks: m.stacks, report: total };
}

export function warnSkipped(report: ParseReport, source: string | undefined): void {
  if (report.skipped === 0) return;
  process.stderr.write(
    `warning: ${describe(source)}: skipped ${report.skipped} line(s) with an invalid format\n` +
      report.examples.map((e) => `  ${terminalSafe(e)}\n`).join(''),
  );
}

/** Writes to stdout; a reader that went away (`| head`) is not an error. */
export async function writeStdout(text: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? resolve() : reject(e));
    process.stdout.once('error', onError);
    process.stdout.write(text, (err) => {
      process.stdout.off('error', onError);
      if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
      else resolve();
    });
  });
}
