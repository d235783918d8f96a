import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/probes/perf.js';

describe('forEachLine (perf script output of the off-CPU probe, through the one line splitter)', () => {
  it('splits lines across chunks, drops a trailing \\r, keeps a last line without \\n and multi-byte characters split between chunks', async () => {
    const euro = Buffer.from('€');
    const chunks = [Buffer.from('a\r\nb'), Buffer.from('\nc'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')])];
    const lines: string[] = [];
    await forEachLine(Readable.from(chunks), (l) => lines.push(l));
    expect(lines).toEqual(['a', 'b', 'c€', '', 'last']);
  });
});
