import { describe, expect, it } from 'vitest';
import { FlamebenchError } from '../../src/errors.js';
import { formatProblem, parseScenario } from '../../src/scenario/index.js';
import { check, memIo, MINIMAL, SRC } from './helpers.js';

/** "line:col path" of each problem, in order, for compact assertions. */
const where = (r: ReturnType<typeof check>) => r.problems.map((p) => `${p.line}:${p.col} ${p.path}`);

describe('YAML syntax errors', () => {
  it('an unclosed quote is reported at its line and column', () => {
    const r = check(['openresty:', '  config: |', '    server {}', 'load:', '  path: "/unclosed', '  connections: 2']);
    expect(r.scenario).toBeUndefined();
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]!.line).toBe(5);
    expect(r.problems[0]!.col).toBe(9);
    expect(r.problems[0]!.message).toMatch(/^YAML syntax: Missing closing "quote \(the string opened here/);
  });

  it('a duplicate key points at the second occurrence, with a hint', () => {
    const r = check([...MINIMAL, 'load:', '  connections: 1', '  connections: 2']);
    expect(where(r)).toEqual(['6:3 /']);
    expect(r.problems[0]!.hint).toMatch(/once per mapping/);
  });

  it('bad indentation is located', () => {
    const r = check(['openresty:', '  config: x', ' workers: 2']);
    expect(r.problems[0]!.line).toBe(3);
  });
});

describe('schema problems: all at once, each with line:col, path and hint', () => {
  const doc = [
    'openresty:', //              1
    '  wrkers: 2', //             2
    '  workers: 0', //            3
    '  config: |', //             4
    '    server { listen 127.0.0.1:{{port}}; }', // 5
    'load:', //                   6
    '  connections: "many"', //   7
    '  duration: 10 sex', //      8
    '  mode: fast', //            9
    'probes:', //                10
    '  - cpu', //                11
    '  - kind: lua', //          12
    '    frequency: 300', //     13
    '  - kind: nope', //         14
    'color: red', //             15
  ];
  const r = check(doc);

  it('lists every problem, sorted by position', () => {
    expect(where(r)).toEqual([
      '2:3 /openresty/wrkers',
      '3:12 /openresty/workers',
      '7:16 /load/connections',
      '8:13 /load/duration',
      '9:9 /load/mode',
      '13:16 /probes/1/frequency',
      '14:11 /probes/2/kind',
      '15:1 /color',
    ]);
  });

  it('suggests the nearest key for a misspelt one', () => {
    expect(r.problems[0]!.message).toBe('unknown key "wrkers"');
    expect(r.problems[0]!.hint).toBe('did you mean "workers"?');
    expect(r.problems[7]!.hint).toMatch(/^allowed keys: name, description, openresty, load, probes/);
  });

  it('says what range, type, format and values are allowed', () => {
    expect(r.problems[1]!.message).toBe('must be >= 1 (got 0)');
    expect(r.problems[2]!.message).toBe('must be an integer, not a string');
    expect(r.problems[2]!.hint).toBe('e.g. 64, 256');
    expect(r.problems[3]!.message).toBe('"10 sex" is not a valid duration');
    expect(r.problems[3]!.hint).toContain('"500ms"');
    expect(r.problems[4]!.hint).toBe('allowed: "fixed", "saturate", "rate"');
    expect(r.problems[5]!.message).toBe('must be <= 250 (got 300)');
    expect(r.problems[6]!.message).toBe('unknown kind "nope"');
    expect(r.problems[6]!.hint).toContain('"lua-offcpu"');
  });

  it('a misspelt enum value gets a suggestion', () => {
    const p = check([...MINIMAL, 'probes: [lau]']).problems;
    expect(p.map((x) => `${x.line}:${x.col} ${x.path}`)).toEqual(['4:10 /probes/0']);
    expect(p[0]!.hint).toMatch(/^did you mean "lua"\?/);
  });

  it('a missing required key points at the parent mapping', () => {
    expect(where(check(['# no server here', 'load:', '  connections: 1']))).toEqual(['2:1 /']);
    const v = check([...MINIMAL, 'variants:', '  - openresty:', '      workers: 2']);
    expect(where(v)).toEqual(['5:5 /variants/0']);
    expect(v.problems[0]!.message).toBe('missing required key "name"');
  });

  it('parseScenario throws E_SCENARIO_INVALID with one detail line per problem', () => {
    let err: unknown;
    try {
      parseScenario(doc.join('\n'), 'scen.yaml', memIo());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlamebenchError);
    const fe = err as FlamebenchError;
    expect(fe.code).toBe('E_SCENARIO_INVALID');
    expect(fe.exitCode).toBe(2);
    expect(fe.details).toHaveLength(8);
    expect(fe.details[0]).toBe('scen.yaml:2:3  /openresty/wrkers  unknown key "wrkers" (did you mean "workers"?)');
  });

  it('an empty file or a non-mapping document is one clear problem', () => {
    expect(check(['# nothing']).problems[0]!.message).toBe('the scenario is empty');
    expect(where(check(['- a', '- b']))).toEqual(['1:1 /']);
  });
});

describe('semantic problems the schema cannot express', () => {
  it('template variables, missing files, non-loopback host, dangling probe refs and units, all together', () => {
    const r = check([
      'openresty:', //                                   1
      '  config: |', //                                  2
      '    server {', //                                 3
      '      listen 127.0.0.1:{{port}};', //             4
      '      location / { return 200 "{{greting}}"; }', // 5
      '    }', //                                        6
      '  variables:', //                                 7
      '    greeting: hi', //                             8
      '  files: [lua/missing.lua]', //                   9
      'load:', //                                       10
      '  host: 192.168.1.10', //                        11
      'thresholds:', //                                 12
      '  probe:lua: "rise <= 5%"', //                   13
      '  rps: ">= 10ms"', //                            14
    ]);
    expect(where(r)).toEqual(['5:7 /openresty/config', '9:11 /openresty/files/0', '11:9 /load/host', '13:3 /thresholds/probe:lua', '14:8 /thresholds/rps']);
    const [tpl, file, host, probe, unit] = r.problems;
    expect(tpl!.message).toBe('config template uses {{greting}}, which is not defined');
    expect(tpl!.hint).toMatch(/^did you mean \{\{greeting\}\}\?/);
    expect(file!.message).toBe('file not found: /scen/lua/missing.lua');
    expect(host!.hint).toMatch(/allowNonLoopback: true/);
    expect(probe!.message).toMatch(/names no declared probe/);
    expect(unit!.hint).toMatch(/unit does not fit/);
  });

  it('a template that does not compile is located at its line inside the block scalar', () => {
    const r = check(['openresty:', '  config: |', '    server {', '      listen {{port};', '    }']);
    expect(where(r)).toEqual(['4:7 /openresty/config']);
    expect(r.problems[0]!.message).toMatch(/^config template does not compile: Parse error on line 2/);
  });

  it('a template from configFile names the file and its line', () => {
    const r = check(['openresty:', '  configFile: nginx/bad.hbs'], { '/scen/nginx/bad.hbs': 'server {\n\n  listen {{port};\n}\n' });
    expect(where(r)).toEqual(['2:15 /openresty/configFile']);
    expect(r.problems[0]!.message).toContain('(/scen/nginx/bad.hbs:3)');
  });

  it('config and configFile: exactly one', () => {
    expect(check(['openresty:', '  workers: 1']).problems.map((p) => p.message)).toEqual(['missing the config: give "config" or "configFile"']);
    const both = check(['openresty:', '  config: x', '  configFile: a.hbs'], { '/scen/a.hbs': 'y' });
    expect(where(both)).toEqual(['3:3 /openresty/configFile']);
    const missing = check(['openresty:', '  configFile: nope.hbs']);
    expect(missing.problems[0]!.message).toBe('file not found: /scen/nope.hbs');
  });

  it('probe ids must be unique; the default id is the kind', () => {
    const r = check([...MINIMAL, 'probes:', '  - cpu', '  - kind: cpu', '    frequency: 499']);
    expect(where(r)).toEqual(['6:11 /probes/1/kind']);
    expect(r.problems[0]!.hint).toMatch(/id:/);
    expect(check([...MINIMAL, 'probes:', '  - cpu', '  - {kind: cpu, id: cpu-fp, callGraph: fp}']).problems).toEqual([]);
  });

  it('bpftrace cannot walk dwarf stacks', () => {
    const r = check([...MINIMAL, 'probes:', '  - {kind: offcpu, backend: bpftrace, callGraph: dwarf}']);
    expect(where(r)).toEqual(['5:50 /probes/0/callGraph']);
  });

  it('path and requests exclude each other; rate and mode must agree', () => {
    const r = check([...MINIMAL, 'load:', '  path: /', '  requests: [/a]', '  rate: 100']);
    expect(where(r)).toEqual(['6:3 /load/requests', '7:3 /load/rate']);
    const rate = check([...MINIMAL, 'load:', '  mode: rate']);
    expect(where(rate)).toEqual(['5:9 /load/mode']);
  });

  it('variant names are unique, and a variant is checked after merging', () => {
    const r = check([
      ...MINIMAL, //                       1-3
      'variants:', //                      4
      '  - name: A', //                    5
      '  - name: A', //                    6
      '    load:', //                      7
      '      host: 10.0.0.7', //           8
      '    openresty:', //                 9
      '      config: "{{nope}}"', //      10
    ]);
    expect(where(r)).toEqual(['6:11 /variants/1/name', '8:13 /variants/1/load/host', '10:15 /variants/1/openresty/config']);
  });

  it('formats a problem as file:line:col  path  message (hint)', () => {
    const p = check([...MINIMAL, 'load:', '  host: 8.8.8.8']).problems[0]!;
    expect(formatProblem(p)).toBe(`${SRC}:5:9  /load/host  host "8.8.8.8" is not loopback (${p.hint})`);
  });
});
