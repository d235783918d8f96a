/**
 * The drop-in targets of issue 15, as ratios: in-process `collapse perf` throughput (≥ 500 MB/s),
 * end to end against stackcollapse-perf.pl on ~94 MB (≥ 4×; only when FLAMEGRAPH_DIR names a
 * FlameGraph checkout, whose script is run, never copied), peak RSS of `collapse` at three input
 * sizes (< 64 MB whatever the size), and the start-up of `--version` and a small `render` (< 0.1 s).
 *
 * Input: the cpu-clock perf script samples in test/fixtures (speedscope's and inferno's), repeated.
 * The machine is shared: wall times are medians of several runs, and CPU seconds are printed beside
 * them (they suffer less from neighbours). Needs dist/ (npm run bench builds it).
 * Run: npx tsx test/bench/dropin-speed.bench.ts [megabytes, default 94]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPerfCollapser } from '../../src/stacks/perf.js';
import { formatFolded } from '../../src/stacks/folded.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const MB = Number(process.argv[2] ?? 94);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

if (!existsSync(MAIN)) {
  console.error('dist/cli/main.js is missing: run `npm run build` (npm run bench does)');
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), 'fb-dropin-bench-'));
try {
  // One unit: the perf script samples we ship that record cpu-clock (collapse keeps the first
  // event type only), each ended by a blank line so they concatenate.
  const sources = [
    'speedscope/linux-perf/forks.linux-perf.txt',
    'speedscope/linux-perf/simple-with-header.linux-perf.txt',
    'speedscope/linux-perf/system-wide.linux-perf.txt',
    'inferno/collapse-perf/java-inline.txt',
  ].map((f) => path.join(ROOT, 'test/fixtures', f));
  const unit = Buffer.concat(sources.map((f) => Buffer.concat([readFileSync(f), Buffer.from('\n\n')])));
  const make = (mb: number) => {
    const file = path.join(dir, `perf-${mb}MB.txt`);
    const copies = Math.max(1, Math.round((mb * 1e6) / unit.length));
    writeFileSync(file, Buffer.concat(Array.from({ length: copies }, () => unit)));
    return file;
  };
  const big = make(MB);
  const bigMB = statSync(big).size / 1e6;

  // 1. In process: the byte path the CLI uses, 1 MiB pieces from memory (no disk in the number).
  const bytes = readFileSync(big);
  const inProcess: { wall: number; cpu: number }[] = [];
  let folded = '';
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const c = createPerfCollapser({});
    for (let o = 0; o < bytes.length; o += 1 << 20) c.writeBytes(bytes.subarray(o, o + (1 << 20)));
    folded = formatFolded(c.finish().stacks);
    const cu = process.cpuUsage(c0);
    inProcess.push({ wall: (performance.now() - t0) / 1000, cpu: (cu.user + cu.system) / 1e6 });
  }
  const bestWall = Math.min(...inProcess.map((x) => x.wall));
  const bestCpu = Math.min(...inProcess.map((x) => x.cpu));

  // A preload that reports the child's peak RSS and CPU time when it exits.
  const probe = path.join(dir, 'usage.mjs');
  // Peak RSS from VmHWM, the high-water mark of this process's own memory: getrusage's maxRSS
  // survives fork+exec on Linux and would report this (large) bench process instead.
  writeFileSync(
    probe,
    "import { readFileSync, writeSync } from 'node:fs';\n" +
      "process.on('exit', () => { const u = process.resourceUsage(); const hwm = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]; " +
      'writeSync(2, `\\nUSAGE ${hwm} ${(u.userCPUTime + u.systemCPUTime) / 1e6}\\n`); });\n',
  );
  const runCli = (args: string[], input?: Buffer) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', probe, MAIN, ...args], { input, maxBuffer: 1 << 30 });
    const wall = (performance.now() - t0) / 1000;
    const m = /USAGE (\d+) ([\d.]+)/.exec(r.stderr.toString());
    if (r.status !== 0 || !m) throw new Error(`flamebench ${args.join(' ')} failed: ${r.stderr.toString().slice(0, 500)}`);
    return { wall, rssMB: Number(m[1]) / 1024, cpu: Number(m[2]), stdout: r.stdout };
  };

  // 2. End to end, and Perl when a FlameGraph checkout is named.
  const ours = Array.from({ length: 3 }, () => runCli(['collapse', 'perf', big]));
  const oursWall = median(ours.map((r) => r.wall));
  const flamegraphDir = process.env.FLAMEGRAPH_DIR;
  const perlScript = flamegraphDir ? path.join(flamegraphDir, 'stackcollapse-perf.pl') : undefined;
  let perl: { wall: number; same: boolean } | undefined;
  if (perlScript && existsSync(perlScript)) {
    const walls: number[] = [];
    let out = Buffer.alloc(0);
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const p = spawnSync('perl', [perlScript, big], { maxBuffer: 1 << 30 });
      walls.push((performance.now() - t0) / 1000);
      out = p.stdout;
    }
    const compat = runCli(['collapse', 'perf', '--perl-compat', big]);
    perl = { wall: median(walls), same: compat.stdout.equals(out) };
  }

  // 3. Peak RSS at three sizes.
  const sizes = [3, MB, MB * 3].map((mb) => ({ mb, file: mb === MB ? big : make(mb) }));
  const rss = sizes.map(({ mb, file }) => ({ mb, rssMB: runCli(['collapse', 'perf', file]).rssMB }));

  // 4. Start-up.
  const small = path.join(dir, 'small.folded');
  writeFileSync(small, 'main;a;b 90\nmain;c 9\nmain;c;d 1\n');
  const startup = (args: string[]) => {
    const rs = Array.from({ length: 11 }, () => runCli(args));
    return { wall: median(rs.map((r) => r.wall)), min: Math.min(...rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)) };
  };
  // Node alone, with the same preload: the floor under any CLI start-up.
  const bare = (() => {
    const rs = Array.from({ length: 11 }, () => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--import', probe, '-e', '0']);
      return { wall: (performance.now() - t0) / 1000, cpu: Number(/USAGE \d+ ([\d.]+)/.exec(r.stderr.toString())?.[1]) };
    });
    return { wall: median(rs.map((r) => r.wall)), min: Math.min(...rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)) };
  })();
  const version = startup(['--version']);
  const render = startup(['render', small]);

  const rows: [string, string][] = [
    ['input', `${bigMB.toFixed(1)} MB of perf script (test/fixtures cpu-clock samples repeated), ${folded.split('\n').length - 1} folded stacks`],
    ['in-process collapse (best of 5)', `${(bigMB / bestWall).toFixed(0)} MB/s wall, ${(bigMB / bestCpu).toFixed(0)} MB/s per CPU second (target ≥ 500)`],
    ['end to end, flamebench (median of 3)', `${oursWall.toFixed(2)} s wall, ${median(ours.map((r) => r.cpu)).toFixed(2)} s CPU`],
    [
      'end to end, stackcollapse-perf.pl',
      perl ? `${perl.wall.toFixed(2)} s wall; ratio ${(perl.wall / oursWall).toFixed(1)}x (target ≥ 4x); --perl-compat output identical: ${perl.same ? 'yes' : 'NO'}` : 'not run (set FLAMEGRAPH_DIR to a FlameGraph checkout)',
    ],
    ['peak RSS of collapse', `${rss.map((r) => `${r.mb.toFixed(0)} MB in: ${r.rssMB.toFixed(0)} MB`).join('; ')} (target < 64 MB)`],
    ['node -e 0', `${(bare.wall * 1000).toFixed(0)} ms median, ${(bare.min * 1000).toFixed(0)} ms min, ${(bare.cpu * 1000).toFixed(0)} ms CPU`],
    ['flamebench --version', `${(version.wall * 1000).toFixed(0)} ms median, ${(version.min * 1000).toFixed(0)} ms min, ${(version.cpu * 1000).toFixed(0)} ms CPU (target < 100 ms)`],
    ['flamebench render (3 stacks)', `${(render.wall * 1000).toFixed(0)} ms median, ${(render.min * 1000).toFixed(0)} ms min, ${(render.cpu * 1000).toFixed(0)} ms CPU (target < 100 ms)`],
    ['load average', `${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores (wall times suffer from a busy machine)`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
