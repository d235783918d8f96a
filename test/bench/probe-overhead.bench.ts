/**
 * What the probes cost: the lua-work scenario with no probes vs cpu + offcpu + lua together.
 * Interleaved short runs (A B A B …) on one nginx started with the Lua agent injected (idle in
 * the A runs: one control-file read per 50 ms per worker). Per run: rps, worker CPU µs per
 * request (from /proc), and for B the post-processing time (probes.stop(): perf script,
 * collapsing, pairing, Lua dumps). Medians, and B/A ratios.
 * Run: npx tsx test/bench/probe-overhead.bench.ts [pairs=4] [seconds=4]
 * The machine is shared: read the numbers as indications, not as constants.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median } from '../../src/compare/stats.js';
import { collectInjections, startProbes } from '../../src/probes/index.js';
import { runPaths } from '../../src/runs/paths.js';
import { loadScenario } from '../../src/scenario/index.js';
import type { ProbeSpec } from '../../src/scenario/types.js';
import { startNginx } from '../../src/nginx/index.js';
import { processCpuMicros } from '../../src/util/proc.js';

const PAIRS = Number(process.argv[2] ?? 4);
const SECONDS = Number(process.argv[3] ?? 4);
const probes: ProbeSpec[] = [
  { kind: 'cpu', id: 'cpu', backend: 'perf', frequency: 99, callGraph: 'dwarf' },
  { kind: 'offcpu', id: 'offcpu', backend: 'perf', callGraph: 'dwarf', keepIdle: false, maxMegabytes: 256 },
  { kind: 'lua', id: 'lua', frequency: 100 },
];

const scenario = await loadScenario(fileURLToPath(new URL('../../scenarios/lua-work.yaml', import.meta.url)));
const dir = mkdtempSync(path.join(os.tmpdir(), 'flamebench-overhead-'));
const paths = runPaths(dir);
// Pinned like a real run on 2 cores: nginx on CPU 0, this process (autocannon, perf post-processing) on CPU 1.
const pinned = os.cpus().length >= 2;
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const target = await startNginx(scenario, paths, { injections: collectInjections(probes, paths), nginxCpus: pinned ? [0] : [] });
const url = `${target.baseUrl}${scenario.load.requests[0]?.path ?? '/'}`;

const cpuNow = () => target.workerPids.reduce((a, p) => a + (processCpuMicros(p) ?? 0), 0);

interface Run {
  rps: number;
  cpuUsPerReq: number;
  postMs: number | null;
}

async function once(withProbes: boolean): Promise<Run> {
  const started = withProbes ? await startProbes(probes, target, paths) : null;
  if (started) await new Promise((r) => setTimeout(r, 120)); // the Lua agent polls every 50 ms
  const c0 = cpuNow();
  const t0 = performance.now();
  const r = await autocannon({ url, connections: scenario.load.connections, duration: SECONDS });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuNow() - c0;
  let postMs: number | null = null;
  if (started) {
    const p0 = performance.now();
    const st = await started.stop();
    postMs = performance.now() - p0;
    const bad = st.filter((s) => s.status !== 'ok');
    if (bad.length > 0) throw new Error(`probe failed: ${JSON.stringify(bad)}`);
  }
  return { rps: r.requests.total / secs, cpuUsPerReq: cpu / Math.max(1, r.requests.total), postMs };
}

const a: Run[] = [];
const b: Run[] = [];
try {
  await autocannon({ url, connections: scenario.load.connections, duration: 2 }); // warm-up (JIT, caches)
  for (let i = 0; i < PAIRS; i++) {
    a.push(await once(false));
    b.push(await once(true));
  }
} finally {
  await target.stop();
}

const row = (name: string, fa: (r: Run) => number, digits = 0) => {
  const ma = median(a.map(fa));
  const mb = median(b.map(fa));
  return `${name.padEnd(26)} ${ma.toFixed(digits).padStart(10)} ${mb.toFixed(digits).padStart(12)} ${(mb / ma).toFixed(3).padStart(8)}`;
};
console.log(`probe overhead: scenario lua-work (1 worker, ${scenario.load.connections} connections), ${PAIRS} interleaved pairs of ${SECONDS} s, medians${pinned ? ", nginx on CPU 0, loader on CPU 1" : ", unpinned"}`);
console.log(`${'metric'.padEnd(26)} ${'no probes'.padStart(10)} ${'cpu+offcpu+lua'.padStart(12)} ${'ratio'.padStart(8)}`);
console.log(row('rps', (r) => r.rps));
console.log(row('worker CPU µs / request', (r) => r.cpuUsPerReq, 1));
console.log(`${'post-processing ms'.padEnd(26)} ${'-'.padStart(10)} ${median(b.map((r) => r.postMs ?? 0)).toFixed(0).padStart(12)}`);
console.log(`per run: A rps ${a.map((r) => r.rps.toFixed(0)).join(' ')} | B rps ${b.map((r) => r.rps.toFixed(0)).join(' ')} | B post ms ${b.map((r) => (r.postMs ?? 0).toFixed(0)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
