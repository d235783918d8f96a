/**
 * How much of a C-level (cpu probe) profile names what it sampled, per LuaJIT setup:
 *   stock            system LuaJIT, no perf map (the same perf.data as "stock + map", scripted again without maps)
 *   stock + map      system LuaJIT, the agent's perf map (what a run records with openresty.luajit: system)
 *   profiling        profiling LuaJIT with only its own perftools map (same perf.data as the next, scripted with that map)
 *   profiling + map  profiling LuaJIT and the agent's map (what a run records with openresty.luajit: auto)
 * Per setup: share of samples whose leaf names code (not `[dso]`, `[unknown]`, `[jit]`, `[perf-N.map]`)
 * and share whose stack reaches `main`. Medians over the runs, with min–max.
 * Run: npx tsx test/bench/jit-names.bench.ts [runs=3] [seconds=5] [scenarios=lua-work,proxy]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../../src/compare/stats.js';
import type { RunManifest } from '../../src/runs/types.js';

const RUNS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 5);
const SCENARIOS = (process.argv[4] ?? 'lua-work,proxy').split(',');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-jit-names-bench-'));
cpSync(path.join(root, 'scenarios/lua'), path.join(tmp, 'lua'), { recursive: true });

function cli(args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Shares {
  named: number;
  main: number;
}

function shares(folded: string): Shares {
  let total = 0;
  let named = 0;
  let main = 0;
  for (const line of folded.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const stack = line.slice(0, sp);
    const n = Number(line.slice(sp + 1));
    total += n;
    if (!/^\[[^\]]*\](_\[[kji]\])?$/.test(stack.slice(stack.lastIndexOf(';') + 1))) named += n;
    if (stack.split(';').includes('main')) main += n;
  }
  return { named: (100 * named) / total, main: (100 * main) / total };
}

/** perf script of a run's recording again, with `maps` (pid → file) at /tmp/perf-<pid>.map meanwhile. */
function rescript(dir: string, maps: Map<number, string>): Shares {
  const linked: string[] = [];
  try {
    for (const [pid, file] of maps) {
      const tmpMap = `/tmp/perf-${pid}.map`;
      if (existsSync(tmpMap)) throw new Error(`${tmpMap} exists`);
      copyFileSync(file, tmpMap);
      linked.push(tmpMap);
    }
    return shares(cli(['collapse', 'perf', '--kernel', '--jit', path.join(dir, 'raw/cpu.perf.data')]));
  } finally {
    for (const f of linked) rmSync(f, { force: true });
  }
}

type Setup = 'stock' | 'stock + map' | 'profiling' | 'profiling + map';
const results = new Map<string, Map<Setup, Shares[]>>();

try {
  for (const name of SCENARIOS) {
    const perSetup = new Map<Setup, Shares[]>();
    results.set(name, perSetup);
    const add = (s: Setup, v: Shares) => perSetup.set(s, [...(perSetup.get(s) ?? []), v]);
    const base = readFileSync(path.join(root, 'scenarios', `${name}.yaml`), 'utf8');
    for (let i = 0; i < RUNS; i++) {
      for (const luajit of ['system', 'auto'] as const) {
        // beside a copy of the scenarios' Lua files, which `files:` names relative to the scenario
        const scen = path.join(tmp, `${name}-${luajit}.yaml`);
        writeFileSync(scen, base.replace(/^openresty:\n/m, `openresty:\n  luajit: ${luajit}\n`).replace(/^probes:\n(  - .*\n?)+/m, 'probes:\n  - cpu\n'));
        const dir = path.join(tmp, `${name}-${luajit}-${i}`);
        cli(['run', scen, '--out', dir, '--duration', String(SECONDS), '--warmup', '2', '--no-report', '--quiet']);
        const manifest = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
        const used = manifest.environment?.luajit?.used;
        const workers = manifest.target?.workerPids ?? [];
        const recorded = shares(readFileSync(path.join(dir, 'stacks/cpu.folded'), 'utf8'));
        if (luajit === 'system') {
          add('stock + map', recorded);
          add('stock', rescript(dir, new Map()));
        } else {
          if (used !== 'profiling') throw new Error(`the profiling LuaJIT did not run: ${manifest.environment?.luajit?.reason}`);
          add('profiling + map', recorded);
          const own = new Map(workers.map((p) => [p, path.join(dir, 'raw', `perf-${p}.luajit.map`)] as const).filter(([, f]) => existsSync(f)));
          add('profiling', rescript(dir, own));
        }
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const fmt = (xs: number[]) => `${median(xs).toFixed(1)}% (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
console.log(`JIT names: cpu probe (perf, dwarf, 99 Hz), ${RUNS} runs per LuaJIT per scenario, ${SECONDS} s windows, median (min–max)`);
console.log(`${'scenario'.padEnd(10)} ${'setup'.padEnd(16)} ${'samples ending in a named frame'.padEnd(34)} reaching main`);
for (const [name, per] of results) {
  for (const setup of ['stock', 'stock + map', 'profiling', 'profiling + map'] as Setup[]) {
    const xs = per.get(setup) ?? [];
    if (xs.length === 0) continue;
    console.log(`${name.padEnd(10)} ${setup.padEnd(16)} ${fmt(xs.map((x) => x.named)).padEnd(34)} ${fmt(xs.map((x) => x.main))}`);
  }
}
