import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Splits text fed in arbitrary pieces into lines (without "\n"), for the streaming parsers.
 * A final line without "\n" is still a line.
 */
export function lineSplitter(onLine: (line: string) => void): { write(text: string): void; end(): void } {
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
        onLine(first);
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      while (nl >= 0) {
        onLine(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry = text.slice(start);
    },
    end() {
      if (carry !== '') onLine(carry);
      carry = '';
    },
  };
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
