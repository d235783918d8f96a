/**
 * The README's scenario example(s) go through the real scenario loader, so the documentation and
 * the validator cannot drift apart (the README once used {{listen}}, which validate rejected).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATE_VARIABLES, expandVariants, loadScenarioWithWarnings } from '../../src/scenario/index.js';
import type { TemplateVariables } from '../../src/nginx/render.js';
import { check, MINIMAL } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

// The example names files relative to itself (files: [lua/work.lua]), as the bundled scenarios do:
// it is loaded from a folder that holds the bundled Lua modules, like scenarios/.
const dir = mkdtempSync(path.join(tmpdir(), 'flamebench-readme-'));
cpSync(path.join(ROOT, 'scenarios/lua'), path.join(dir, 'lua'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README's scenario examples", () => {
  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(1);
  });

  it.each(examples.map((text, i) => [i + 1, text] as const))('example %i validates', async (i, text) => {
    const file = path.join(dir, `readme-example-${i}.yaml`);
    writeFileSync(file, text);
    const { scenario: s, warnings } = await loadScenarioWithWarnings(file);
    // The documentation writes no deprecated key (load.workers → load.threads).
    expect(warnings).toEqual([]);
    expect(s.openresty.config).toContain('{{listen}}');
    expect(expandVariants(s).length).toBeGreaterThanOrEqual(1);
  });
});

describe('template variables', () => {
  it('validate knows every variable the target gives a template', () => {
    // Compile-time: the names in BUILTIN_TEMPLATE_VARIABLES are exactly TemplateVariables' keys.
    type Builtin = (typeof BUILTIN_TEMPLATE_VARIABLES)[number];
    type Unknown = Exclude<keyof TemplateVariables, Builtin>;
    type Stale = Exclude<Builtin, keyof TemplateVariables>;
    const same: [Unknown, Stale] extends [never, never] ? true : false = true;
    expect(same).toBe(true);
    // Run time: a template naming each of them validates.
    const uses = BUILTIN_TEMPLATE_VARIABLES.map((v) => `# {{${v}}}`);
    const r = check([...MINIMAL, ...uses.map((u) => `    ${u}`)]);
    expect(r.problems).toEqual([]);
  });

  it('{{listn}} is still an error, with a suggestion', () => {
    const r = check(['openresty:', '  config: |', '    server { listen {{listn}}; }']);
    expect(r.problems.map((p) => p.message)).toEqual(['config template uses {{listn}}, which is not defined']);
    expect(r.problems[0]!.hint).toContain('did you mean {{listen}}?');
  });
});
