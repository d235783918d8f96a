/**
 * Line classifiers for `perf script` text, written as hand-rolled scanners that give exactly
 * the captures of stackcollapse-perf.pl's regular expressions (Perl semantics, byte strings:
 * `\s` and `\w` are ASCII only). Hand-rolled because this is the hot path of a parser that must
 * do hundreds of MB/s, and because matching Perl's backtracking exactly is easier to reason about
 * when written out than when translated to a JS regex with subtly different semantics.
 */

/** Perl's `\s` on a non-UTF-8 string: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Perl's `\w` on a non-UTF-8 string. */
export function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

export interface HeaderMatch {
  comm: string;
  /** `$2`: the first number (the PID when `pid/tid` is printed, else the TID). */
  first: string;
  /** `$3`: the number after the slash, undefined when absent. */
  second: string | undefined;
}

/**
 * `/^(\S.+?)\s+(\d+)\/*(\d+)*\s+/` — the sample header ("comm [pid/]tid [cpu] time: [period] event:").
 * The lazy comm makes the first whitespace run that is followed by `digits[/[digits]]` and a
 * whitespace character the separator; comm is at least two characters long.
 */
export function matchHeader(line: string): HeaderMatch | null {
  const n = line.length;
  if (n < 4 || isSpace(line.charCodeAt(0))) return null;
  let i = 1;
  while (i < n) {
    // find the next whitespace run [s, r)
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return null;
    const s = i;
    let r = i;
    while (r < n && isSpace(line.charCodeAt(r))) r++;
    i = r;
    // `.+?` needs one character after the first: the separator may not start before index 2.
    if (Math.max(s, 2) >= r) continue;
    let p = r;
    while (p < n && isDigit(line.charCodeAt(p))) p++;
    if (p === r) continue;
    const d1End = p;
    while (p < n && line.charCodeAt(p) === 47) p++; // '/'
    const d2Start = p;
    if (p > d1End) while (p < n && isDigit(line.charCodeAt(p))) p++;
    if (p >= n || !isSpace(line.charCodeAt(p))) continue;
    return {
      comm: line.slice(0, Math.max(s, 2)),
      first: line.slice(r, d1End),
      second: p > d2Start ? line.slice(d2Start, p) : undefined,
    };
  }
  return null;
}

export interface EventMatch {
  /** `$1`: the period printed before the event, undefined when absent. */
  period: string | undefined;
  event: string;
}

/**
 * `/:\s*(\d+)*\s+(\S+):\s*$/` on a header line: "...: [period] event:" at the end of the line.
 * The event is the last whitespace-separated token without its final colon.
 */
export function matchEvent(line: string): EventMatch | null {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  if (end < 2 || line.charCodeAt(end - 1) !== 58) return null; // ':'
  let tokStart = end - 1;
  while (tokStart > 0 && !isSpace(line.charCodeAt(tokStart - 1))) tokStart--;
  if (tokStart >= end - 1 || tokStart === 0) return null; // `(\S+)` empty, or no `\s+` before it
  const event = line.slice(tokStart, end - 1);
  let q = tokStart;
  while (q > 0 && isSpace(line.charCodeAt(q - 1))) q--; // the `\s+` run
  if (q > 0 && line.charCodeAt(q - 1) === 58) return { period: undefined, event };
  let d = q;
  while (d > 0 && isDigit(line.charCodeAt(d - 1))) d--;
  if (d === q) return null;
  let c = d;
  while (c > 0 && isSpace(line.charCodeAt(c - 1))) c--;
  if (c > 0 && line.charCodeAt(c - 1) === 58) return { period: line.slice(d, q), event };
  return null;
}

export interface FrameMatch {
  /** Where `(.+)` starts in the line: the result depends only on the text from here on. */
  funcStart: number;
  pc: string;
  rawfunc: string;
  mod: string;
}

/**
 * `/^\s*(\w+)\s*(.+) \((\S*)\)/` — a frame line "    pc symbol+off (dso)". Greedy `(.+)` takes
 * the last " (" whose following non-blank run contains a ")"; the module runs to the last ")"
 * of that run. When `(.+)` would be empty, Perl backtracks into `\s*` and `(\w+)`; so do we.
 */
export function matchFrame(line: string): FrameMatch | null {
  const n = line.length;
  let a = 0;
  while (a < n && isSpace(line.charCodeAt(a))) a++;
  let w = a;
  while (w < n && isWord(line.charCodeAt(w))) w++;
  if (w === a) return null;
  let b = w;
  while (b < n && isSpace(line.charCodeAt(b))) b++;
  // rightmost valid " (" at q >= a + 2 (one pc character and one func character before it)
  let q = line.lastIndexOf(' (', n - 2);
  while (q >= a + 2) {
    const runStart = q + 2;
    let runEnd = runStart;
    while (runEnd < n && !isSpace(line.charCodeAt(runEnd))) runEnd++;
    const close = runEnd > runStart ? line.lastIndexOf(')', runEnd - 1) : -1;
    if (close >= runStart) {
      const funcStart = Math.min(b, q - 1);
      return {
        funcStart,
        pc: line.slice(a, Math.min(w, funcStart)),
        rawfunc: line.slice(funcStart, q),
        mod: line.slice(runStart, close),
      };
    }
    q = line.lastIndexOf(' (', q - 1);
  }
  return null;
}

export interface OneLineSample extends EventMatch {
  /** The frame printed after the event, as a frame line ("pc symbol+off (dso)"). */
  frame: string;
}

/**
 * A sample of `perf record` without -g: perf prints its one frame on the header line, after the
 * event — "comm pid time: [period] event:  pc sym+off (dso)" — so the header does not end in ":"
 * and the Perl script records nothing. The event ends at the last ":" that is followed by
 * blanks and a frame ("cycles:u" in "cycles:u:  ffff… sym (dso)"), and is named without modifiers.
 */
export function matchOneLineSample(line: string): OneLineSample | null {
  const m = ONE_LINE.exec(line);
  if (m === null) return null;
  const frame = m[3] as string;
  if (matchFrame(frame) === null) return null;
  // perf prints the event with and without its modifiers ("cycles:u", "cycles") in one such file,
  // as inferno notes: the event is the name before the modifiers.
  const event = (m[2] as string).split(':')[0] as string;
  return { period: m[1], event, frame };
}

// After the time stamp ("12.345678: "): an optional period, the event, ":", blanks, the frame.
const ONE_LINE = /^\S.*?\s\d+\.\d+:\s+(?:(\d+)\s+)?(\S+?):\s+([0-9a-fA-F]+\s.*\(.*\))\s*$/;
