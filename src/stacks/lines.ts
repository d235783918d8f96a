import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A line splitter; `hasCarry`/`takeCarry` let a caller that also reads bytes (the perf collapser) join the held-back partial line. */
export interface RangeSplitter {
  write(text: string): void;
  end(): void;
  hasCarry(): boolean;
  /** The partial line held back so far; the splitter forgets it. */
  takeCarry(): string;
}

/**
 * Splits text fed in arbitrary pieces into lines (without "\n"), handed on as `text[start, end)` so
 * that a line inside one piece is not copied (the hot path of the perf collapser); a line spanning
 * pieces is joined first. A final line without "\n" is still a line.
 */
export function rangeSplitter(onRange: (text: string, start: number, end: number) => void): RangeSplitter {
  let carry = '';
  return {
    write(text: string) {
      let start = 0;
      let nl = text.indexOf('\n');
      if (nl < 0) {
        carry += text;
        return;
      }
      if (carry !== '') {
        const first = carry + text.slice(0, nl);
        carry = '';
        onRange(first, 0, first.length);
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      while (nl >= 0) {
        onRange(text, start, nl);
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry = text.slice(start);
    },
    end() {
      if (carry !== '') {
        const last = carry;
        carry = '';
        onRange(last, 0, last.length);
      }
    },
    hasCarry: () => carry !== '',
    takeCarry() {
      const held = carry;
      carry = '';
      return held;
    },
  };
}

/** Splits text fed in arbitrary pieces into lines (without "\n"), as strings, for the streaming parsers. */
export function lineSplitter(onLine: (line: string) => void): { write(text: string): void; end(): void } {
  return rangeSplitter((text, start, end) => onLine(text.slice(start, end)));
}

/** Feeds a byte or text stream into `write`, decoding as UTF-8 (or latin1: one character per byte). */
export async function pumpText(input: Readable, write: (text: string) => void, encoding: 'utf8' | 'latin1' = 'utf8'): Promise<void> {
  if (encoding === 'latin1') {
    for await (const chunk of input) write(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1'));
    return;
  }
  const dec = new StringDecoder('utf8');
  for await (const chunk of input) write(typeof chunk === 'string' ? chunk : dec.write(chunk as Buffer));
  write(dec.end());
}

/** Calls `fn` on each non-blank line of a whole text (without "\n" or a trailing "\r"), with its 1-based number. */
export function eachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    lineNo++;
    let line = text.slice(start, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    start = nl + 1;
    if (line.trim() !== '') fn(line, lineNo);
  }
}
