import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkScenarioText, SCENARIO_LIMITS } from '../../src/scenario/index.js';
import { runCli } from '../helpers/cli.js';
import { check, MINIMAL } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'openresty: {config: "x"}',
];

function manyVariables(n: number): string {
  const lines = [...MINIMAL, '  variables:'];
  for (let i = 0; i < n; i++) lines.push(`    v${i}: ${i}`);
  return `${lines.join('\n')}\n`;
}

function bestMs(f: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe('input limits', () => {
  it('a YAML alias bomb is a scenario problem (exit 2), not a crash', async () => {
    const r = check(BOMB);
    expect(r.scenario).toBeUndefined();
    expect(r.problems[0]!.message).toMatch(/scenario too large/);
    const file = path.join(tmp, 'bomb.yaml');
    writeFileSync(file, BOMB.join('\n'));
    const v = await runCli(['validate', file]);
    expect(v.code).toBe(2);
    expect(v.stderr + v.stdout).not.toMatch(/E_INTERNAL|ReferenceError/);
  });

  it('more aliases than the limit are refused before expansion', () => {
    const lines = ['x: &x 1', 'l:', ...Array.from({ length: SCENARIO_LIMITS.maxAliases + 1 }, () => '  - *x'), ...MINIMAL];
    expect(check(lines).problems[0]!.message).toMatch(/more than 100 aliases/);
  });

  it('more keys than the limit are refused with the place', () => {
    const r = checkScenarioText(manyVariables(SCENARIO_LIMITS.maxNodes + 1), '/scen/big.yaml');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/more than 50000 keys/);
  });

  it('validation time grows linearly with the number of keys (was quadratic: yaml uniqueKeys)', () => {
    const small = manyVariables(5_000);
    const large = manyVariables(40_000);
    expect(checkScenarioText(large, '/scen/l.yaml').problems).toEqual([]);
    const ts = bestMs(() => checkScenarioText(small, '/scen/s.yaml'));
    const tl = bestMs(() => checkScenarioText(large, '/scen/l.yaml'));
    // 8x the keys: linear ~8x, quadratic ~64x. Generous for a shared, noisy machine.
    expect(tl / ts).toBeLessThan(24);
    expect(tl).toBeLessThan(10_000);
  }, 120_000);

  it('duplicate keys are still found, at the second occurrence', () => {
    const r = check([...MINIMAL, 'load:', '  connections: 1', '  connections: 2']);
    expect(r.problems.map((p) => `${p.line}:${p.col}`)).toEqual(['6:3']);
    expect(r.problems[0]!.message).toMatch(/unique.*"connections"/);
  });

  it('validate /dev/zero and a huge file stop at the size cap (exit 2)', async () => {
    const big = path.join(tmp, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(SCENARIO_LIMITS.maxBytes)}\n`);
    for (const f of ['/dev/zero', big]) {
      const r = await runCli(['validate', f]);
      expect(r.code, f).toBe(2);
      expect(r.stdout).toMatch(/larger than 4 MiB/);
    }
  }, 60_000);

  it('a directory as the scenario says it is a directory', async () => {
    const r = await runCli(['validate', tmp]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/is a directory/);
  });
});

describe('templates that would fail only at run time', () => {
  it('partials, decorators and prototype lookups are rejected by validate', () => {
    const r = check([
      'openresty:',
      '  config: |',
      '    server { listen {{listen}}; }',
      '    {{> partial}}',
      '    # {{lookup this "constructor"}}',
      '    # {{#if workers}}{{this.__proto__}}{{/if}}',
    ]);
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [4, 'config template uses a partial ({{> …}}); flamebench registers none'],
      [5, 'config template looks up "constructor", a property handlebars refuses at run time'],
      [6, 'config template reads "__proto__", a property handlebars refuses at run time'],
    ]);
  });

  it('{{listen}} is a built-in', () => {
    expect(check(['openresty:', '  config: "server { listen {{listen}}; }"']).problems).toEqual([]);
  });
});

describe('small silent cases', () => {
  it('a variable named like a built-in is reported: the built-in wins', async () => {
    const file = path.join(tmp, 'shadow.yaml');
    writeFileSync(file, 'openresty:\n  config: "server { listen {{listen}}; }"\n  variables: {port: 1, iterations: 3}\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: openresty\.variables\.port is ignored: \{\{port\}\} is a built-in/);
    expect(r.stdout).not.toMatch(/iterations is ignored/);
  });

  it('a directory in files: is named a directory, not "not found"', () => {
    const dir = path.join(tmp, 'scen');
    mkdirSync(path.join(dir, 'lua'), { recursive: true });
    const file = path.join(dir, 's.yaml');
    const text = 'openresty:\n  config: "server { listen {{listen}}; }"\n  files: [lua, nope.lua]\n';
    writeFileSync(file, text);
    const r = checkScenarioText(text, file);
    expect(r.problems.map((p) => p.message)).toEqual([`${path.join(dir, 'lua')} is a directory; files: lists single files`, `file not found: ${path.join(dir, 'nope.lua')}`]);
  });
});
