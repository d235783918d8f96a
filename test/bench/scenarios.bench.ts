/**
 * Issue 2's measurement: worker CPU % and rps that `flamebench run` reaches on each bundled
 * scenario (its own load settings, no probes), next to `wrk -t1 -c64` against the same nginx
 * config pinned the same way (nginx on the scenario's CPUs, the loader on the loader CPUs).
 * Interleaved (flamebench, wrk, flamebench, wrk …), medians of REPS.
 *   npx tsx test/bench/scenarios.bench.ts [reps=3] [seconds=5] [scenario…]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../../src/compare/stats.js';
import { runScenario } from '../../src/orchestrator/index.js';
import { runPaths } from '../../src/runs/paths.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { planPlacement, readUsableCpus, snapshotCpu, startNginx } from '../../src/nginx/index.js';

const REPS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 5);
const NAMES = process.argv.slice(4).length ? process.argv.slice(4) : ['hello', 'lua-work', 'proxy', 'slow-upstream'];
const root = mkdtempSync(path.join(os.tmpdir(), 'fb-scenarios-'));

interface Sample {
  rps: number;
  workerPct: number;
  cpuUsPerReq: number;
}

async function viaFlamebench(s: Scenario, dir: string): Promise<Sample> {
  const r = await runScenario(s, { reportsDir: root, outDir: dir, quiet: true, noReport: true });
  const sum = r.manifest.cpu.summary!;
  return { rps: r.load!.rps, workerPct: sum.workerPctMean, cpuUsPerReq: sum.workerCpuUsPerRequest ?? NaN };
}

async function viaWrk(s: Scenario, dir: string): Promise<Sample> {
  const placement = planPlacement(s.openresty.cpus, s.load.cpus, s.openresty.workers, readUsableCpus());
  const target = await startNginx(s, runPaths(dir), { injections: [], nginxCpus: placement.nginxCpus });
  try {
    const url = `${target.baseUrl}${s.load.requests[0]?.path ?? '/'}`;
    const args = ['-c', placement.loaderCpus.join(','), 'wrk', '-t1', '-c64', `-d${SECONDS}s`, url];
    // 1 s of wrk first as the warm-up flamebench also gets.
    await new Promise((r) => spawn('taskset', ['-c', placement.loaderCpus.join(','), 'wrk', '-t1', '-c64', '-d1s', url], { stdio: 'ignore' }).on('exit', r));
    const t0 = performance.now();
    const c0 = snapshotCpu(target.workerPids);
    const proc = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => proc.on('exit', r));
    const us = snapshotCpu(target.workerPids) - c0;
    const wallUs = (performance.now() - t0) * 1000;
    const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1] ?? NaN);
    return { rps, workerPct: (us / wallUs) * 100 / target.workerPids.length, cpuUsPerReq: us / (rps * SECONDS) };
  } finally {
    await target.stop();
  }
}

const rows: string[][] = [['scenario', 'tool', 'load', 'rps', 'worker CPU %', 'worker µs/req']];
try {
  for (const name of NAMES) {
    const base = await loadScenario(path.resolve(import.meta.dirname, `../../scenarios/${name}.yaml`));
    const s: Scenario = { ...base, probes: [], load: { ...base.load, duration: SECONDS, warmup: 1 } };
    const ours: Sample[] = [];
    const wrk: Sample[] = [];
    for (let i = 0; i < REPS; i++) {
      ours.push(await viaFlamebench(s, path.join(root, `${name}-fb-${i}`)));
      wrk.push(await viaWrk(s, path.join(root, `${name}-wrk-${i}`)));
    }
    const row = (tool: string, load: string, xs: Sample[]) => [
      name,
      tool,
      load,
      median(xs.map((x) => x.rps)).toFixed(0),
      median(xs.map((x) => x.workerPct)).toFixed(1),
      median(xs.map((x) => x.cpuUsPerReq)).toFixed(1),
    ];
    rows.push(row('flamebench', `${s.load.mode} c${s.load.connections} p${s.load.pipelining}`, ours));
    rows.push(row('wrk', 't1 c64', wrk));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
console.log(`(${REPS} interleaved runs of ${SECONDS} s each, medians; nginx and loader pinned as the scenario's placement says)`);
