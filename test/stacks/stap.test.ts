import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFolded } from '../../src/stacks/folded.js';
import { collapseStap, stapFrame } from '../../src/stacks/stap.js';
import { createLuaBtFixer, luaFunctionAt, luaModuleName } from '../../src/stacks/lua-bt.js';

const fx = (name: string) => readFileSync(new URL(`../fixtures/stap/${name}`, import.meta.url), 'utf8');

describe('collapseStap (stackcollapse-stap.pl)', () => {
  it('collapses the documented kernel example to the documented output', () => {
    // stackcollapse-stap.pl's header: "start_kernel,rest_init,cpu_idle,default_idle,native_safe_halt 2404"
    // (its code joins with ";", which is what it really prints)
    expect(formatFolded(collapseStap(fx('sample-bt-kernel.bt')).stacks)).toBe(
      'start_kernel;rest_init;cpu_idle;default_idle;native_safe_halt 2404\n',
    );
  });
  it('collapses print_ustack output, root first, offsets and addresses stripped', () => {
    const { stacks, report } = collapseStap(fx('sample-bt-user.bt'));
    expect(report.stacks).toBe(2);
    expect(stacks.get(
      '_start;__libc_start_main;main;ngx_master_process_cycle;ngx_start_worker_processes;ngx_spawn_process;ngx_worker_process_cycle;ngx_process_events_and_timers;ngx_epoll_process_events;__epoll_wait_nocancel',
    )).toBe(46);
    const second = [...stacks.keys()].find((k) => k.includes('SSL_do_handshake'));
    // the unresolved libc frame keeps what the script keeps: "<addr> [<dso>"
    expect(second?.split(';')[0]).toBe('0x7fa5c3a02555 [/usr/lib64/libc-2.17.so');
    expect(second?.endsWith('ngx_ssl_handshake;SSL_do_handshake')).toBe(true);
  });
  it('keeps raw ngx-sample-lua-bt frames without fix-lua-bt', () => {
    const { stacks } = collapseStap(fx('ngx-sample-lua-bt.bt'));
    expect(stacks.get('content_by_lua:1;content_by_lua:2;C:lj_cf_string_find')).toBe(5);
    expect([...stacks.keys()][0]).toContain('@/home/agentzh/git/lua-resty-mysql/lib/resty/mysql.lua:711;');
  });
  it('tidies frames as the script does', () => {
    expect(stapFrame(' 0x4260d2 : ngx_process_events_and_timers+0xd6/0x165 [/usr/local/nginx/sbin/nginx]')).toBe('ngx_process_events_and_timers');
    expect(stapFrame('   ')).toBe('-');
  });
  it('streams across arbitrary chunk boundaries', async () => {
    const { createStapCollapser } = await import('../../src/stacks/stap.js');
    const text = fx('sample-bt-user.bt');
    const c = createStapCollapser();
    for (let i = 0; i < text.length; i += 5) c.write(text.slice(i, i + 5));
    expect(formatFolded(c.finish().stacks)).toBe(formatFolded(collapseStap(text).stacks));
  });
});

describe('fix-lua-bt', () => {
  // A lua-resty-mysql-shaped source: the functions the README names, on the lines it names.
  const lines = Array.from({ length: 720 }, (_, i) => `-- line ${i + 1}`);
  lines[64] = 'local function _get_byte3(data, i)';
  lines[175] = 'local function _recv_packet(self)';
  lines[417] = 'local function _recv_field_packet(self)';
  lines[710] = 'local function read_result(self, est_nrows)';
  lines[99] = 'local handler = function (self)';
  const mysqlLua = lines.join('\n') + '\n';
  const reads: string[] = [];
  const reader = (p: string) => {
    reads.push(p);
    return p === '/home/agentzh/git/lua-resty-mysql/lib/resty/mysql.lua' ? mysqlLua : null;
  };

  it('gives the README result for the README input', () => {
    const { stacks, report } = collapseStap(fx('ngx-sample-lua-bt.bt'), { fixLuaBt: reader });
    expect(stacks.get('resty.mysql:read_result;resty.mysql:_recv_field_packet;resty.mysql:_recv_packet;resty.mysql:_get_byte3;C:0x7fe9faf52dd0')).toBe(17);
    expect(report.unresolvedLua).toBe(0);
    expect(reads.filter((p) => p.endsWith('mysql.lua'))).toHaveLength(1); // sources are read once
  });
  it('names modules and functions like the Perl script', () => {
    expect(luaModuleName('/usr/local/openresty/lualib/resty/core/base.lua')).toBe('resty.core.base');
    expect(luaModuleName('/srv/app/my-handler.lua')).toBe('my-handler.lua');
    expect(luaModuleName('=content_by_lua')).toBe('=content_by_lua');
    expect(luaModuleName('/x/lib/resty/lrucache-pure.lua')).toBe('resty.lrucache_pure');
    expect(luaFunctionAt(mysqlLua, 100)).toBe('handler');
    expect(luaFunctionAt(mysqlLua, 5)).toBe('5');
    expect(luaFunctionAt(mysqlLua, 5000)).toBeNull();
  });
  it('leaves unresolvable frames as printed and reports them', () => {
    const fixer = createLuaBtFixer(() => null);
    expect(fixer.fix('@/nowhere/x.lua:3')).toEqual({ line: '@/nowhere/x.lua:3', unresolved: '/nowhere/x.lua:3: source not readable' });
    expect(fixer.fix('C:lj_cf_string_find')).toEqual({ line: 'C:lj_cf_string_find' });
    const { report } = collapseStap('@/a/b.lua:9\n\t1\n', { fixLuaBt: (p) => (p === '/a/b.lua' ? 'x\n' : null) });
    expect(report.unresolvedLua).toBe(1);
    expect(report.unresolvedLuaExamples[0]).toContain('no such line');
  });
});
