/**
 * Which way of averaging over LuaJIT states gives the steadiest CPU µs/request per unit of
 * machine time? Runs scenarios/lua-work.yaml's handler (60 iterations, no probes) for real, with
 * each method in turn, interleaved (method 1, 2, …, then again), ROUNDS rounds:
 *   none-2s     JIT on, one worker, 2 s window (what every run did before)
 *   none-1s     the same with a 1 s window: "many shorter repeats" (cost per run vs CV)
 *   flush-N     jit.flush() after every N ms of each worker's CPU time (openresty.luajitNoise)
 *   workers-4   four worker processes sharing CPU 0: four draws per run
 * Prints per method: median and spread of CPU µs/request, CV, mean machine seconds per run, and
 * the machine time to bring the 95% CI of the mean to ±5% (n = (1.96·CV/0.05)² runs).
 * Usage: npx tsx test/bench/luajit-noise.bench.ts [rounds=8] [methods=comma list] [probes=comma list]
 * With probes (e.g. `6 none-2s,flush-250 cpu,lua`) it shows what a flush costs while the probes
 * record too: each flush recompiles traces, and the cpu probe's perf map names every new trace.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../../src/compare/stats.js';
import { runScenario } from '../../src/orchestrator/index.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';

const ROUNDS = Number(process.argv[2] ?? 8);
const ONLY = process.argv[3]?.split(',').filter(Boolean);
const PROBES = process.argv[4]?.split(',').filter(Boolean) ?? [];

interface Method {
  name: string;
  apply(s: Scenario): Scenario;
}

const withLoad = (s: Scenario, duration: number): Scenario => ({ ...s, load: { ...s.load, duration, warmup: 1 } });
const flush = (ms: number): Method => ({
  name: `flush-${ms}`,
  apply: (s) => ({ ...withLoad(s, 2), openresty: { ...s.openresty, luajitNoise: { method: 'flush' as const, intervalMs: ms } } }),
});
const none = (seconds: number): Method => ({
  name: `none-${seconds}s`,
  apply: (s) => ({ ...withLoad(s, seconds), openresty: { ...s.openresty, luajitNoise: { method: 'none' as const, intervalMs: 0 } } }),
});
const METHODS: Method[] = [
  none(2),
  none(1),
  flush(25),
  flush(50),
  flush(100),
  flush(250),
  {
    name: 'workers-4',
    apply: (s: Scenario) => ({ ...withLoad(s, 2), openresty: { ...s.openresty, workers: 4, cpus: [0], luajitNoise: { method: 'none' as const, intervalMs: 0 } } }),
  },
].filter((m) => !ONLY || ONLY.includes(m.name));

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-noise-'));
const base = await loadScenario(new URL('../../scenarios/lua-work.yaml', import.meta.url).pathname);
base.probes = base.probes.filter((p) => PROBES.includes(p.id));
const results = new Map<string, { cpu: number[]; seconds: number[] }>(METHODS.map((m) => [m.name, { cpu: [], seconds: [] }]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const m of METHODS) {
    const t0 = Date.now();
    try {
      const r = await runScenario(m.apply(base), { reportsDir: root, outDir: path.join(root, m.name, String(round)), quiet: true, noReport: true, repeat: round });
      const cpu = r.manifest.cpu.summary?.workerCpuUsPerRequest;
      const slot = results.get(m.name)!;
      if (r.manifest.status === 'ok' && cpu) {
        slot.cpu.push(cpu);
        slot.seconds.push((Date.now() - t0) / 1000);
      }
    } catch (e) {
      console.error(`${m.name} round ${round} failed: ${(e as Error).message}`);
    }
  }
  process.stderr.write(`round ${round}/${ROUNDS} done\n`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cv = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) / m;
};
console.log(`LuaJIT noise methods — lua-work (60 iterations), probes: ${PROBES.join(', ') || 'none'}, 1 s warm-up, ${ROUNDS} interleaved rounds, ${os.cpus().length} cores (shared)`);
console.log('');
console.log('| method | runs | CPU µs/req median | min–max | CV | s per run | machine s to ±5% CI |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const m of METHODS) {
  const { cpu, seconds } = results.get(m.name)!;
  if (cpu.length < 2) {
    console.log(`| ${m.name} | ${cpu.length} | – | – | – | – | – |`);
    continue;
  }
  const c = cv(cpu);
  const perRun = mean(seconds);
  const runsNeeded = Math.max(1, (1.96 * c / 0.05) ** 2);
  console.log(
    `| ${m.name} | ${cpu.length} | ${median(cpu).toFixed(1)} | ${Math.min(...cpu).toFixed(0)}–${Math.max(...cpu).toFixed(0)} | ${(100 * c).toFixed(1)}% | ${perRun.toFixed(1)} | ${(runsNeeded * perRun).toFixed(0)} |`,
  );
}
console.log('');
console.log('raw CPU µs/request per method, in run order:');
for (const m of METHODS) console.log(`${m.name}: ${results.get(m.name)!.cpu.map((x) => x.toFixed(1)).join(' ')}`);
await fs.rm(root, { recursive: true, force: true });
