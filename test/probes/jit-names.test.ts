import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeMeta, RunManifest } from '../../src/runs/types.js';
import { repoRoot, runCli } from '../helpers/cli.js';

/**
 * C-level flame graphs of Lua code name what they sample: real nginx, real autocannon, real perf.
 *
 * 1. `flamebench run scenarios/lua-work.yaml` exactly as `npm run demo` runs it (its 10 s window,
 *    cpu + offcpu + lua probes, openresty.luajit: auto). The bootstrap builds the profiling LuaJIT,
 *    so auto must pick it; when it did not, the test fails and says why (it never skips).
 * 2. The same scenario on the system (stripped) LuaJIT: traces are still named by the agent's map.
 * In both: no frame carries a pid, the run directory or the run id, and no perf map is left in /tmp.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-jit-names-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  dir: string;
  manifest: RunManifest;
  stacks: Map<string, Map<string, number>>;
}

function readRunDir(dir: string): Run {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
  const stacks = new Map<string, Map<string, number>>();
  for (const f of readdirSync(path.join(dir, 'stacks')).filter((n) => n.endsWith('.folded'))) {
    const m = new Map<string, number>();
    for (const line of readFileSync(path.join(dir, 'stacks', f), 'utf8').split('\n')) {
      const sp = line.lastIndexOf(' ');
      if (sp > 0) m.set(line.slice(0, sp), Number(line.slice(sp + 1)));
    }
    stacks.set(f.replace(/\.folded$/, ''), m);
  }
  return { dir, manifest, stacks };
}

/** Independent of the code under test: a leaf that is `[…]` (a DSO, [unknown], [jit]) names nothing. */
function namedLeafPct(folded: Map<string, number>): number {
  let named = 0;
  let total = 0;
  for (const [stack, n] of folded) {
    total += n;
    if (!/^\[[^\]]*\](_\[[kji]\])?$/.test(stack.slice(stack.lastIndexOf(';') + 1))) named += n;
  }
  return total === 0 ? 0 : (100 * named) / total;
}

function frames(run: Run): string[] {
  const out = new Set<string>();
  for (const folded of run.stacks.values()) for (const stack of folded.keys()) for (const f of stack.split(';')) out.add(f);
  return [...out];
}

/** Frames that carry a pid of this run's nginx, its directory or its id. Line numbers follow ':' and do not count. */
function leakyFrames(run: Run): string[] {
  const pids = [run.manifest.target?.masterPid, ...(run.manifest.target?.workerPids ?? [])].filter((p): p is number => typeof p === 'number');
  const pidRe = new RegExp(`(?<![:\\d])(${pids.join('|')})(?!\\d)`);
  return frames(run).filter((f) => /perf-\d+\.map/.test(f) || f.includes(run.dir) || f.includes(path.basename(run.dir)) || f.includes(run.manifest.id) || pidRe.test(f));
}

function noMapsLeftInTmp(run: Run): string[] {
  const pids = [run.manifest.target?.masterPid, ...(run.manifest.target?.workerPids ?? [])];
  return pids.map((p) => `/tmp/perf-${p}.map`).filter((f) => existsSync(f));
}

function cpuMeta(run: Run): ProbeMeta {
  return JSON.parse(readFileSync(path.join(run.dir, 'stacks', 'cpu.meta.json'), 'utf8')) as ProbeMeta;
}

let demo: Run;
let system: Run;

beforeAll(async () => {
  const demoDir = path.join(tmp, 'demo');
  // the settings of `npm run demo`: node dist/cli/main.js run scenarios/lua-work.yaml (here from source)
  const d = await runCli(['run', 'scenarios/lua-work.yaml', '--out', demoDir, '--quiet']);
  if (d.code !== 0) throw new Error(`flamebench run lua-work failed (${d.code}): ${d.stderr}`);
  demo = readRunDir(demoDir);

  // lua-work on the system LuaJIT, shorter: a scenario file beside a copy of its Lua module
  const scen = readFileSync(path.join(repoRoot, 'scenarios/lua-work.yaml'), 'utf8').replace(/^openresty:\n/m, 'openresty:\n  luajit: system\n');
  cpSync(path.join(repoRoot, 'scenarios/lua'), path.join(tmp, 'lua'), { recursive: true });
  writeFileSync(path.join(tmp, 'lua-work-system.yaml'), scen);
  const sysDir = path.join(tmp, 'system');
  const s = await runCli(['run', path.join(tmp, 'lua-work-system.yaml'), '--out', sysDir, '--duration', '4', '--warmup', '2', '--no-report', '--quiet']);
  if (s.code !== 0) throw new Error(`flamebench run (luajit: system) failed (${s.code}): ${s.stderr}`);
  system = readRunDir(sysDir);
}, 180_000);

describe('lua-work as `npm run demo` runs it', () => {
  it('ran the profiling LuaJIT (the bootstrap builds it)', () => {
    const l = demo.manifest.environment?.luajit;
    expect(l, 'run.json has no environment.luajit').toBeDefined();
    expect(
      l?.used,
      `the profiling LuaJIT did not run: ${l?.reason}. Build it with \`npm run bootstrap\` or \`flamebench build luajit\` (needs the Debian source archive)`,
    ).toBe('profiling');
    expect(l?.symbols).toBe(true);
    expect(l?.framePointers).toBe(true);
  });

  it('≥ 90% of the cpu samples end in a named frame', () => {
    const cpu = demo.stacks.get('cpu') as Map<string, number>;
    const total = [...cpu.values()].reduce((a, b) => a + b, 0);
    expect(total, 'the cpu probe recorded no samples').toBeGreaterThan(100);
    const pct = namedLeafPct(cpu);
    expect(pct, `only ${pct.toFixed(1)}% of ${total} cpu samples end in a named frame`).toBeGreaterThanOrEqual(90);
    // the probe's own figure agrees with this independent count
    expect(Number(cpuMeta(demo).extra.namedLeafPct)).toBeCloseTo(pct, 0);
  });

  it('JIT traces are named after Lua functions, with paths relative like the lua probe\'s, in the JIT palette', () => {
    const jit = frames(demo).filter((f) => f.endsWith('_[j]'));
    expect(jit.some((f) => /^lua\/work\.lua:(build_records|escape_string|encode_record|encode_json|rewrite_names|count_matches|handle)_\[j\]$/.test(f)), jit.join('\n')).toBe(true);
    // the same function names as the lua probe's frames
    const luaFrames = new Set(frames({ ...demo, stacks: new Map([['lua', demo.stacks.get('lua') as Map<string, number>]]) }));
    const named = jit.map((f) => f.slice(0, -'_[j]'.length)).filter((f) => f.startsWith('lua/work.lua:') && !/:\d+$/.test(f));
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) expect(luaFrames.has(f), `${f} is not a frame of the lua probe`).toBe(true);
    expect(cpuMeta(demo).extra.jitNames).toBe('agent');
  });

  it('no frame name carries a pid, the run directory or the run id; no perf map is left in /tmp', () => {
    expect(leakyFrames(demo)).toEqual([]);
    expect(noMapsLeftInTmp(demo)).toEqual([]);
    // the maps stay with the run
    const pid = demo.manifest.target?.workerPids[0];
    expect(existsSync(path.join(demo.dir, 'raw', `perf-${pid}.map`))).toBe(true);
  });

  it("collapse jitprofile on the run's raw dump gives the run's lua.folded, relative paths included", async () => {
    const pid = demo.manifest.target?.workerPids[0];
    const r = await runCli(['collapse', 'jitprofile', path.join(demo.dir, 'raw', `lua-${pid}.txt`)]);
    expect(r.code, r.stderr).toBe(0);
    const sorted = (t: string) => t.split('\n').filter(Boolean).sort();
    expect(sorted(r.stdout)).toEqual(sorted(readFileSync(path.join(demo.dir, 'stacks', 'lua.folded'), 'utf8')));
    expect(r.stdout).toMatch(/^content_by_lua\(nginx\.conf:\d+\):0;lua\/work\.lua:handle;/m);
  });

  it('the report leads with the Lua-land graph and says which LuaJIT ran', () => {
    const html = readFileSync(path.join(demo.dir, 'report.html'), 'utf8');
    expect(html).toContain('id="where-time"');
    expect(html.indexOf('id="probe-2-lua"')).toBeLessThan(html.indexOf('id="probe-0-cpu"'));
    expect(html).toMatch(/LuaJIT<\/th><td>profiling build \(LuaJIT 2\.[^)]*symbols, frame pointers\)/);
  });
});

describe('lua-work on the system LuaJIT', () => {
  it('LuaJIT itself stays unnamed (stripped), and run.json says why the profiling build did not run', () => {
    const l = system.manifest.environment?.luajit;
    expect(l).toMatchObject({ choice: 'system', used: 'system', symbols: false });
    expect(l?.reason).toBe('openresty.luajit is "system"');
  });

  it('traces are still named by the agent\'s perf map; nothing carries a pid; /tmp stays clean', () => {
    const jit = frames(system).filter((f) => f.endsWith('_[j]'));
    expect(jit.some((f) => /^lua\/work\.lua:\w+_\[j\]$/.test(f)), jit.join('\n')).toBe(true);
    expect(jit.some((f) => f.startsWith('resty/core/'))).toBe(true);
    expect(leakyFrames(system)).toEqual([]);
    expect(noMapsLeftInTmp(system)).toEqual([]);
    const unnamed = Number(cpuMeta(system).extra.unnamedJitLeafPct);
    expect(unnamed).toBeLessThan(5);
    // the stripped library is named as the reason, with the fix
    expect(cpuMeta(system).warnings.some((w) => /end in \[libluajit…\]: this LuaJIT is stripped.*flamebench build luajit/.test(w))).toBe(true);
  });
});
