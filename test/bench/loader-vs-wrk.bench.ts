/**
 * Benchmark (issue 5 item 5): flamebench's loader vs `wrk -t1 -c64` with the same CPU budget.
 * nginx: 1 worker pinned to CPU 0; loader (ours or wrk) pinned to CPU 1. Scenarios: hello
 * (`return 200`) and a Lua handler doing CPU work. Runs are interleaved (wrk, ours, wrk, ours…)
 * and each number is the median of the repetitions. Worker CPU % is read from /proc over the
 * measured part of each run.
 *   npx tsx test/bench/loader-vs-wrk.bench.ts [--reps 3] [--seconds 5] [--configs c64p1,c16p16,sat]
 * Besides rps and worker CPU it prints the loader's CPU per response (µs/req): the number that
 * stays comparable when other processes compete for the CPUs.
 */
import { spawn } from 'node:child_process';
import { median } from '../../src/compare/stats.js';
import { runLoad } from '../../src/load/index.js';
import { DEFAULTS } from '../../src/scenario/defaults.js';
import type { LoadSpec } from '../../src/scenario/types.js';
import { processCpuMicros } from '../../src/util/proc.js';
import { HELLO_LOCATION, LOADER_CPU, LUA_WORK_LOCATION, luaAvailable, NGINX_CPU, startTestNginx, type TestNginx } from '../load/nginx-helper.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const REPS = Number(arg('reps', '3'));
const SECONDS = Number(arg('seconds', '5'));
interface Sample {
  rps: number;
  workerPct: number;
  /** Loader CPU time per response, µs: robust to other processes competing for the CPUs. */
  loaderUsPerReq: number;
}

interface Tool {
  name: string;
  settings: string;
  measure(this: Tool, n: TestNginx): Promise<Sample>;
}

const cpuOf = (pids: number[]): number => pids.reduce((a, p) => a + (processCpuMicros(p) ?? 0), 0);

/** What is read at either end of a measured window. */
interface CpuMark {
  atMs: number;
  workerUs: number;
  loaderUs: number;
}

const markNow = (workerPids: number[], loaderUs: number): CpuMark => ({ atMs: performance.now(), workerUs: cpuOf(workerPids), loaderUs });

/**
 * One formula for both tools: worker CPU % over the window between two marks, and loader CPU per
 * response, over the requests made in `loadSeconds` (wrk's rps is over its own -d, not our wall clock).
 */
function sampleBetween(rps: number, from: CpuMark, to: CpuMark, loadSeconds = (to.atMs - from.atMs) / 1000): Sample {
  const wallUs = (to.atMs - from.atMs) * 1000;
  return { rps, workerPct: ((to.workerUs - from.workerUs) / wallUs) * 100, loaderUsPerReq: (to.loaderUs - from.loaderUs) / (rps * loadSeconds) };
}

function wrkTool(): Tool {
  return {
    name: 'wrk',
    settings: `taskset -c ${LOADER_CPU} wrk -t1 -c64 -d${SECONDS}s`,
    async measure(n) {
      const from = markNow(n.workerPids, 0);
      const proc = spawn('taskset', ['-c', String(LOADER_CPU), 'wrk', '-t1', '-c64', `-d${SECONDS}s`, `${n.baseUrl}/`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      // wrk's own CPU: polled, since /proc/<pid> is gone once it exits (loses < 50 ms).
      let loaderUs = 0;
      const poll = setInterval(() => (loaderUs = processCpuMicros(proc.pid!) ?? loaderUs), 50);
      await new Promise((r) => proc.on('exit', r));
      clearInterval(poll);
      const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(stdout)?.[1] ?? NaN);
      return sampleBetween(rps, from, markNow(n.workerPids, loaderUs), SECONDS);
    },
  };
}

/** "c64p16t0" → connections 64, pipelining 16, 0 threads; "sat" → saturate mode from c16 p1. */
function oursTool(config: string): Tool {
  const saturate = config === 'sat';
  const m = saturate ? ['', '16', '1', '0'] : /^c(\d+)p(\d+)(?:t(\d+))?$/.exec(config);
  if (!m) throw new Error(`bad config ${config}`);
  const [connections, pipelining, workers] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const chosen: string[] = [];
  const spec: LoadSpec = {
    mode: saturate ? 'saturate' : 'fixed',
    host: '127.0.0.1',
    allowNonLoopback: false,
    requests: [{ method: 'GET', path: '/', headers: {} }],
    connections,
    pipelining,
    duration: SECONDS,
    warmup: 1,
    timeout: 10,
    threads: workers,
    cpus: [LOADER_CPU],
    saturate: { ...DEFAULTS.load.saturate },
  };
  return {
    name: 'flamebench',
    settings: saturate ? 'saturate mode' : `-c${connections} pipelining ${pipelining}${workers ? ` threads ${workers}` : ''}`,
    async measure(this: Tool, n) {
      let loaderPid = 0;
      const mark = (): CpuMark => markNow(n.workerPids, processCpuMicros(loaderPid) ?? 0);
      const window: { from?: CpuMark; to?: CpuMark } = {};
      const out = await runLoad(
        spec,
        n.baseUrl,
        {
          onMeasureStart: () => {
            window.from = mark();
          },
          onMeasureEnding: () => {
            window.to = mark();
          },
        },
        { loaderCpus: [LOADER_CPU], workers: n.workers, quiet: true, onLoaderStarted: (pid) => (loaderPid = pid) },
      );
      if (out.saturation) {
        const c = out.saturation.chosen;
        chosen.push(`c${c.connections}p${c.pipelining}${c.threads ? `t${c.threads}` : ''}`);
        this.settings = `saturate, chose ${chosen.join(' ')}`;
        process.stderr.write(`  saturate: ${out.saturation.steps.length} steps; ${out.saturation.reason}\n`);
      }
      if (!window.from || !window.to) throw new Error('runLoad ended without a measured window');
      return sampleBetween(out.result.rps, window.from, window.to);
    },
  };
}

async function main(): Promise<void> {
  const configs = arg('configs', 'c64p1,c16p16,sat').split(',');
  const scenarios = [{ name: 'hello', locations: HELLO_LOCATION, lua: false }];
  if (luaAvailable()) scenarios.push({ name: 'lua-work', locations: LUA_WORK_LOCATION, lua: true });
  const rows: string[][] = [];
  for (const sc of scenarios) {
    const nginx = await startTestNginx({ locations: sc.locations, lua: sc.lua, cpu: NGINX_CPU });
    try {
      const tools = [wrkTool(), ...configs.map(oursTool)];
      const samples = new Map<Tool, Sample[]>(tools.map((t) => [t, []]));
      for (let rep = 0; rep < REPS; rep++) {
        for (const t of tools) {
          const s = await t.measure(nginx);
          samples.get(t)!.push(s);
          process.stderr.write(
            `${sc.name} rep ${rep + 1} ${t.name} ${t.settings}: ${Math.round(s.rps)} rps, worker ${s.workerPct.toFixed(1)}%, loader ${s.loaderUsPerReq.toFixed(1)} µs/req\n`,
          );
        }
      }
      const wrkRps = median(samples.get(tools[0]!)!.map((s) => s.rps));
      for (const t of tools) {
        const ss = samples.get(t)!;
        const rps = median(ss.map((s) => s.rps));
        rows.push([
          sc.name,
          t.name,
          t.settings,
          Math.round(rps).toString(),
          median(ss.map((s) => s.workerPct)).toFixed(1),
          median(ss.map((s) => s.loaderUsPerReq)).toFixed(1),
          (rps / wrkRps).toFixed(2),
        ]);
      }
    } finally {
      await nginx.stop();
    }
  }
  const header = ['scenario', 'tool', 'settings', 'rps', 'worker CPU %', 'loader µs/req', 'ratio to wrk'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  process.stdout.write(
    `loader vs wrk: nginx 1 worker on CPU ${NGINX_CPU}, loader on CPU ${LOADER_CPU}, ${SECONDS} s runs, median of ${REPS} interleaved reps (load average ${load})\n`,
  );
  for (const r of all) process.stdout.write(`${r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
