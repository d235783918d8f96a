import { describe, expect, it } from 'vitest';
import { formatFolded, parseFolded, totalWeight } from '../../src/stacks/folded.js';

describe('parseFolded', () => {
  it('merges duplicate stacks, keeps fractional counts and counts bad lines', () => {
    const { stacks, report } = parseFolded('a;b 2\na;c 1.5\nno count here\na;b 3\n\n');
    expect(stacks.get('a;b')).toBe(5);
    expect(stacks.get('a;c')).toBe(1.5);
    expect(report.skipped).toBe(1);
    expect(report.examples[0]).toContain('line 3');
    expect(totalWeight(stacks)).toBe(6.5);
  });
  it('formats sorted byte-wise', () => {
    expect(formatFolded(new Map([['b', 1], ['B', 2], ['a;x', 3]]))).toBe('B 2\na;x 3\nb 1\n');
  });
});
