import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandVariants, loadScenario } from '../../src/scenario/index.js';

const dir = path.resolve(import.meta.dirname, '../../scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('bundled scenarios', () => {
  it('ships the five scenarios the issues ask for', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['ab-lua.yaml', 'hello.yaml', 'lua-work.yaml', 'proxy.yaml', 'slow-upstream.yaml']));
  });

  it.each(files)('%s validates, names the schema for editors and says what it exercises', async (f) => {
    const s = await loadScenario(path.join(dir, f));
    expect(s.name).toBe(f.replace(/\.yaml$/, ''));
    expect(s.description.length).toBeGreaterThan(40);
    expect(s.openresty.config).toContain('{{port}}');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path.join(dir, f), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
    for (const file of s.openresty.files) expect(path.isAbsolute(file.from)).toBe(true);
  });

  it('lua-work ships its Lua module under the prefix and samples cpu, offcpu and lua', async () => {
    const s = await loadScenario(path.join(dir, 'lua-work.yaml'));
    expect(s.openresty.files).toEqual([{ from: path.join(dir, 'lua/work.lua'), to: 'lua/work.lua' }]);
    expect(s.openresty.config).toContain('lua_package_path "{{prefix}}/lua/?.lua;;"');
    expect(s.probes.map((p) => p.kind)).toEqual(['cpu', 'offcpu', 'lua']);
    expect(typeof s.openresty.variables.iterations).toBe('number');
  });

  it('ab-lua expands into A and B, B doing 30% more iterations, with thresholds', async () => {
    const s = await loadScenario(path.join(dir, 'ab-lua.yaml'));
    const [a, b] = expandVariants(s);
    expect(a!.variant).toBe('A');
    expect(b!.variant).toBe('B');
    const ia = a!.openresty.variables.iterations as number;
    const ib = b!.openresty.variables.iterations as number;
    expect(ib / ia).toBeCloseTo(1.3, 5);
    // Pairs until decided, within 3 minutes; CPU per request is the one relative threshold (rps and
    // latency follow the neighbours), and the LuaJIT-noise default applies to its variant runs.
    expect(s.repeat).toBe('auto');
    expect(s.maxSeconds).toBeLessThanOrEqual(180);
    expect(s.thresholds).toContainEqual({ metric: 'errors', min: 0, max: 0 });
    expect(s.thresholds.filter((t) => t.maxIncreasePct !== undefined || t.maxDecreasePct !== undefined).map((t) => t.metric)).toEqual(['cpuUsPerRequest']);
    expect(s.openresty.luajitNoise.method).toBe('auto');
  });

  it('proxy and slow-upstream use the second port the target provides', async () => {
    for (const f of ['proxy.yaml', 'slow-upstream.yaml']) {
      const s = await loadScenario(path.join(dir, f));
      expect(s.openresty.config).toContain('{{upstreamPort}}');
    }
  });
});
