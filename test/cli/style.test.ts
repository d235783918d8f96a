import { describe, expect, it } from 'vitest';
import { exitCodesHelp } from '../../src/cli/exit-codes.js';
import { styler, wantsColor } from '../../src/util/style.js';
import { ExitCode } from '../../src/errors.js';

const tty = { isTTY: true, hasColors: () => true };
const pipe = { isTTY: false };

describe('wantsColor', () => {
  it('colours a colour terminal, not a pipe', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
  });
  it('NO_COLOR turns colour off on a terminal; FORCE_COLOR turns it on in a pipe (and wins, as in Node)', () => {
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(tty, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });
  it('asks the terminal whether it has colours', () => {
    expect(wantsColor({ isTTY: true, hasColors: () => false }, {})).toBe(false);
  });
});

describe('styler', () => {
  it('plain logs get greppable ASCII marks and no escape', () => {
    const s = styler(false);
    expect(s.mark(true)).toBe('[pass]');
    expect(s.mark(false)).toBe('[FAIL]');
    expect(s.bad('x')).toBe('x');
  });
  it('a colour terminal gets ✓/✗ in colour', () => {
    const s = styler(true);
    expect(s.mark(true)).toContain('✓');
    expect(s.mark(false)).toContain('✗');
    expect(s.bad('x')).toMatch(/\x1b\[31mx\x1b\[39m/);
  });
});

describe('exitCodesHelp', () => {
  it('lists every ExitCode once, in order', () => {
    const text = exitCodesHelp();
    const codes = [...text.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
  });
});
