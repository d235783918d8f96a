import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isNamedFrame, luaDefinedName, namedLeafShare, stableJitFrame, stableJitFrames } from '../../src/probes/jit-frames.js';
import { exposePerfMaps, pcreJitRegions, PCRE_JIT_NAME, sweepPerfMaps, tmpPerfMap } from '../../src/probes/perf-maps.js';
import type { Folded } from '../../src/stacks/folded.js';

const WORK = [
  'local _M = {}',
  'local function build_records(n, seed)',
  '  return {}',
  'end',
  'function _M.handle(n)',
  'end',
  'local helper = function(x) return x end',
  '_M.obj.method = function(self) end',
  'return _M',
].join('\n');

describe('luaDefinedName', () => {
  it('names a function as dumpstack does: the last part of a dotted or method name', () => {
    expect(luaDefinedName(WORK, 2)).toBe('build_records');
    expect(luaDefinedName(WORK, 5)).toBe('handle');
    expect(luaDefinedName(WORK, 7)).toBe('helper');
    expect(luaDefinedName(WORK, 8)).toBe('method');
  });
  it('falls back to the line number (a main chunk is line 0, a line past the end stays a number)', () => {
    expect(luaDefinedName(WORK, 0)).toBe('0');
    expect(luaDefinedName(WORK, 3)).toBe('3');
    expect(luaDefinedName(WORK, 99)).toBe('99');
  });
});

describe('stableJitFrame', () => {
  const prefix = '/srv/reports/20261204-1-lua-work/nginx/prefix/';
  const read = (file: string) => (file === `${prefix}lua/work.lua` ? WORK : null);
  const roots = [prefix, '/usr/share/lua/5.1/'];

  it('turns the agent map name into file:function with the JIT tag, dropping the trace number', () => {
    const cache = new Map<string, string | null>();
    expect(stableJitFrame(`${prefix}lua/work.lua:2 T17:3_[j]`, read, cache)).toBe(`${prefix}lua/work.lua:build_records_[j]`);
    // untagged (the offcpu collapser does not tag): renamed, still untagged
    expect(stableJitFrame(`${prefix}lua/work.lua:5 T3:5`, read, cache)).toBe(`${prefix}lua/work.lua:handle`);
  });

  it('decodes the agent\'s %-escapes (inline chunks carry parentheses)', () => {
    const f = stableJitFrame('content_by_lua%28nginx.conf:347%29:0 T2:4_[j]', read, new Map());
    expect(f).toBe('content_by_lua(nginx.conf:347):0_[j]');
  });

  it('an unresolved map address is [jit], whatever the pid', () => {
    expect(stableJitFrame('[perf-9739.map]_[j]', read, new Map())).toBe('[jit]_[j]');
    expect(stableJitFrame('[perf-9667.map]', read, new Map())).toBe('[jit]');
  });

  it("LuaJIT's own perftools names lose the trace number", () => {
    expect(stableJitFrame('TRACE_7::/usr/share/lua/5.1/resty/core/regex.lua:1208_[j]', read, new Map())).toBe('/usr/share/lua/5.1/resty/core/regex.lua:1208_[j]');
  });

  it('leaves C frames alone', () => {
    for (const f of ['lj_str_new', 'ngx_http_lua_run_thread', '[nginx]', 'do_syscall_64_[k]']) expect(stableJitFrame(f, read, new Map())).toBe(f);
  });

  it('two runs with different pids, trace numbers and run directories give the same folded stacks', () => {
    const run = (dir: string, pid: number, trace: number): Folded =>
      new Map([
        [`nginx;${dir}lua/work.lua:2 T${trace}:3_[j];lj_tab_new`, 5],
        [`nginx;[perf-${pid}.map]_[j]`, 2],
        [`nginx;main;ngx_http_lua_run_thread;/usr/share/lua/5.1/resty/core/regex.lua:513 T${trace + 1}:513_[j]`, 3],
      ]);
    const a = stableJitFrames(run(prefix, 1234, 4), { roots, read });
    const other = '/srv/reports/20261205-2-lua-work/nginx/prefix/';
    const b = stableJitFrames(run(other, 98765, 11), { roots: [other, ...roots.slice(1)], read: (f) => (f === `${other}lua/work.lua` ? WORK : null) });
    expect([...a.stacks]).toEqual([...b.stacks]);
    expect([...a.stacks.keys()]).toEqual([
      'nginx;lua/work.lua:build_records_[j];lj_tab_new',
      'nginx;[jit]_[j]',
      'nginx;main;ngx_http_lua_run_thread;resty/core/regex.lua:513_[j]',
    ]);
    expect(a.jitLeafWeight).toBe(5);
    expect(a.unnamedLeafWeight).toBe(2);
  });
});

describe('namedLeafShare', () => {
  it('counts leaves that name code; [dso], [unknown] and [jit] do not', () => {
    expect(isNamedFrame('lj_str_new')).toBe(true);
    expect(isNamedFrame('lua/work.lua:handle_[j]')).toBe(true);
    expect(isNamedFrame('[libluajit-5.1.so.2.1.0]')).toBe(false);
    expect(isNamedFrame('[jit]_[j]')).toBe(false);
    const stacks: Folded = new Map([
      ['a;lj_str_new', 6],
      ['a;[libluajit-5.1.so.2.1.0]', 3],
      ['a;[jit]_[j]', 1],
    ]);
    expect(namedLeafShare(stacks)).toBe(60);
    expect(namedLeafShare(new Map())).toBe(0);
  });
});

describe('pcreJitRegions', () => {
  it('names anonymous rwx mappings (PCRE JIT), not r-x ones (LuaJIT mcode) nor file mappings', () => {
    const maps = [
      '7ff620650000-7ff620660000 rwxp 00000000 00:00 0 ',
      '7ff656af0000-7ff656b00000 r-xp 00000000 00:00 0 ',
      '7ff62139d000-7ff62139f000 r-xp 00000000 00:00 0                          [vdso]',
      '55d0c0a00000-55d0c0b00000 rwxp 00000000 08:01 1234                       /usr/sbin/nginx',
    ].join('\n');
    expect(pcreJitRegions(maps)).toEqual([`7ff620650000 10000 ${PCRE_JIT_NAME}`]);
  });
});

describe('exposePerfMaps / sweepPerfMaps (in a private directory standing for /tmp)', () => {
  let dirs: string[] = [];
  const tmpdir = (name: string) => {
    const d = mkdtempSync(path.join(os.tmpdir(), `fb-maps-${name}-`));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });
  // pids no process has: /proc/<pid>/maps does not exist, so no PCRE regions are added
  const pidA = 4_000_001;
  const pidB = 4_000_002;

  it('links the agent map for perf while needed, moves LuaJIT\'s own file into raw/, leaves nothing behind', () => {
    const raw = tmpdir('raw');
    const fakeTmp = tmpdir('tmp');
    writeFileSync(path.join(raw, `perf-${pidA}.map`), '7f00 10 /x/lua/work.lua:2 T1:2\n');
    writeFileSync(tmpPerfMap(pidA, fakeTmp), '7f00 10 TRACE_1::/x/lua/work.lua:2\n'); // LuaJIT perftools
    const first = exposePerfMaps([pidA, pidB], raw, fakeTmp);
    const second = exposePerfMaps([pidA], raw, fakeTmp); // offcpu post-processing at the same time
    expect(first.agentPids).toEqual([pidA]);
    expect(lstatSync(tmpPerfMap(pidA, fakeTmp)).isSymbolicLink()).toBe(true);
    expect(readFileSync(readlinkSync(tmpPerfMap(pidA, fakeTmp)), 'utf8')).toContain('T1:2');
    expect(readFileSync(path.join(raw, `perf-${pidA}.luajit.map`), 'utf8')).toContain('TRACE_1');
    expect(existsSync(tmpPerfMap(pidB, fakeTmp))).toBe(false);
    first.release();
    expect(existsSync(tmpPerfMap(pidA, fakeTmp))).toBe(true); // still used by the second
    second.release();
    second.release();
    expect(existsSync(tmpPerfMap(pidA, fakeTmp))).toBe(false);
  });

  it('without an agent map, LuaJIT\'s own map is used, and the sweep after nginx stops removes late ones', () => {
    const raw = tmpdir('raw');
    const fakeTmp = tmpdir('tmp');
    writeFileSync(tmpPerfMap(pidA, fakeTmp), '7f00 10 TRACE_1::/x/a.lua:2\n');
    const maps = exposePerfMaps([pidA], raw, fakeTmp);
    expect(maps.luajitPids).toEqual([pidA]);
    expect(readFileSync(tmpPerfMap(pidA, fakeTmp), 'utf8')).toContain('TRACE_1');
    maps.release();
    expect(existsSync(tmpPerfMap(pidA, fakeTmp))).toBe(false);
    writeFileSync(tmpPerfMap(pidB, fakeTmp), '7f00 10 TRACE_9::/x/a.lua:2\n'); // first trace after the probes stopped
    expect(sweepPerfMaps([pidA, pidB], raw, fakeTmp)).toEqual([pidB]);
    expect(existsSync(tmpPerfMap(pidB, fakeTmp))).toBe(false);
    expect(readFileSync(path.join(raw, `perf-${pidB}.luajit.map`), 'utf8')).toContain('TRACE_9');
  });
});
