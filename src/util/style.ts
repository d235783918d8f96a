/**
 * The one terminal styling module: colour and ✓/✗ marks when the stream is a colour terminal,
 * plain text otherwise. `stream.hasColors()` already honours NO_COLOR, FORCE_COLOR and
 * NODE_DISABLE_COLORS (Node's tty docs), so CI logs and pipes get plain ASCII and a terminal
 * gets colour; FORCE_COLOR also forces colour into a pipe (GitHub Actions renders it).
 * The escapes come from util.inspect.colors (the table util.styleText uses): styleText itself
 * decides on its own by process.stdout since Node 20.18, and the decision must be ours, per stream.
 */
import { inspect } from 'node:util';

type Format = 'green' | 'red' | 'yellow' | 'dim' | 'bold';

export interface Styler {
  readonly color: boolean;
  paint(format: Format, text: string): string;
  /** A check's mark: ✓/✗ on a colour terminal, [pass]/[FAIL] in plain logs (greppable). */
  mark(ok: boolean): string;
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
}

interface ColourStream {
  isTTY?: boolean;
  hasColors?: (count?: number, env?: NodeJS.ProcessEnv) => boolean;
}

/** Whether to colour `stream`: FORCE_COLOR wins even off a TTY (Node's own rule), NO_COLOR turns it off. */
export function wantsColor(stream: ColourStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (stream.isTTY !== true || typeof stream.hasColors !== 'function') return false;
  return stream.hasColors(16, env);
}

export function styler(color: boolean): Styler {
  const paint = (format: Format, text: string) => {
    const codes = inspect.colors[format];
    return color && codes ? `\x1b[${codes[0]}m${text}\x1b[${codes[1]}m` : text;
  };
  return {
    color,
    paint,
    mark: (ok) => (color ? paint(ok ? 'green' : 'red', ok ? '✓' : '✗') : ok ? '[pass]' : '[FAIL]'),
    ok: (t) => paint('green', t),
    bad: (t) => paint('red', t),
    warn: (t) => paint('yellow', t),
    dim: (t) => paint('dim', t),
  };
}

/** The styler for stderr (progress, warnings) or stdout (summaries). */
export function styleFor(stream: NodeJS.WriteStream): Styler {
  return styler(wantsColor(stream));
}
