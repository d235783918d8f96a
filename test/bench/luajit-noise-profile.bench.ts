/**
 * What periodic jit.flush() does to the Lua flame graph: lua-work (60 iterations) with the lua
 * probe, each flush interval and none, interleaved, ROUNDS rounds. Per method, the share of Lua
 * samples in work.lua's handler (the steady-state code the graph must still show), in compiled
 * code, in the interpreter, and in the JIT compiler itself, plus CPU µs/request (the mean shift).
 * Usage: npx tsx test/bench/luajit-noise-profile.bench.ts [rounds=3] [intervals ms=25,50,100,250]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../../src/compare/stats.js';
import { runScenario } from '../../src/orchestrator/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { LuajitNoiseSpec, Scenario } from '../../src/scenario/types.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const INTERVALS = (process.argv[3] ?? '25,50,100,250').split(',').map(Number);
const methods: { name: string; noise: LuajitNoiseSpec }[] = [
  { name: 'none', noise: { method: 'none', intervalMs: 0 } },
  ...INTERVALS.map((ms) => ({ name: `flush-${ms}`, noise: { method: 'flush' as const, intervalMs: ms } })),
];

const base = await loadScenario(new URL('../../scenarios/lua-work.yaml', import.meta.url).pathname);
const scenario = (noise: LuajitNoiseSpec): Scenario => ({
  ...base,
  openresty: { ...base.openresty, luajitNoise: noise },
  load: { ...base.load, duration: 3, warmup: 1 },
  probes: base.probes.filter((p) => p.kind === 'lua'),
});

interface Shares { handler: number; compiled: number; interpreted: number; jit: number; gc: number; cpu: number }
const results = new Map<string, Shares[]>(methods.map((m) => [m.name, []]));
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-noise-profile-'));
for (let round = 1; round <= ROUNDS; round++) {
  for (const m of methods) {
    const dir = path.join(root, m.name, String(round));
    try {
      const r = await runScenario(scenario(m.noise), { reportsDir: root, outDir: dir, quiet: true, noReport: true });
      const folded = await fs.readFile(path.join(dir, 'stacks', 'lua.folded'), 'utf8');
      let total = 0;
      const s = { handler: 0, compiled: 0, interpreted: 0, jit: 0, gc: 0 };
      for (const line of folded.split('\n')) {
        const at = line.lastIndexOf(' ');
        if (at < 0) continue;
        const n = Number(line.slice(at + 1));
        const stack = line.slice(0, at);
        total += n;
        if (stack.includes('work.lua:handle')) s.handler += n;
        if (stack.endsWith('[vm:compiled]')) s.compiled += n;
        if (stack.endsWith('[vm:interpreted]')) s.interpreted += n;
        if (stack.endsWith('[vm:JIT-compiler]')) s.jit += n;
        if (stack.endsWith('[vm:GC]')) s.gc += n;
      }
      const share = (x: number) => (total ? x / total : 0);
      results.get(m.name)!.push({
        handler: share(s.handler),
        compiled: share(s.compiled),
        interpreted: share(s.interpreted),
        jit: share(s.jit),
        gc: share(s.gc),
        cpu: r.manifest.cpu.summary?.workerCpuUsPerRequest ?? NaN,
      });
    } catch (e) {
      console.error(`${m.name} round ${round}: ${(e as Error).message}`);
    }
  }
}
await fs.rm(root, { recursive: true, force: true });

const pct = (xs: number[]) => `${(100 * median(xs)).toFixed(0)}%`;
console.log(`Lua flame graph under periodic jit.flush() — lua-work, lua probe at 100 Hz, 3 s windows, ${ROUNDS} rounds (medians)`);
console.log('');
console.log('| method | runs | under work.lua:handle | [vm:compiled] | [vm:interpreted] | [vm:JIT-compiler] | [vm:GC] | CPU µs/req |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const m of methods) {
  const xs = results.get(m.name)!;
  if (xs.length === 0) continue;
  const col = (k: keyof Shares) => xs.map((x) => x[k]);
  console.log(`| ${m.name} | ${xs.length} | ${pct(col('handler'))} | ${pct(col('compiled'))} | ${pct(col('interpreted'))} | ${pct(col('jit'))} | ${pct(col('gc'))} | ${median(col('cpu')).toFixed(0)} |`);
}
