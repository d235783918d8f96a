/**
 * The one frame model: what kind of code a frame name stands for, and its annotations. The flame
 * graph colours by it and the report labels its tables by it, so a frame is the same kind in both.
 */

/** The kinds of frame: C code, and flamegraph.pl's annotated kinds, Lua code, perf's frames without a symbol, and `-`/`--` separators. */
export type FrameKind = 'native' | 'kernel' | 'jit' | 'inline' | 'waker' | 'lua' | 'unknown' | 'separator';

/** flamegraph.pl's annotations: `_[k]` kernel, `_[j]` JIT, `_[i]` inline, `_[w]` waker (off-wake graphs). */
const ANNOTATION = /_\[([kjiw])\]$/;
const ANNOTATED: Record<string, FrameKind> = { k: 'kernel', j: 'jit', i: 'inline', w: 'waker' };

// Lua frames as LuaJIT's jit.profile dumpstack, ngx-sample-lua-bt and fix-lua-bt print them:
// `@/path/file.lua:12`, `=[C]`-style chunk names, `file.lua:12`, `builtin#29`, OpenResty's inline
// chunks `content_by_lua(nginx.conf:40):3`, and the LuaJIT VM states the Lua probe reports
// (`[vm:GC]`, `[vm:interpreter]`): time of the Lua VM, not of an unresolved C function.
const LUA = /^[@=]|\.lua(?::|$)|^builtin#|_by_lua\w*\(|^\[vm:/;
// perf's unresolved frames: `[unknown]`, and the `[libc.so.6]` / `[nginx]` dso frames
// stackcollapse-perf.pl substitutes for them.
const UNKNOWN = /^\[[^\]]*\]$/;

/**
 * The kind of a frame from its name. `unmarked` is the kind of a name that carries no marker:
 * 'native' for C-level probes, 'lua' for Lua-land ones (jit.profile frames such as "ngx.md5").
 */
export function frameKind(name: string, unmarked: 'native' | 'lua' = 'native'): FrameKind {
  const a = ANNOTATION.exec(name);
  if (a) return ANNOTATED[a[1]!]!;
  if (name === '-' || name === '--') return 'separator';
  if (LUA.test(name)) return 'lua';
  if (UNKNOWN.test(name)) return 'unknown';
  return unmarked;
}

/** The name without its annotation, for display. */
export function displayName(name: string): string {
  return name.length > 4 && name.charCodeAt(name.length - 1) === 93 /* ] */ ? name.replace(ANNOTATION, '') : name;
}
