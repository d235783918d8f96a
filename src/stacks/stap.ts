import type { Readable } from 'node:stream';
import { collapseStream, collapseText, type LineCollapser } from './collapser.js';
import type { Folded, ParseReport } from './folded.js';
import { lineSplitter } from './lines.js';
import { createLuaBtFixer, type LuaSourceReader } from './lua-bt.js';

/**
 * SystemTap backtraces → folded stacks: a port of FlameGraph's stackcollapse-stap.pl, for the
 * output of openresty-systemtap-toolkit's sample-bt / ngx-sample-bt, sample-bt-off-cpu and
 * ngx-sample-lua-bt: frames innermost first, one per line (`print_ustack`:
 * " 0x4260d2 : ngx_process_events_and_timers+0xd6/0x165 [/usr/local/nginx/sbin/nginx]",
 * or Lua frames "@/path/file.lua:65", "C:lj_cf_string_find"), then "\t<count>" ends the stack.
 * With `fixLuaBt`, Lua frames are first rewritten as fix-lua-bt does ("resty.mysql:_get_byte3").
 */
export interface StapCollapseOptions {
  /** Resolve `@file.lua:line` frames to `module:function`, reading Lua sources through this reader. */
  fixLuaBt?: LuaSourceReader;
}

export interface StapParseReport extends ParseReport {
  stacks: number;
  /** Lua frames fix-lua-bt could not resolve (source missing, line out of range): left as printed. */
  unresolvedLua: number;
  unresolvedLuaExamples: string[];
}

export type StapCollapser = LineCollapser<StapParseReport>;

// The count line that ends a stack: Perl's /^\s*(\d+)+$/.
const COUNT = /^\s*(\d+)$/;
const BLANK = /^\s*$/;

// The frame tidying of stackcollapse-stap.pl, in its order: strip leading blanks; drop from the
// last "+" on (the offset); drop up to the last " : " (the address); "-" when nothing is left.
export function stapFrame(line: string): string {
  let f = line.replace(/^\s+/, '');
  const plus = f.lastIndexOf('+');
  if (plus >= 0) f = f.slice(0, plus);
  const sep = f.lastIndexOf(' : ');
  if (sep >= 0) f = f.slice(sep + 3);
  return f === '' ? '-' : f;
}

export function createStapCollapser(opts: StapCollapseOptions = {}): StapCollapser {
  const stacks: Folded = new Map();
  const report: StapParseReport = { skipped: 0, examples: [], stacks: 0, unresolvedLua: 0, unresolvedLuaExamples: [] };
  const fixer = opts.fixLuaBt ? createLuaBtFixer(opts.fixLuaBt) : undefined;
  let frames: string[] = [];

  const push = (raw: string): void => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = COUNT.exec(line);
    if (m) {
      // The script joins the frames it unshifted: outermost first.
      const key = frames.reverse().join(';');
      stacks.set(key, (stacks.get(key) ?? 0) + Number(m[1]));
      report.stacks++;
      frames = [];
      return;
    }
    if (BLANK.test(line)) return;
    let text = line;
    if (fixer) {
      const fixed = fixer.fix(line);
      if (fixed.unresolved) {
        report.unresolvedLua++;
        if (report.unresolvedLuaExamples.length < 5) report.unresolvedLuaExamples.push(fixed.unresolved);
      }
      text = fixed.line;
    }
    frames.push(stapFrame(text));
  };
  const splitter = lineSplitter(push);

  return {
    push,
    write: splitter.write,
    finish() {
      splitter.end();
      // Frames after the last count line have no count: the script drops them too; say so.
      if (frames.length > 0) {
        report.skipped += frames.length;
        report.examples.push(`${frames.length} trailing frame line(s) without a count line`);
        frames = [];
      }
      return { stacks, report };
    },
  };
}

export function collapseStap(text: string, opts: StapCollapseOptions = {}): { stacks: Folded; report: StapParseReport } {
  return collapseText(createStapCollapser(opts), text);
}

export function collapseStapStream(input: Readable, opts: StapCollapseOptions = {}): Promise<{ stacks: Folded; report: StapParseReport }> {
  return collapseStream(createStapCollapser(opts), input);
}
