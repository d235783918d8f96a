import type { Folded } from './folded.js';

/**
 * Where Lua code is loaded from by OpenResty and Debian's lua module. Frames under these roots are
 * shown relative to them: the run directory differs on every run, and a frame named after it
 * would never match between two runs in a comparison.
 */
export const SYSTEM_LUA_ROOTS = [
  '/usr/local/openresty/lualib/',
  '/usr/local/openresty/site/lualib/',
  '/usr/share/lua/5.1/',
  '/usr/local/share/lua/5.1/',
  '/usr/lib/x86_64-linux-gnu/lua/5.1/',
  '/usr/lib/aarch64-linux-gnu/lua/5.1/',
];

/** Rewrites `<root>path/file.lua:fn` frames to `path/file.lua:fn` (also with LuaJIT's `@` source prefix). */
export function relativizeLuaFrames(stacks: Folded, roots: readonly string[]): Folded {
  const sorted = roots.map((r) => (r.endsWith('/') ? r : `${r}/`)).sort((a, b) => b.length - a.length);
  const rewrite = (frame: string): string => {
    const at = frame.startsWith('@') ? 1 : 0;
    for (const root of sorted) {
      if (frame.startsWith(root, at)) return frame.slice(at + root.length);
    }
    return frame;
  };
  const out: Folded = new Map();
  for (const [stack, count] of stacks) {
    const key = stack.split(';').map(rewrite).join(';');
    out.set(key, (out.get(key) ?? 0) + count);
  }
  return out;
}
