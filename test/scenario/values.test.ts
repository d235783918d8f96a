import { describe, expect, it } from 'vitest';
import { DEFAULTS, isLoopback, parseCpus, parseDuration, parseMicros, type Scenario } from '../../src/scenario/index.js';
import { check, MINIMAL, SRC } from './helpers.js';

function ok(lines: string[], files: Record<string, string> = {}): Scenario {
  const r = check(lines, files);
  expect(r.problems).toEqual([]);
  return r.scenario!;
}

describe('defaults', () => {
  it('a minimal scenario gets every default (src/scenario/defaults.ts), and only what it wrote besides', () => {
    const { request, probes: _probes, ...d } = DEFAULTS;
    expect(ok(MINIMAL)).toEqual({
      ...d,
      source: SRC,
      name: 'test',
      openresty: { ...d.openresty, config: 'server { listen 127.0.0.1:{{port}}; }\n', configSource: SRC },
      load: { ...d.load, requests: [request] },
      probes: [],
      thresholds: [],
      variants: [],
    });
  });

  it('load.threads defaults to 0: the load runs on the loader\'s main thread', () => {
    expect(ok(MINIMAL).load.threads).toBe(0);
  });

  it('probe shorthands get their kind defaults and id = kind', () => {
    const s = ok([...MINIMAL, 'probes: [cpu, offcpu, lua, lua-offcpu, systemtap, {kind: cpu, id: hot, frequency: 199}, {kind: cpu, id: bt, backend: bpftrace}]']);
    expect(s.probes).toEqual([
      { kind: 'cpu', id: 'cpu', backend: 'perf', callGraph: 'dwarf', frequency: 99 },
      { kind: 'offcpu', id: 'offcpu', backend: 'perf', callGraph: 'dwarf', keepIdle: false, maxMegabytes: 256 },
      { kind: 'lua', id: 'lua', frequency: 100 },
      { kind: 'lua-offcpu', id: 'lua-offcpu', minMicros: 0 },
      { kind: 'systemtap', id: 'systemtap', tool: 'sample-bt', toolkitDir: '/opt/openresty-systemtap-toolkit' },
      { kind: 'cpu', id: 'hot', backend: 'perf', callGraph: 'dwarf', frequency: 199 },
      // bpftrace only walks frame pointers, so that is its default.
      { kind: 'cpu', id: 'bt', backend: 'bpftrace', callGraph: 'fp', frequency: 99 },
    ]);
  });

  it('name defaults to the file name; a saturate override keeps the other knobs', () => {
    const s = ok([...MINIMAL, 'load:', '  saturate: {targetCpuPct: 80, stepSeconds: 1500ms}']);
    expect(s.load.saturate).toEqual({ ...DEFAULTS.load.saturate, targetCpuPct: 80, stepSeconds: 1.5 });
  });
});

describe('friendly value forms', () => {
  it('durations → seconds', () => {
    expect(parseDuration('10s')).toBe(10);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration(2.5)).toBe(2.5);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('800us')).toBe(0.0008);
    expect(parseDuration('3')).toBe(3);
    expect(parseDuration('ten')).toBeUndefined();
  });

  it('latencies → microseconds', () => {
    expect(parseMicros('5ms')).toBe(5000);
    expect(parseMicros('800us')).toBe(800);
    expect(parseMicros('800µs')).toBe(800);
    expect(parseMicros('1.5s')).toBe(1_500_000);
    expect(parseMicros(250)).toBe(250);
  });

  it('CPU lists and ranges', () => {
    expect(parseCpus('auto')).toBe('auto');
    expect(parseCpus('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCpus([3, 1])).toEqual([3, 1]);
    expect(parseCpus('3-1')).toBeUndefined();
    const r = check([...MINIMAL, 'load:', '  cpus: 3-1']);
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['5:9 /load/cpus']);
  });

  it('load: durations with units, requests as paths or objects, header numbers as strings', () => {
    const s = ok([
      ...MINIMAL,
      'load:',
      '  duration: 500ms',
      '  warmup: 0',
      '  timeout: 2',
      '  cpus: "1-2"',
      '  requests:',
      '    - /a',
      '    - {method: POST, path: /b, headers: {x-n: 5}, body: "{}"}',
    ]);
    expect(s.load.duration).toBe(0.5);
    expect(s.load.warmup).toBe(0);
    expect(s.load.timeout).toBe(2);
    expect(s.load.cpus).toEqual([1, 2]);
    expect(s.load.requests).toEqual([
      { method: 'GET', path: '/a', headers: {} },
      { method: 'POST', path: '/b', headers: { 'x-n': '5' }, body: '{}' },
    ]);
    expect(ok([...MINIMAL, 'load: {path: /x}']).load.requests).toEqual([{ method: 'GET', path: '/x', headers: {} }]);
  });

  it('a zero duration is rejected', () => {
    const r = check([...MINIMAL, 'load:', '  duration: 0s']);
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`)).toEqual(['5:13 /load/duration must be from 100ms to 24h (got "0s")']);
  });

  it('out-of-range durations are refused, with units (checked after conversion) and without (by the schema)', () => {
    const lines = (load: string[]) => check([...MINIMAL, 'load:', ...load.map((l) => `  ${l}`)]).problems.map((p) => `${p.path} ${p.message}`);
    // 0.0001ms is a 0.1 µs window; 1e308 s overflowed to a window of 0 s on its way to the loader.
    expect(lines(['duration: "0.0001ms"'])).toEqual(['/load/duration must be from 100ms to 24h (got "0.0001ms")']);
    expect(lines(['duration: 1e308'])).toEqual(['/load/duration must be <= 86400 (got 1e+308)']);
    expect(lines(['duration: 25h'])).toEqual(['/load/duration must be from 100ms to 24h (got "25h")']);
    expect(lines(['duration: 0.05'])).toEqual(['/load/duration must be >= 0.1 (got 0.05)']);
    expect(lines(['warmup: 2h', 'timeout: 0.5us', 'saturate: {stepSeconds: 10ms}'])).toEqual([
      '/load/warmup must be from 0 to 1h (got "2h")',
      '/load/timeout must be from 1ms to 1h (got "0.5us")',
      '/load/saturate/stepSeconds must be from 100ms to 1h (got "10ms")',
    ]);
    expect(lines(['duration: 100ms', 'warmup: 0', 'timeout: 1ms', 'saturate: {stepSeconds: 1h}'])).toEqual([]);
    // The same bounds hold in a variant's overrides.
    const v = check([...MINIMAL, 'variants:', '  - name: A', '  - name: B', '    load: {duration: "0.0001ms"}']);
    expect(v.problems.map((p) => p.path)).toEqual(['/variants/1/load/duration']);
  });

  it('configFile is read relative to the scenario; files get absolute sources', () => {
    const s = ok(['openresty:', '  configFile: nginx/t.hbs', '  files: [lua/a.lua, {from: ../x/b.lua, to: lua/b.lua}]'], {
      '/scen/nginx/t.hbs': 'server { listen {{port}}; }',
      '/scen/lua/a.lua': '',
      '/x/b.lua': '',
    });
    expect(s.openresty.config).toBe('server { listen {{port}}; }');
    expect(s.openresty.configSource).toBe('/scen/nginx/t.hbs');
    expect(s.openresty.files).toEqual([
      { from: '/scen/lua/a.lua', to: 'lua/a.lua' },
      { from: '/x/b.lua', to: 'lua/b.lua' },
    ]);
    const outside = check([...MINIMAL, '  files: [../x/b.lua]'], { '/x/b.lua': '' });
    expect(outside.problems.map((p) => p.message)).toEqual(['destination "../x/b.lua" is outside the nginx prefix']);
  });
});

describe('thresholds', () => {
  it('map form: absolute bounds with units, relative changes, several conditions per metric', () => {
    const s = ok([
      ...MINIMAL,
      'probes: [cpu]',
      'thresholds:',
      '  errors: "== 0"',
      '  latencyP99Us: "<= 5ms"',
      '  latencyP50Us: "<= 800us"',
      '  rps: [">= 1000", "drop <= 5%"]',
      '  cpuUsPerRequest: "rise <= 5%"',
      '  errorRate: "<= 1%"',
      '  workerCpuPct: ">= 90%"',
      '  probe:cpu: "rise <= 10%"',
    ]);
    expect(s.thresholds).toEqual([
      { metric: 'errors', min: 0, max: 0 },
      { metric: 'latencyP99Us', max: 5000 },
      { metric: 'latencyP50Us', max: 800 },
      { metric: 'rps', min: 1000, maxDecreasePct: 5 },
      { metric: 'cpuUsPerRequest', maxIncreasePct: 5 },
      { metric: 'errorRate', max: 0.01 },
      { metric: 'workerCpuPct', min: 90 },
      { metric: 'probe:cpu', maxIncreasePct: 10 },
    ]);
  });

  it('list form maps to the same specs', () => {
    const s = ok([
      ...MINIMAL,
      'thresholds:',
      '  - {metric: latencyP99Us, max: 5ms}',
      '  - {metric: errorRate, max: "1%"}',
      '  - {metric: rps, min: 1000, maxDecreasePct: 5}',
    ]);
    expect(s.thresholds).toEqual([
      { metric: 'latencyP99Us', max: 5000 },
      { metric: 'errorRate', max: 0.01 },
      { metric: 'rps', min: 1000, maxDecreasePct: 5 },
    ]);
  });

  it('strict < is refused with the inclusive spelling as hint; unknown metrics get a suggestion', () => {
    const r2 = check([...MINIMAL, 'thresholds:', '  latencyP99Us: "< 5ms"', '  latencyP99: "<= 5ms"']);
    expect(r2.problems.map((p) => `${p.line}:${p.col} ${p.path} | ${p.hint}`)).toEqual([
      '5:17 /thresholds/latencyP99Us | bounds are inclusive: write "<= 5ms"',
      '6:3 /thresholds/latencyP99 | did you mean "latencyP99Us"?',
    ]);
  });

  it('contradictory bounds and units that do not fit are problems', () => {
    const r = check([...MINIMAL, 'thresholds:', '  - {metric: rps, min: 10, max: 5}', '  - {metric: errors, max: 5ms}']);
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['5:5 /thresholds/0', '6:27 /thresholds/1/max']);
  });
});

describe('repeat and its budget', () => {
  it('repeat: auto or a number; maxSeconds takes a duration', () => {
    expect(ok([...MINIMAL, 'repeat: auto', 'minRepeats: 4', 'maxRepeats: 12', 'maxSeconds: 3m'])).toMatchObject({ repeat: 'auto', minRepeats: 4, maxRepeats: 12, maxSeconds: 180 });
    expect(ok([...MINIMAL, 'repeat: 6']).repeat).toBe(6);
  });

  it('refuses repeat 0, an unknown word, one-run looks and a first look beyond the budget', () => {
    for (const bad of [['repeat: 0'], ['repeat: sometimes'], ['minRepeats: 1'], ['minRepeats: 10', 'maxRepeats: 5']]) {
      expect(check([...MINIMAL, ...bad]).problems.length, bad.join(' ')).toBeGreaterThan(0);
    }
    expect(check([...MINIMAL, 'minRepeats: 10', 'maxRepeats: 5']).problems.map((p) => p.message)).toEqual(['minRepeats 10 is above maxRepeats 5']);
  });
});

describe('loopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (h) => {
    expect(isLoopback(h)).toBe(true);
  });
  it.each(['10.0.0.1', '128.0.0.1', '::2', 'example.com', '0.0.0.0', '::'])('%s is not', (h) => {
    expect(isLoopback(h)).toBe(false);
  });
  it('a non-loopback host is accepted only with allowNonLoopback: true', () => {
    expect(check([...MINIMAL, 'load: {host: 10.1.2.3}']).problems).toHaveLength(1);
    expect(ok([...MINIMAL, 'load: {host: 10.1.2.3, allowNonLoopback: true}']).load.host).toBe('10.1.2.3');
  });
});

describe('YAML conveniences', () => {
  it('anchors and << merge keys work (handy to share load settings between variants)', () => {
    const s = ok([
      ...MINIMAL,
      'load: &base',
      '  connections: 8',
      '  duration: 3s',
      'variants:',
      '  - name: A',
      '  - name: B',
      '    load:',
      '      <<: *base',
      '      connections: 16',
    ]);
    expect(s.load.connections).toBe(8);
    expect(s.variants[1]!.overrides.load).toMatchObject({ connections: 16, duration: 3 });
  });
});
