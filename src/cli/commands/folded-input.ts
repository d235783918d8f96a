/**
 * Reading folded (two-column) and differential (three-column) input for `render` and `diff`, from a
 * file or stdin, in chunks of whole lines: a 100 MB profile never exists as one Buffer plus one
 * string at the same time, which would double the peak memory for nothing.
 */
import { createReadStream } from 'node:fs';
import { invalidInput } from '../../errors.js';
import { parseFolded, type Folded, type ParseReport } from '../../stacks/folded.js';
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
    kind ??= looksLikeDiffFolded(text) ? 'diff' : 'folded';
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

export function warnSkipped(report: ParseReport, source: string | undefined): void {
  if (report.skipped === 0) return;
  process.stderr.write(
    `warning: ${describe(source)}: skipped ${report.skipped} line(s) with an invalid format\n` +
      report.examples.map((e) => `  ${terminalSafe(e)}\n`).join(''),
  );
}

/** Writes to stdout; a reader that went away (`| head`) is not an error. */
export async function writeStdout(text: string): Promise<void> {
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
