/**
 * Names of JIT-compiled Lua code in C-level (perf) stacks, made stable across runs.
 *
 * perf names code in anonymous memory from /tmp/perf-<pid>.map; stackcollapse-perf.pl's rules
 * (with --jit) give `<symbol>_[j]`, or `[perf-<pid>.map]_[j]` when no symbol covers the address.
 * Both carry run-specific parts (a pid, a trace number, the run directory), so two runs' graphs
 * would never match frame by frame. This pass renames them:
 *
 *   /run/dir/nginx/prefix/lua/work.lua:34 T7:36_[j]   (flamebench's agent map, see agent.lua)
 *     → lua/work.lua:escape_string_[j]                 (named as the lua probe names it)
 *   TRACE_7::/usr/share/lua/5.1/resty/core/regex.lua:1208_[j]   (LuaJIT's own LUAJIT_USE_PERFTOOLS map)
 *     → resty/core/regex.lua:1208_[j]                  (that map has only the trace's start line)
 *   [perf-9739.map]_[j]  → [jit]_[j]                   (no symbol: code of an unknown trace)
 *
 * Trace numbers stay in the raw map (raw/perf-<pid>.map), not in frame names.
 */
import { relativizeLuaFrames } from '../stacks/lua-paths.js';
import { luaFunctionAt, type LuaSourceReader } from '../stacks/lua-bt.js';
import type { Folded } from '../stacks/folded.js';

export const UNNAMED_JIT_FRAME = '[jit]';
const JIT_TAG = '_[j]';

/** `<chunk>:<line defined> T<trace>:<start line>`, chunk %-escaped by the agent. */
const AGENT_NAME = /^(.+):(\d+) T\d+:\d+$/;
/** LuaJIT's perftools map: `TRACE_<n>::<chunk>:<start line>`. */
const PERFTOOLS_NAME = /^TRACE_\d+::(.+):(\d+)$/;
/** The collapser's name for an address in a perf map no symbol covers. */
const UNRESOLVED = /^\[perf-\d+\.map\]$/;

export interface JitNaming {
  /** Lua roots the paths are made relative to (the run's nginx prefix, system Lua dirs). */
  roots: readonly string[];
  /** Reads a Lua file (by absolute path) to find the name of the function defined on a line. */
  read: LuaSourceReader;
}

export interface JitNamingReport {
  stacks: Folded;
  /** Weight of samples whose leaf is JIT code, named or not. */
  jitLeafWeight: number;
  /** …of which no symbol named the code. */
  unnamedLeafWeight: number;
}

/**
 * The function name the way LuaJIT's dumpstack names a function called as a field or method:
 * the last part of `function a.b:c(` or `a.b.c = function(`; otherwise fix-lua-bt's reading of
 * the line (stacks/lua-bt.ts); the line number when the line defines nothing recognisable.
 */
export function luaDefinedName(source: string, line: number): string {
  if (line <= 0) return String(line);
  const text = source.split('\n')[line - 1];
  if (text === undefined) return String(line);
  const dotted = /function\s+[\w.:]*?(\w+)\s*\(/.exec(text) ?? /([\w.:]*?\w+)\s*=\s*function\s*\(/.exec(text);
  if (dotted) return (dotted[1] as string).split(/[.:]/).pop() as string;
  return luaFunctionAt(source, line) ?? String(line);
}

function decodeChunk(chunk: string): string {
  return chunk.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * One frame's stable name, or the frame unchanged when it is not JIT code. The `_[j]` tag is
 * kept as found (the offcpu collapser does not tag JIT frames).
 */
export function stableJitFrame(frame: string, read: LuaSourceReader, cache: Map<string, string | null>): string {
  const tagged = frame.endsWith(JIT_TAG);
  const bare = tagged ? frame.slice(0, -JIT_TAG.length) : frame;
  const tag = tagged ? JIT_TAG : '';
  if (UNRESOLVED.test(bare)) return UNNAMED_JIT_FRAME + tag;
  const ours = AGENT_NAME.exec(bare);
  if (ours) {
    const chunk = decodeChunk(ours[1] as string);
    const line = Number(ours[2]);
    let source = cache.get(chunk);
    if (source === undefined) {
      source = chunk.startsWith('/') ? read(chunk) : null;
      cache.set(chunk, source);
    }
    return `${chunk}:${source === null ? String(line) : luaDefinedName(source, line)}${tag}`;
  }
  const luajit = PERFTOOLS_NAME.exec(bare);
  if (luajit) return `${luajit[1] as string}:${luajit[2] as string}${tag}`;
  return frame;
}

/** Renames every JIT frame (see the file comment) and makes Lua paths relative. */
export function stableJitFrames(stacks: Folded, naming: JitNaming): JitNamingReport {
  const cache = new Map<string, string | null>();
  const renamed: Folded = new Map();
  let jitLeafWeight = 0;
  let unnamedLeafWeight = 0;
  for (const [stack, count] of stacks) {
    const frames = stack.split(';').map((f) => stableJitFrame(f, naming.read, cache));
    const leaf = frames[frames.length - 1] as string;
    if (leaf.endsWith(JIT_TAG) || leaf === UNNAMED_JIT_FRAME) {
      jitLeafWeight += count;
      if (leaf.startsWith(UNNAMED_JIT_FRAME)) unnamedLeafWeight += count;
    }
    const key = frames.join(';');
    renamed.set(key, (renamed.get(key) ?? 0) + count);
  }
  return { stacks: relativizeLuaFrames(renamed, naming.roots), jitLeafWeight, unnamedLeafWeight };
}

/** A frame that names code: not `[something]` (an unknown symbol shown as its DSO, `[jit]`, …). */
export function isNamedFrame(frame: string): boolean {
  return !/^\[[^\]]*\](_\[[kji]\])?$/.test(frame);
}

/** Share (%) of the weight whose leaf frame satisfies `test`, one decimal. */
export function leafShare(stacks: Folded, test: (leaf: string) => boolean): number {
  let hit = 0;
  let total = 0;
  for (const [stack, count] of stacks) {
    total += count;
    if (test(stack.slice(stack.lastIndexOf(';') + 1))) hit += count;
  }
  return total === 0 ? 0 : Math.round((hit / total) * 1000) / 10;
}

/** Share (%) of the weight whose leaf frame names code, one decimal. */
export function namedLeafShare(stacks: Folded): number {
  return leafShare(stacks, isNamedFrame);
}
