/**
 * openresty-systemtap-toolkit's fix-lua-bt, as a pure function over a source reader.
 * ngx-sample-lua-bt prints a Lua frame as the chunk name and the line where the function is
 * defined ("@/home/u/lua-resty-mysql/lib/resty/mysql.lua:65"); fix-lua-bt replaces the line by
 * "<module>:<function>" where the function name is read from that source line
 * ("function _get_byte3(" or "x = function("), the line number when neither matches.
 */

/** Returns a Lua file's text, or null when it cannot be read. */
export type LuaSourceReader = (path: string) => string | null;

export interface FixedLine {
  line: string;
  /** Set when the line was a Lua frame that could not be resolved (it is then left unchanged). */
  unresolved?: string;
}

/**
 * The module part, as fix-lua-bt names it: a path under a ".../lib/" directory becomes a
 * dotted module ("lib/resty/core/base.lua" → "resty.core.base", "-" → "_"); otherwise the
 * file name ("app.lua"); otherwise the path as printed.
 */
export function luaModuleName(path: string): string {
  const lib = /lib((?:\/[-\w]+)+)\.lua/.exec(path);
  if (lib) return (lib[1] as string).replace(/^\//, '').replace(/\//g, '.').replace(/-/g, '_');
  const file = /[-\w]+\.lua/.exec(path);
  if (file) return file[0];
  return path;
}

/** The function defined on line `ln` (1-based) of `source`; the line number itself when none is; null when the line does not exist. */
export function luaFunctionAt(source: string, ln: number): string | null {
  const lines = source.split('\n');
  if (ln < 1 || ln > lines.length || (ln === lines.length && lines[ln - 1] === '')) return null;
  const text = lines[ln - 1] as string;
  const named = /function\s+(\w+)\s*\(/.exec(text);
  if (named) return named[1] as string;
  const assigned = /(\S+)\s*=\s*function\s*\(/.exec(text);
  if (assigned) return assigned[1] as string;
  return String(ln);
}

export function createLuaBtFixer(read: LuaSourceReader): { fix(line: string): FixedLine } {
  const resolved = new Map<string, string | null>();
  const sources = new Map<string, string | null>();
  return {
    fix(line: string): FixedLine {
      // `/\@(.*):(\d+)/`: greedy, so the last ":<digits>" after the first "@"
      const m = /@(.*):(\d+)/.exec(line);
      if (!m) return { line };
      const path = m[1] as string;
      const ln = Number(m[2]);
      const key = `${path}:${ln}`;
      let out = resolved.get(key);
      if (out === undefined) {
        let src = sources.get(path);
        if (src === undefined) {
          src = read(path);
          sources.set(path, src);
        }
        const func = src === null ? null : luaFunctionAt(src, ln);
        out = func === null ? null : `${luaModuleName(path)}:${func}`;
        resolved.set(key, out);
      }
      if (out === null) return { line, unresolved: `${key}: ${sources.get(path) === null ? 'source not readable' : 'no such line'}` };
      return { line: out };
    },
  };
}
