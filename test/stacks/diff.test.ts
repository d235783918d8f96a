import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFolded } from '../../src/stacks/folded.js';
import {
  diffFolded,
  formatDiffFolded,
  looksLikeDiffFolded,
  parseDiffFolded,
  stripHexAddresses,
} from '../../src/stacks/diff.js';
import { DIFF_FOLDED } from '../helpers/fixtures.js';

// inferno's tests/data/diff-folded (test/fixtures/diff-folded, see its README).
const DIR = pathToFileURL(`${DIFF_FOLDED}/`);
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8');
const lines = (text: string) => new Set(text.split('\n').filter((l) => l.trim() !== ''));

const cases = [
  { result: 'default.txt', before: 'before.txt', opts: { normalize: false, stripHex: false } },
  { result: 'normalize.txt', before: 'before.txt', opts: { normalize: true, stripHex: false } },
  { result: 'strip_hex.txt', before: 'before.txt', opts: { normalize: false, stripHex: true } },
  { result: 'fractionals.txt', before: 'before_fractionals.txt', opts: { normalize: false, stripHex: false } },
];

describe('diffFolded matches difffolded fixtures as sets', () => {
  for (const c of cases) {
    it(`${c.result} (${c.before} vs after.txt, ${JSON.stringify(c.opts)})`, () => {
      const before = parseFolded(read(c.before));
      const after = parseFolded(read('after.txt'));
      expect(before.report.skipped).toBe(0);
      const out = formatDiffFolded(diffFolded(before.stacks, after.stacks, c.opts));
      const expected = lines(read(`results/${c.result}`));
      expect(lines(out)).toEqual(expected);
      expect(out.trim().split('\n')).toHaveLength(expected.size);
    });
  }

  it('bad_before.txt: the line without a count is a warning, not a crash', () => {
    const before = parseFolded(read('bad_before.txt'));
    expect(before.report.skipped).toBe(1);
    expect(before.report.examples[0]).toContain('line 3');
    const diff = diffFolded(before.stacks, parseFolded(read('after.txt')).stacks, { normalize: false, stripHex: false });
    // The unparsable stack exists only in after now.
    expect(diff.get('dd;[unknown];read;system_call_[k];__fdget_pos_[k]')).toEqual({ before: 0, after: 15 });
  });
});

describe('three-column format', () => {
  it('round-trips and is detected', () => {
    const diff = diffFolded(parseFolded(read('before.txt')).stacks, parseFolded(read('after.txt')).stacks, {
      normalize: false,
      stripHex: false,
    });
    const text = formatDiffFolded(diff);
    expect(looksLikeDiffFolded(text)).toBe(true);
    expect(looksLikeDiffFolded(read('after.txt'))).toBe(false);
    const back = parseDiffFolded(text + 'garbage line\n');
    expect(back.report.skipped).toBe(1);
    expect(formatDiffFolded(back.diff)).toBe(text);
  });

  it('strips every hex address, keeps a bare 0x', () => {
    expect(stripHexAddresses('a;0x1F;b0xdead;0x;c')).toBe('a;0x...;b0x...;0x;c');
  });
});
