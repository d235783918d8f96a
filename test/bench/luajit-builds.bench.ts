/**
 * What naming JIT code costs: worker CPU µs per request with the system LuaJIT, the system
 * LuaJIT + the agent's perf map writer (jit.attach on trace events), and the profiling LuaJIT
 * (`flamebench build luajit`: -g, frame pointers, perftools map). No probes run, so only the
 * build and the writer are measured.
 *
 * Lua code's CPU per request varies a lot between nginx processes (each LuaJIT draws its own
 * traces: DESIGN.md "Run-to-run noise", CV ~23% per worker process on lua-work), so every run
 * starts a fresh nginx, the variants are interleaved round by round (A B C, B C A, C A B, …),
 * and the comparison is compare's own interval (ratio of geometric means, Welch-t, 95%).
 * Run: npx tsx test/bench/luajit-builds.bench.ts [scenario=lua-work] [rounds=10] [seconds=3]
 * Needs the profiling build (npm run bootstrap, or flamebench build luajit).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { changeInterval } from '../../src/compare/decide.js';
import { median, quantile } from '../../src/compare/stats.js';
import { selectLuajit } from '../../src/luajit/select.js';
import { sweepPerfMaps } from '../../src/probes/index.js';
import { luaInjection } from '../../src/probes/lua/inject.js';
import { runPaths } from '../../src/runs/paths.js';
import { loadScenario } from '../../src/scenario/index.js';
import { findNginx, startNginx } from '../../src/nginx/index.js';
import { processCpuMicros } from '../../src/util/proc.js';

const NAME = process.argv[2] ?? 'lua-work';
const ROUNDS = Number(process.argv[3] ?? 10);
const SECONDS = Number(process.argv[4] ?? 3);
const WARMUP_SECONDS = 1;

type Variant = 'system' | 'system+map' | 'profiling';
const VARIANTS: Variant[] = ['system', 'system+map', 'profiling'];

const scenario = await loadScenario(fileURLToPath(new URL(`../../scenarios/${NAME}.yaml`, import.meta.url)));
const installation = await findNginx(scenario.openresty.binary);
const profiling = await selectLuajit('profiling', installation);
const pinned = os.cpus().length >= 2;
// Pinned like a real run on 2 cores: nginx on CPU 0, this process (the loader) on CPU 1.
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const request = scenario.load.requests[0];

async function once(variant: Variant): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flamebench-luajit-bench-'));
  const paths = runPaths(dir);
  const target = await startNginx(scenario, paths, {
    injections: variant === 'system+map' ? [luaInjection([], paths, { perfMap: true })] : [],
    nginxCpus: pinned ? [0] : [],
    installation,
    env: variant === 'profiling' ? profiling.env : {},
  });
  try {
    const url = `${target.baseUrl}${request?.path ?? '/'}`;
    const opts = { url, connections: scenario.load.connections, pipelining: scenario.load.pipelining };
    await autocannon({ ...opts, duration: WARMUP_SECONDS });
    const cpu = () => target.workerPids.reduce((a, p) => a + (processCpuMicros(p) ?? 0), 0);
    const c0 = cpu();
    const r = await autocannon({ ...opts, duration: SECONDS });
    return (cpu() - c0) / Math.max(1, r.requests.total);
  } finally {
    await target.stop();
    // the profiling LuaJIT (perftools) writes /tmp/perf-<pid>.map itself: as after a run, none may stay
    sweepPerfMaps([target.masterPid, ...target.workerPids], paths.rawDir);
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs: Record<Variant, number[]> = { system: [], 'system+map': [], profiling: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < VARIANTS.length; k++) {
    const v = VARIANTS[(round + k) % VARIANTS.length] as Variant;
    runs[v].push(await once(v));
  }
}

const fmt = (x: number) => x.toFixed(1);
console.log(
  `LuaJIT builds: scenario ${NAME}, ${ROUNDS} rounds × ${VARIANTS.length} variants, a fresh nginx per run, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s, worker CPU µs / request${pinned ? ', nginx on CPU 0, loader on CPU 1' : ''}`,
);
console.log(`${'variant'.padEnd(12)} ${'median'.padStart(8)} ${'p25'.padStart(8)} ${'p75'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}  vs system: change of geometric means [95% CI]`);
for (const v of VARIANTS) {
  const xs = runs[v];
  // The interval compare itself decides with (Welch-t on log values, 95% two-sided).
  const ci = v === 'system' ? null : changeInterval(runs.system, xs, 0.025);
  const change =
    v === 'system' || !ci ? '' : ci.ok ? `${(ci.interval.estimate * 100).toFixed(1)}% [${(ci.interval.low * 100).toFixed(1)}%, ${(ci.interval.high * 100).toFixed(1)}%]` : ci.why;
  console.log(
    `${v.padEnd(12)} ${fmt(median(xs)).padStart(8)} ${fmt(quantile(xs, 0.25)).padStart(8)} ${fmt(quantile(xs, 0.75)).padStart(8)} ${fmt(Math.min(...xs)).padStart(8)} ${fmt(Math.max(...xs)).padStart(8)}  ${change}`,
  );
}
console.log(`per run: ${VARIANTS.map((v) => `${v} ${runs[v].map(fmt).join(' ')}`).join(' | ')}`);
