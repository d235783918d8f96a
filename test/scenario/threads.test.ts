/**
 * load.threads (issue 12): the loader's threads. load.workers, its old name, still works — with a
 * warning that says where it is and what to write — because scenarios in the wild use it.
 */
import { describe, expect, it } from 'vitest';
import { FlamebenchError } from '../../src/errors.js';
import { formatProblem, parseScenario, parseScenarioWithWarnings } from '../../src/scenario/index.js';
import { check, memIo, MINIMAL, SRC } from './helpers.js';

const text = (lines: string[]) => lines.join('\n') + '\n';

describe('load.threads', () => {
  it('is read, with no warning', () => {
    const r = check([...MINIMAL, 'load:', '  threads: 2']);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.scenario!.load.threads).toBe(2);
  });

  it('has the bounds load.workers had (0 to 256)', () => {
    expect(check([...MINIMAL, 'load: {threads: 257}']).problems.map((p) => `${p.path} ${p.message}`)).toEqual(['/load/threads must be <= 256 (got 257)']);
    expect(check([...MINIMAL, 'load: {threads: -1}']).problems.map((p) => `${p.path} ${p.message}`)).toEqual(['/load/threads must be >= 0 (got -1)']);
  });
});

describe('load.workers, the deprecated name', () => {
  // Lines 1-3 are MINIMAL; load.workers is on line 6, the variant's on line 10.
  const doc = [...MINIMAL, 'load:', '  connections: 8', '  workers: 3', 'variants:', '  - name: A', '  - name: B', '    load: {workers: 1}'];
  const r = check(doc);

  it('means load.threads, at the top and in a variant', () => {
    expect(r.problems).toEqual([]);
    expect(r.scenario!.load.threads).toBe(3);
    expect(r.scenario!.load).not.toHaveProperty('workers');
    expect(r.scenario!.variants[1]!.overrides.load).toEqual({ threads: 1 });
  });

  it('warns at the key, file:line:col, saying what to write instead', () => {
    expect(r.warnings.map((w) => `${w.line}:${w.col} ${w.path} ${w.kind}`)).toEqual(['6:3 /load/workers deprecated', '10:12 /variants/1/load/workers deprecated']);
    expect(r.warnings[0]!.message).toMatch(/^load\.workers is deprecated: it is the old name of load\.threads/);
    expect(r.warnings[0]!.hint).toBe('write threads: 3 instead');
    expect(formatProblem(r.warnings[0]!)).toBe(`${SRC}:6:3  /load/workers  ${r.warnings[0]!.message} (write threads: 3 instead)`);
  });

  it('parseScenarioWithWarnings returns the warnings with the scenario; parseScenario still accepts the file', () => {
    const loaded = parseScenarioWithWarnings(text(doc), SRC, memIo());
    expect(loaded.scenario.load.threads).toBe(3);
    expect(loaded.warnings).toEqual(r.warnings);
    expect(parseScenario(text(doc), SRC, memIo()).load.threads).toBe(3);
  });

  it('both names in one mapping is an error at the old key, with the hint to remove it', () => {
    const both = check([...MINIMAL, 'load:', '  threads: 2', '  workers: 2']);
    expect(both.scenario).toBeUndefined();
    expect(both.problems.map((p) => `${p.line}:${p.col} ${p.path} | ${p.hint}`)).toEqual(['6:3 /load/workers | remove load.workers']);
    expect(both.problems[0]!.message).toMatch(/both load\.threads and load\.workers/);
    // The same in a variant's overrides; parseScenario throws the invalid-input error (exit 2).
    const inVariant = [...MINIMAL, 'variants:', '  - name: A', '    load: {threads: 1, workers: 1}'];
    expect(check(inVariant).problems.map((p) => p.path)).toEqual(['/variants/0/load/workers']);
    const thrown = (() => {
      try {
        parseScenario(text(inVariant), SRC, memIo());
      } catch (e) {
        return e;
      }
    })();
    expect(thrown instanceof FlamebenchError && thrown.exitCode).toBe(2);
  });

  it('is never suggested for a misspelt key', () => {
    const typo = check([...MINIMAL, 'load: {workerz: 2}']);
    expect(typo.problems).toHaveLength(1);
    expect(typo.problems[0]!.message).toBe('unknown key "workerz"');
    expect(typo.problems[0]!.hint).not.toMatch(/workers/);
    expect(check([...MINIMAL, 'load: {thread: 2}']).problems[0]!.hint).toBe('did you mean "threads"?');
  });
});

describe('load.saturate.maxWorkers, the deprecated name of maxThreads', () => {
  it('means maxThreads (top level and variant), warns at the key, and both names are an error', () => {
    // Lines 1-3 are MINIMAL; maxWorkers is on line 6, the variant's on line 9.
    const r = check([...MINIMAL, 'load:', '  saturate:', '    maxWorkers: 2', 'variants:', '  - name: A', '    load: {saturate: {maxWorkers: 1}}']);
    expect(r.problems).toEqual([]);
    expect(r.scenario!.load.saturate.maxThreads).toBe(2);
    expect(r.scenario!.load.saturate).not.toHaveProperty('maxWorkers');
    expect(r.scenario!.variants[0]!.overrides.load?.saturate).toMatchObject({ maxThreads: 1 });
    expect(r.warnings.map((w) => `${w.line}:${w.col} ${w.path} ${w.hint}`)).toEqual([
      '6:5 /load/saturate/maxWorkers write maxThreads: 2 instead',
      '9:23 /variants/0/load/saturate/maxWorkers write maxThreads: 1 instead',
    ]);
    expect(r.warnings[0]!.message).toMatch(/^load\.saturate\.maxWorkers is deprecated: it is the old name of load\.saturate\.maxThreads/);
    const both = check([...MINIMAL, 'load:', '  saturate: {maxThreads: 2, maxWorkers: 2}']);
    expect(both.problems.map((p) => `${p.path} | ${p.hint}`)).toEqual(['/load/saturate/maxWorkers | remove load.saturate.maxWorkers']);
  });

  it('is never suggested for a misspelt key', () => {
    expect(check([...MINIMAL, 'load: {saturate: {maxThread: 2}}']).problems[0]!.hint).toBe('did you mean "maxThreads"?');
  });
});
