import { describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { luaInjection } from '../../src/probes/lua/inject.js';
import { runPaths } from '../../src/runs/paths.js';
import { applyVariant } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { chooseLuajitNoise, configUsesLua, luajitNoiseHttpLines } from '../../src/nginx/luajit-noise.js';
import { renderNginxConf } from '../../src/nginx/render.js';
import { initialManifest } from '../../src/orchestrator/manifest.js';
import { summaryFacts } from '../../src/report/model/summary.js';
import { testScenario } from '../helpers/scenario.js';
import { check, MINIMAL } from '../scenario/helpers.js';

const LUA = 'server { listen {{host}}:{{port}}; location / { content_by_lua_block { ngx.say(1) } } }';
const HELLO = 'server { listen {{host}}:{{port}}; location / { return 200; } }';
const lua = (over: Partial<Scenario> = {}, config = LUA): Scenario => ({ ...testScenario({ openresty: { config } }), ...over });

describe('openresty.luajitNoise in a scenario', () => {
  it('takes a method and an interval with a unit; a variant overriding the method keeps the interval', () => {
    const r = check([
      ...MINIMAL,
      '  luajitNoise: {method: flush, interval: 250ms}',
      'variants:',
      '  - name: A',
      '  - name: B',
      '    openresty: {luajitNoise: {method: none}}',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.scenario!.openresty.luajitNoise).toEqual({ method: 'flush', intervalMs: 250 });
    expect(applyVariant(r.scenario!, 'B').openresty.luajitNoise).toEqual({ method: 'none', intervalMs: 250 });
  });

  it('rejects an unknown method and a zero interval', () => {
    const r = check([...MINIMAL, '  luajitNoise: {method: sometimes, interval: 0}']);
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('/openresty/luajitNoise/method');
    expect(paths).toContain('/openresty/luajitNoise/interval');
  });
});

describe('chooseLuajitNoise', () => {
  it('detects Lua from *_by_lua* and lua_* directives', () => {
    expect(configUsesLua(LUA)).toBe(true);
    expect(configUsesLua('lua_package_path "/x/?.lua;;";')).toBe(true);
    expect(configUsesLua('server { access_by_lua_file a.lua; }')).toBe(true);
    expect(configUsesLua(HELLO)).toBe(false);
    expect(configUsesLua('# no lua_shared_dict_here')).toBe(false);
  });

  it('auto: flush for a variant or repeated run of a Lua config, none otherwise, with the reason', () => {
    expect(chooseLuajitNoise(lua({ variant: 'A' }))).toMatchObject({ method: 'flush', intervalMs: 250, requested: 'auto' });
    expect(chooseLuajitNoise(lua({ repeat: 4 })).method).toBe('flush');
    // repeat: auto is the default of every scenario; without variants it is one run (npm run demo)
    expect(chooseLuajitNoise(lua({ repeat: 'auto', variants: [] })).method).toBe('none');
    const single = chooseLuajitNoise(lua());
    expect(single).toMatchObject({ method: 'none', intervalMs: 0 });
    expect(single.reason).toMatch(/single run/);
    expect(chooseLuajitNoise(lua({ variant: 'A' }, HELLO)).reason).toMatch(/runs no Lua/);
    const own = chooseLuajitNoise(lua({ variant: 'A' }, `init_worker_by_lua_block { } ${LUA}`));
    expect(own.method).toBe('none');
    expect(own.reason).toMatch(/own init_worker_by_lua/);
  });

  it('explicit methods win; an explicit flush with the config\'s own init_worker code is an input error', () => {
    const base = lua();
    const flush = { ...base, openresty: { ...base.openresty, luajitNoise: { method: 'flush' as const, intervalMs: 50 } } };
    expect(chooseLuajitNoise(flush)).toMatchObject({ method: 'flush', intervalMs: 50, requested: 'flush' });
    const none = { ...base, variant: 'A', openresty: { ...base.openresty, luajitNoise: { method: 'none' as const, intervalMs: 50 } } };
    expect(chooseLuajitNoise(none).method).toBe('none');
    const clash = { ...flush, openresty: { ...flush.openresty, config: `init_worker_by_lua_file x.lua; ${LUA}` } };
    let err: unknown;
    try {
      chooseLuajitNoise(clash);
    } catch (e) {
      err = e;
    }
    expect(isFlamebenchError(err) && err.code).toBe('E_LUAJIT_NOISE');
  });
});

describe('the flush agent in nginx.conf', () => {
  const paths = runPaths('/runs/r1');
  const render = (method: 'flush' | 'none', injections: { main: string[]; http: string[] }[]) =>
    renderNginxConf({
      openresty: { ...testScenario({ openresty: { config: LUA } }).openresty, luajitNoise: { method, intervalMs: 250 } },
      installation: { loadModules: [], luaModule: true },
      paths,
      port: 8080,
      host: '127.0.0.1',
      nginxCpus: [0],
      injections,
      user: null,
    });
  const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

  it('gets its own init_worker_by_lua_block when no probe injects one', () => {
    const conf = render('flush', []);
    expect(count(conf, /^\s*init_worker_by_lua_block {/gm)).toBe(1);
    expect(conf).toContain('ngx.timer.every(tick, check)');
    expect(conf).toContain('end, 0.250, 0.020)');
  });

  it('shares the Lua probes\' init_worker_by_lua_block (nginx allows one), after their code, which is unchanged', () => {
    const probes = luaInjection([{ kind: 'lua', id: 'lua', frequency: 100 }], paths);
    const plain = render('none', [probes]);
    const conf = render('flush', [probes]);
    expect(count(conf, /^\s*init_worker_by_lua_block {/gm)).toBe(1);
    const probeBlock = probes.http[0]!;
    // Everything of the probes' block but its closing brace comes first, untouched.
    expect(conf).toContain(probeBlock.slice(0, probeBlock.lastIndexOf('}')));
    expect(conf.indexOf('flamebench luajit-noise')).toBeGreaterThan(conf.indexOf('flamebench in-worker agent'));
    expect(plain).not.toContain('luajit-noise');
  });

  it('leaves the injected lines alone for method none', () => {
    expect(luajitNoiseHttpLines(['a;', 'b;'], { method: 'none', intervalMs: 100 })).toEqual(['a;', 'b;']);
  });
});

describe('the report', () => {
  it('says which method the run used and why', () => {
    const m = initialManifest(testScenario(), 'r1', new Date(0), 1);
    m.luajitNoise = { method: 'flush', intervalMs: 100, requested: 'auto', reason: 'auto: a variant/repeated run of a config that runs Lua' };
    const fact = summaryFacts(m, null).find((f) => f.label === 'LuaJIT noise');
    expect(fact).toEqual({ label: 'LuaJIT noise', value: 'jit.flush() every 100 ms of worker CPU', note: 'auto: a variant/repeated run of a config that runs Lua' });
    delete m.luajitNoise;
    expect(summaryFacts(m, null).some((f) => f.label === 'LuaJIT noise')).toBe(false);
  });
});
