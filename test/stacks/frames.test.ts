import { describe, expect, it } from 'vitest';
import { frameKind, type FrameKind } from '../../src/stacks/frames.js';

/**
 * The one frame model (src/stacks/frames.ts): the flame graph colours by it and the report's tables
 * label by it, so its cases live here once (they were two lists, in test/flamegraph/render.test.ts
 * and test/report/frames.test.ts).
 */
describe('frameKind', () => {
  it('classifies kernel, JIT, inline, Lua, unknown and native frames', () => {
    const cases: Array<[name: string, kind: FrameKind]> = [
      ['tcp_sendmsg_[k]', 'kernel'],
      ['lj_vm_foo_[j]', 'jit'],
      ['inlined_[i]', 'inline'],
      ['foo_[i]', 'inline'],
      ['@/usr/local/openresty/lualib/resty/core/base.lua:42', 'lua'],
      ['resty/limit.lua:12', 'lua'],
      ['resty/core/regex.lua:967', 'lua'],
      ['/tmp/run/nginx/prefix/lua/work.lua:encode_json', 'lua'],
      ['content_by_lua(nginx.conf:40):3', 'lua'],
      ['content_by_lua(nginx.conf:14):3', 'lua'],
      ['=[C]', 'lua'],
      ['builtin#29', 'lua'],
      ['builtin#string.format', 'lua'],
      // The LuaJIT VM's state frames are Lua time, in the graph as in the report's tables (the graph had them grey 'unknown').
      ['[vm:GC]', 'lua'],
      // A frame without a symbol is 'unknown' (the report called it 'dso'), C code 'native' (the report said 'c').
      ['[unknown]', 'unknown'],
      ['[libc.so.6]', 'unknown'],
      ['[nginx]', 'unknown'],
      ['ngx_http_lua_content_by_chunk', 'native'],
      ['ngx_http_lua_run_thread', 'native'],
      ['ngx_http_core_run_phases', 'native'],
    ];
    for (const [name, kind] of cases) expect(frameKind(name), name).toBe(kind);
  });

  it('a name without a marker is Lua in a Lua-land profile (jit.profile frames such as ngx.md5)', () => {
    expect(frameKind('ngx.md5', 'lua')).toBe('lua');
  });
});
