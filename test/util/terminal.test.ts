import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/util/terminal.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-term-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminalSafe', () => {
  it('escapes ESC, BEL, CR, DEL and C1 controls, keeps newline, tab and text', () => {
    expect(terminalSafe('a\u001b[31mred\u0007\r\n\tµ ✓')).toBe('a\\x1b[31mred\\a\\r\n\tµ ✓');
    expect(terminalSafe('\u009b2J\u007f\u0000')).toBe('\\u009b2J\\x7f\\0');
    expect(RAW_CONTROL.test(terminalSafe(String.fromCharCode(...Array.from({ length: 160 }, (_, i) => i))))).toBe(false);
  });

  it('validate and collapse print no raw control byte from their input', async () => {
    const file = path.join(tmp, 'evil\u001b]0;title\u0007.yaml');
    writeFileSync(file, 'openresty:\n  config: "server { listen {{listen}}; }"\n  wrkers\u001b[2J: 1\n');
    const v = await runCli(['validate', file]);
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(/unknown key "wrkers\\x1b\[2J"/);
    expect(RAW_CONTROL.test(v.stdout + v.stderr)).toBe(false);

    const c = await runCli(['collapse', 'perf'], { input: 'garbage\u001b[31m\u0007\r\n' });
    expect(c.stderr).toMatch(/skipped 1/);
    expect(RAW_CONTROL.test(c.stderr)).toBe(false);
  });
});
