import type { Readable } from 'node:stream';
import type { Folded, ParseReport } from './folded.js';
import { pumpText } from './lines.js';

/**
 * What every stackcollapse-* port is: lines in (whole or in pieces), folded stacks and a report of
 * what was skipped out. One shape, so whole texts, streams and the CLI drive every format alike.
 */
export interface LineCollapser<R extends ParseReport = ParseReport> {
  /** One line, without its "\n". */
  push(line: string): void;
  /** Any piece of text; lines may span calls. */
  write(text: string): void;
  finish(): { stacks: Folded; report: R };
  /**
   * Bytes read as latin1 (one character per byte, as the Perl scripts read them); lines may span
   * calls. Only where a collapser has a faster path for bytes than for strings.
   */
  writeBytes?(bytes: Uint8Array): void;
}

export function collapseText<R extends ParseReport>(c: LineCollapser<R>, text: string): { stacks: Folded; report: R } {
  c.write(text);
  return c.finish();
}

/**
 * A stream through a collapser in constant memory beyond the distinct stacks. 'latin1' keeps every
 * byte one character (byte-identical to the Perl scripts on any input) and uses the collapser's
 * byte path where it has one; 'utf8' gives readable names.
 */
export async function collapseStream<R extends ParseReport>(
  c: LineCollapser<R>,
  input: Readable,
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<{ stacks: Folded; report: R }> {
  const bytes = c.writeBytes?.bind(c);
  if (encoding === 'latin1' && bytes !== undefined) {
    for await (const chunk of input) {
      if (typeof chunk === 'string') c.write(chunk);
      else bytes(chunk as Buffer);
    }
  } else {
    await pumpText(input, c.write, encoding);
  }
  return c.finish();
}
