import { describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { applyVariant, withVariantRoot } from '../../src/scenario/index.js';
import { applyRunOverrides } from '../../src/cli/overrides.js';
import { check, memIo } from './helpers.js';

// The scenario lives in /scen (the pull request's checkout); main's checkout has the same layout under /main/scen.
const doc = [
  'openresty:',
  '  configFile: nginx/site.conf',
  '  files: [lua/work.lua, {from: lua/util.lua, to: lua/u.lua}]',
  'variants:',
  '  - name: main',
  '    root: ../main/scen',
  '  - name: pr',
];
const files = {
  '/scen/nginx/site.conf': 'server { listen 127.0.0.1:{{port}}; location / { content_by_lua_block { require("work").pr() } } }',
  '/scen/lua/work.lua': 'return {}',
  '/scen/lua/util.lua': 'return {}',
  '/main/scen/nginx/site.conf': 'server { listen 127.0.0.1:{{port}}; location / { content_by_lua_block { require("work").main() } } }',
  '/main/scen/lua/work.lua': 'return {}',
  '/main/scen/lua/util.lua': 'return {}',
};

describe('variant root', () => {
  it("reads the scenario's files and configFile from the root, at the same relative paths", () => {
    const r = check(doc, files);
    expect(r.problems).toEqual([]);
    const s = r.scenario!;
    expect(s.variants[0]!.root).toBe('/main/scen');
    const main = applyVariant(s, 'main');
    expect(main.openresty.files).toEqual([
      { from: '/main/scen/lua/work.lua', to: 'lua/work.lua' },
      { from: '/main/scen/lua/util.lua', to: 'lua/u.lua' },
    ]);
    expect(main.openresty.configSource).toBe('/main/scen/nginx/site.conf');
    expect(main.openresty.config).toContain('.main()');
    const pr = applyVariant(s, 'pr');
    expect(pr.openresty.files[0]!.from).toBe('/scen/lua/work.lua');
    expect(pr.openresty.config).toContain('.pr()');
  });

  it("resolves the variant's own file overrides under its root too", () => {
    const r = check([...doc.slice(0, 6), '    openresty: {files: [lua/util.lua]}', '  - name: pr'], files);
    expect(r.problems).toEqual([]);
    expect(applyVariant(r.scenario!, 'main').openresty.files).toEqual([{ from: '/main/scen/lua/util.lua', to: 'lua/util.lua' }]);
  });

  it('reports each file missing under the root at the root key', () => {
    const partial = { ...files } as Record<string, string>;
    delete partial['/main/scen/lua/util.lua'];
    delete partial['/main/scen/nginx/site.conf'];
    const r = check(doc, partial);
    const at = r.problems.filter((p) => p.path === '/variants/0/root');
    expect(at.map((p) => p.message)).toEqual([
      "file not found under the variant's root /main/scen: /main/scen/lua/util.lua",
      "file not found under the variant's root /main/scen: /main/scen/nginx/site.conf",
    ]);
    expect(at[0]!.line).toBe(6);
  });

  it('is rejected when empty or not a string', () => {
    const r = check([...doc.slice(0, 5), '    root: ""', '  - name: pr'], files);
    expect(r.problems.some((p) => p.path === '/variants/0/root')).toBe(true);
  });

  it('can be set from the command line (--variant-root NAME=DIR), and fails at once when files are missing', () => {
    const r = check([...doc.slice(0, 5), '  - name: pr'], files);
    const s = r.scenario!;
    const moved = withVariantRoot(s, 'main', '/main/scen', memIo(files));
    expect(applyVariant(moved, 'main').openresty.config).toContain('.main()');
    expect(applyVariant(moved, 'pr').openresty.config).toContain('.pr()');
    let err: unknown;
    try {
      withVariantRoot(s, 'main', '/elsewhere', memIo(files));
    } catch (e) {
      err = e;
    }
    expect(isFlamebenchError(err) && err.code).toBe('E_VARIANT_ROOT');
    expect(isFlamebenchError(err) && err.details).toContain('not found: /elsewhere/lua/work.lua');
    expect(() => withVariantRoot(s, 'nope', '/main/scen', memIo(files))).toThrow(/no variant "nope"/);
  });

  it('rejects a malformed --variant-root flag', () => {
    const s = check([...doc.slice(0, 5), '  - name: pr'], files).scenario!;
    expect(() => applyRunOverrides(s, { variantRoot: ['main'] })).toThrow(/NAME=DIR/);
    expect(() => applyRunOverrides(s, { variantRoot: ['=x'] })).toThrow(/NAME=DIR/);
  });
});
