import { describe, expect, it } from 'vitest';
import { relativizeLuaFrames, SYSTEM_LUA_ROOTS } from '../../src/stacks/lua-paths.js';

describe('relativizeLuaFrames', () => {
  it('makes Lua frames independent of the run directory and the system Lua root, merging what becomes equal', () => {
    const stacks = new Map([
      ['content_by_lua(nginx.conf:12):0;/r/1/nginx/prefix/lua/work.lua:handle;/usr/share/lua/5.1/resty/core/regex.lua:re_gsub', 3],
      ['content_by_lua(nginx.conf:12):0;@/r/1/nginx/prefix/lua/work.lua:handle;/usr/share/lua/5.1/resty/core/regex.lua:re_gsub', 2],
      ['ngx_http_lua_run_thread;/elsewhere/x.lua:f', 1],
    ]);
    const out = relativizeLuaFrames(stacks, ['/r/1/nginx/prefix', ...SYSTEM_LUA_ROOTS]);
    expect([...out]).toEqual([
      ['content_by_lua(nginx.conf:12):0;lua/work.lua:handle;resty/core/regex.lua:re_gsub', 5],
      ['ngx_http_lua_run_thread;/elsewhere/x.lua:f', 1],
    ]);
  });
  it('prefers the longest matching root', () => {
    const out = relativizeLuaFrames(new Map([['/a/b/c.lua:f', 1]]), ['/a/', '/a/b/']);
    expect([...out.keys()]).toEqual(['c.lua:f']);
  });
});
