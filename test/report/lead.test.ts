import { describe, expect, it } from 'vitest';
import type { ProbeOnDisk } from '../../src/runs/load.js';
import { luaShareOfC, probeOrder, whereTimeGoes } from '../../src/report/model/lead.js';
import type { Folded } from '../../src/stacks/folded.js';

function probe(id: string, kind: string, stacks: Array<[string, number]>, status: 'ok' | 'failed' = 'ok'): ProbeOnDisk {
  return { status: { id, kind, status, warnings: [] }, meta: null, folded: new Map(stacks), foldedReport: null, problems: [] };
}

const LUA_HEAVY: Array<[string, number]> = [
  ['nginx;lua/work.lua:escape_string_[j];lj_str_new', 50],
  ['nginx;main;ngx_http_lua_run_thread;lj_BC_FUNCC;lj_tab_new', 30],
  ['nginx;main;ngx_process_events_and_timers;epoll_wait;do_syscall_64_[k]', 20],
];
const C_HEAVY: Array<[string, number]> = [
  ['nginx;main;ngx_http_proxy_handler;memcpy', 70],
  ['nginx;main;ngx_http_lua_run_thread;[libluajit-5.1.so.2.1.0]', 30],
];
const LUA_LAND: Array<[string, number]> = [
  ['content_by_lua(nginx.conf:12):0;lua/work.lua:handle;lua/work.lua:escape_string;[vm:compiled]', 40],
  ['content_by_lua(nginx.conf:12):0;lua/work.lua:handle;lua/work.lua:build_records;[vm:GC]', 10],
];

describe('the report leads with the most telling graph', () => {
  it('luaShareOfC: stacks through JIT code, the LuaJIT VM or the Lua module\'s thread runner', () => {
    expect(luaShareOfC(new Map(LUA_HEAVY))).toBeCloseTo(0.8);
    expect(luaShareOfC(new Map(C_HEAVY))).toBeCloseTo(0.3);
    expect(luaShareOfC(new Map() as Folded)).toBeNull();
  });

  it('Lua-land first when most C samples are in Lua; the scenario\'s order otherwise', () => {
    const lua = probeOrder([probe('cpu', 'cpu', LUA_HEAVY), probe('off', 'offcpu', [['a;b', 5]]), probe('lua', 'lua', LUA_LAND)]);
    expect(lua.order).toEqual([2, 0, 1]);
    expect(lua.note).toBe('The Lua-land graph comes first: 80% of the on-CPU samples of probe cpu are in Lua code (JIT-compiled traces, the LuaJIT VM).');
    expect(probeOrder([probe('cpu', 'cpu', C_HEAVY), probe('lua', 'lua', LUA_LAND)])).toEqual({ order: [0, 1], note: '' });
    // no cpu probe: the Lua-land graph is the telling one
    expect(probeOrder([probe('off', 'offcpu', [['a;b', 5]]), probe('lua', 'lua', LUA_LAND)]).order).toEqual([1, 0]);
    // a failed lua probe never leads
    expect(probeOrder([probe('cpu', 'cpu', LUA_HEAVY), probe('lua', 'lua', LUA_LAND, 'failed')]).order).toEqual([0, 1]);
  });

  it('where the time goes: the top self frames per probe, in display order, state pseudo-frames not counted as leaves', () => {
    const probes = [probe('cpu', 'cpu', LUA_HEAVY), probe('lua', 'lua', LUA_LAND)];
    const rows = whereTimeGoes(probes, [1, 0], ['probe-0-cpu', 'probe-1-lua']);
    expect(rows.map((r) => r.probe)).toEqual(['lua', 'cpu']);
    expect(rows[0]?.anchor).toBe('probe-1-lua');
    expect(rows[0]?.frames).toEqual([
      { name: 'lua/work.lua:escape_string', kind: 'lua', share: '80.0%' },
      { name: 'lua/work.lua:build_records', kind: 'lua', share: '20.0%' },
    ]);
    expect(rows[1]?.frames.map((f) => [f.name, f.kind, f.share])).toEqual([
      ['lj_str_new', 'native', '50.0%'],
      ['lj_tab_new', 'native', '30.0%'],
      ['do_syscall_64', 'kernel', '20.0%'],
    ]);
  });

  it('off-CPU C stacks: the user-space frame where the wait began, not the scheduler every stack ends in', () => {
    const off = probe('offcpu', 'offcpu', [
      ['nginx;main;ngx_process_events_and_timers;epoll_wait;entry_SYSCALL_64_[k];schedule_[k];__schedule_[k];[state:S]', 70],
      ['nginx;main;ngx_http_lua_run_thread;write;entry_SYSCALL_64_[k];__schedule_[k];[state:R]', 30],
      ['swapper_[k];__schedule_[k];[state:R]', 5],
    ]);
    const [row] = whereTimeGoes([off], [0], ['probe-0-offcpu']);
    expect(row?.label).toBe('off-CPU, C stacks (perf sched_switch), where the wait began in user space');
    expect(row?.frames.map((f) => [f.name, f.share])).toEqual([
      ['epoll_wait', '66.7%'],
      ['write', '28.6%'],
      ['__schedule', '4.8%'],
    ]);
  });
});
