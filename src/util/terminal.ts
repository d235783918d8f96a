/**
 * Text from input (scenario files, stacks, nginx's error.log, file names) may hold control
 * bytes: ESC sequences recolour or rewrite the terminal, CR overwrites the line, BEL rings.
 * Every line flamebench writes to a terminal goes through this: C0 controls except newline and
 * tab, DEL and C1 controls become visible escapes (\x1b, \r, \u009b).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const NAMED: Record<string, string> = { '\r': '\\r', '\u001b': '\\x1b', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0' };

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x80 ? `\\x${hex(c)}` : `\\u${hex(c).padStart(4, '0')}`));
}

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');
