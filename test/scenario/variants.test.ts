import { describe, expect, it } from 'vitest';
import { FlamebenchError } from '../../src/errors.js';
import { applyVariant, expandVariants, type Scenario } from '../../src/scenario/index.js';
import { check, MINIMAL } from './helpers.js';

const doc = [
  'openresty:',
  '  config: "{{a}} {{b}} {{port}}"',
  '  variables: {a: 1, b: 2}',
  '  workers: 2',
  'load:',
  '  duration: 10s',
  '  saturate: {targetCpuPct: 90}',
  'variants:',
  '  - name: A',
  '  - name: B',
  '    description: more b',
  '    openresty:',
  '      variables: {b: 3}',
  '    load:',
  '      duration: 3s',
  '      saturate: {maxThreads: 1}',
  '      requests: [/b]',
];

function scenario(lines: string[]): Scenario {
  const r = check(lines);
  expect(r.problems).toEqual([]);
  return r.scenario!;
}

describe('variants', () => {
  it('are kept as converted overrides', () => {
    const s = scenario(doc);
    expect(s.variants.map((v) => v.name)).toEqual(['A', 'B']);
    expect(s.variants[0]!.overrides).toEqual({});
    expect(s.variants[1]!.description).toBe('more b');
    expect(s.variants[1]!.overrides.openresty).toEqual({ variables: { b: 3 } });
    expect(s.variants[1]!.overrides.load).toMatchObject({ duration: 3, requests: [{ method: 'GET', path: '/b', headers: {} }] });
  });

  it('applyVariant deep-merges: variables merge, lists and scalars replace, saturate keeps the base knobs', () => {
    const s = scenario(doc);
    const b = applyVariant(s, 'B');
    expect(b.variant).toBe('B');
    expect(b.openresty.variables).toEqual({ a: 1, b: 3 });
    expect(b.openresty.workers).toBe(2);
    expect(b.load.duration).toBe(3);
    expect(b.load.requests).toEqual([{ method: 'GET', path: '/b', headers: {} }]);
    expect(b.load.saturate).toMatchObject({ targetCpuPct: 90, maxThreads: 1, maxConnections: 512 });
    // The scenario itself is untouched.
    expect(s.openresty.variables).toEqual({ a: 1, b: 2 });
    expect(s.load.saturate.maxThreads).toBe(4);
  });

  it('expandVariants gives one scenario per variant, or the scenario itself', () => {
    const s = scenario(doc);
    const all = expandVariants(s);
    expect(all.map((x) => [x.variant, x.load.duration])).toEqual([
      ['A', 10],
      ['B', 3],
    ]);
    const plain = scenario(MINIMAL);
    expect(expandVariants(plain)).toEqual([plain]);
  });

  it('an unknown variant name is invalid input naming the variants', () => {
    const s = scenario(doc);
    expect(() => applyVariant(s, 'C')).toThrow(FlamebenchError);
    try {
      applyVariant(s, 'C');
    } catch (e) {
      expect((e as FlamebenchError).code).toBe('E_VARIANT_UNKNOWN');
      expect((e as FlamebenchError).hint).toBe('variants: A, B');
    }
  });

  it('is re-validated after merging (an override built in code cannot bypass the checks)', () => {
    const s = scenario(doc);
    const fine: Scenario = { ...s, variants: [{ name: 'X', overrides: { load: { duration: 1 }, openresty: { variables: {} } } }] };
    expect(applyVariant(fine, 'X').openresty.variables).toEqual({ a: 1, b: 2 }); // variables merge: a and b still defined
    const bad: Scenario = { ...s, variants: [{ name: 'X', overrides: { load: { host: '10.0.0.1' } } }] };
    try {
      applyVariant(bad, 'X');
      expect.unreachable();
    } catch (e) {
      const fe = e as FlamebenchError;
      expect(fe.code).toBe('E_SCENARIO_INVALID');
      expect(fe.details).toEqual([`${s.source}  /variants/X/load/host  host "10.0.0.1" is not loopback (${'load tests target 127.0.0.1 or ::1; set allowNonLoopback: true if you really mean another machine'})`]);
    }
  });

  it('variant overrides are checked at parse time, at the variant\'s lines', () => {
    const r = check([...MINIMAL, 'variants:', '  - name: A', '    load: {conections: 3}', '  - name: bad name']);
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['6:12 /variants/0/load/conections', '7:11 /variants/1/name']);
    expect(r.problems[0]!.hint).toBe('did you mean "connections"?');
  });
});
