/**
 * Renders 200,000 unique stacks (depth 10–40, skewed counts, nginx/LuaJIT/kernel-like names) and
 * prints time, peak memory and output size. flamegraph.pl needs ~35 s and 1.2 GB for this on our
 * machine; the target is < 3 s and < 300 MB. Run: npx tsx test/bench/render.bench.ts [stacks]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/compare/stats.js';
import { renderSvg, renderDiffSvg } from '../../src/flamegraph/index.js';
import { formatFolded, type Folded } from '../../src/stacks/folded.js';
import { formatDiffFolded, type DiffFolded } from '../../src/stacks/diff.js';
import { readFoldedOrDiff } from '../../src/cli/commands/folded-input.js';

const N = Number(process.argv[2] ?? 200_000);

// Deterministic PRNG (mulberry32): the same stacks on every run.
const rng = mulberry32;

function vocabulary(rand: () => number): string[] {
  const stems = ['ngx_http', 'ngx_event', 'lj_BC', 'lj_gc', 'lj_str', 'ngx_http_lua', 'tcp', 'sys', '__libc', 'ngx_palloc'];
  const words = ['read', 'write', 'handler', 'process', 'run', 'send', 'recv', 'alloc', 'parse', 'request', 'header', 'body', 'filter', 'timer', 'hash'];
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const stem = stems[Math.floor(rand() * stems.length)] as string;
    const w = words[Math.floor(rand() * words.length)] as string;
    const kind = rand();
    if (kind < 0.15) out.push(`${stem}_${w}_${i}_[k]`);
    else if (kind < 0.4) out.push(`@/usr/local/openresty/lualib/resty/${w}${i % 97}.lua:${(i * 7) % 900}`);
    else if (kind < 0.45) out.push(`${w}_${i}_[j]`);
    else out.push(`${stem}_${w}_${i}`);
  }
  return out;
}

function generate(n: number, seed: number): Folded {
  const rand = rng(seed);
  const vocab = vocabulary(rng(1));
  const folded: Folded = new Map();
  // A shared trunk, then a random walk biased towards "hot" children, so stacks share prefixes
  // the way real profiles do and the tail makes them unique.
  const trunk = ['nginx', 'main', 'ngx_master_process_cycle', 'ngx_start_worker_processes', 'ngx_worker_process_cycle'];
  while (folded.size < n) {
    const depth = 10 + Math.floor(rand() * 31);
    const frames = trunk.slice(0, Math.min(trunk.length, depth));
    let node = 0;
    while (frames.length < depth) {
      // Children of a node are a deterministic function of the node; pick one with a skew.
      const pick = Math.floor(Math.pow(rand(), 3) * 12);
      node = (node * 31 + pick * 7919 + frames.length) % vocab.length;
      frames.push(vocab[node] as string);
    }
    const count = Math.max(1, Math.floor(1 / Math.pow(rand() + 1e-4, 1.2))); // heavy-tailed
    const stack = frames.join(';');
    folded.set(stack, (folded.get(stack) ?? 0) + count);
  }
  return folded;
}

// Each measurement runs in a fresh child process that reads the folded file from disk and renders it,
// as `flamebench render` (and flamegraph.pl) do: its peak RSS (getrusage maxRSS, the kernel's
// high-water mark) is then the whole cost of file → SVG, not polluted by this generator.
async function child(file: string, mode: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let svg: string;
  const data = await readFoldedOrDiff(file); // the reader `flamebench render` uses
  const readRssMB = process.resourceUsage().maxRSS / 1024;
  const tRead = performance.now();
  if (mode === 'diff') {
    if (data.kind !== 'diff') throw new Error('expected three-column input');
    svg = renderDiffSvg(data.diff, { title: 'bench diff' });
  } else {
    if (data.kind !== 'folded') throw new Error('expected folded input');
    svg = renderSvg(data.stacks, { title: 'bench' });
  }
  const tEnd = performance.now();
  const ms = tEnd - t0;
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(`${file}.svg`, svg);
  const out = {
    secs: ms / 1000,
    cpuSecs: (cpu.user + cpu.system) / 1e6,
    renderSecs: (tEnd - tRead) / 1000,
    readRssMB,
    svgMB: Buffer.byteLength(svg) / 1e6,
    frames: svg.split('<g>').length - 1,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string);
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-render-bench-'));
  try {
    const tGen = performance.now();
    const folded = generate(N, 42);
    const foldedFile = path.join(dir, 'in.folded');
    writeFileSync(foldedFile, formatFolded(folded));
    const rand = rng(7);
    const diff: DiffFolded = new Map();
    for (const [k, v] of folded) diff.set(k, { before: v, after: rand() < 0.1 ? v * 2 : v });
    const diffFile = path.join(dir, 'in.diff');
    writeFileSync(diffFile, formatDiffFolded(diff));
    const genSecs = (performance.now() - tGen) / 1000;
    const self = fileURLToPath(import.meta.url);
    const run = (file: string, mode: string) =>
      JSON.parse(
        execFileSync(process.execPath, [...process.execArgv, self, '--child', file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 }),
      ) as { secs: number; cpuSecs: number; renderSecs: number; readRssMB: number; svgMB: number; frames: number; maxRssMB: number };
    const baseline = JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, '-e', 'process.stdout.write(JSON.stringify(process.resourceUsage().maxRSS/1024))'], {
        encoding: 'utf8',
      }),
    ) as number;
    const rows = [
      { what: 'render (folded → SVG)', ...run(foldedFile, 'folded') },
      { what: 'diff render (3-column → SVG)', ...run(diffFile, 'diff') },
    ];
    console.log(
      `input: ${folded.size.toLocaleString('en')} unique stacks, depth 10–40, ${(statSync(foldedFile).size / 1e6).toFixed(0)} MB folded text (generated in ${genSecs.toFixed(1)} s)`,
    );
    console.table(
      rows.map((r) => ({
        what: r.what,
        'read+render wall s': r.secs.toFixed(2),
        'CPU s': r.cpuSecs.toFixed(2),
        'render-only wall s': r.renderSecs.toFixed(2),
        'peak RSS after read MB': r.readRssMB.toFixed(0),
        'peak RSS MB': r.maxRssMB.toFixed(0),
        'SVG MB': r.svgMB.toFixed(1),
        'frames drawn': r.frames,
      })),
    );
    console.log(`peak RSS of an empty node process with the same loader: ${baseline.toFixed(0)} MB; target: < 3 s, < 300 MB; load average now: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores (wall time suffers from a busy machine, CPU time less)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
