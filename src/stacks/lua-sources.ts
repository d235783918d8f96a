/**
 * The one Lua source reader for fix-lua-bt (turning `file:line` into the function name), used by
 * `collapse stap --fix-lua-bt/--lua-root` and the systemtap probe alike, so both name a frame the
 * same way. Lookup under `root`: the path as printed, the part after `/lib/` (with and without
 * `lib/`), the file name; then the printed path itself when it is absolute (or there is no root).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LuaSourceReader } from './lua-bt.js';

export function luaSourceReader(root: string | undefined): LuaSourceReader {
  return (path: string) => {
    for (const p of luaSourceCandidates(path, root)) {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        // next candidate
      }
    }
    return null;
  };
}

/** Where a printed Lua path is looked for, in order (pure: tested without files). */
export function luaSourceCandidates(path: string, root: string | undefined): string[] {
  const candidates: string[] = [];
  if (root !== undefined) {
    candidates.push(join(root, path));
    const lib = path.lastIndexOf('/lib/');
    if (lib >= 0) candidates.push(join(root, path.slice(lib + 5)), join(root, path.slice(lib + 1)));
    candidates.push(join(root, path.slice(path.lastIndexOf('/') + 1)));
  }
  if (isAbsolute(path) || root === undefined) candidates.push(path);
  return candidates;
}
