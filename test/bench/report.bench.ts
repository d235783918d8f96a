/**
 * `flamebench report` on a run directory whose cpu probe holds N unique stacks (default 200,000,
 * depth 10–40, nginx/LuaJIT/kernel-like names): prints render time, peak RSS and report size.
 * The flame-graph renderer dominates; the report's own work (parse, top frames, plots, template) is
 * timed separately. Run: npx tsx test/bench/report.bench.ts [stacks]
 */
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/compare/stats.js';
import { buildReportModel, readRun, renderRunReport } from '../../src/report/index.js';

const N = Number(process.argv[2] ?? 200_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Deterministic PRNG (mulberry32).
const rng = mulberry32;

function foldedText(n: number): string {
  const rand = rng(42);
  const names: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const k = rand();
    names.push(k < 0.15 ? `tcp_fn_${i}_[k]` : k < 0.4 ? `@/usr/lib/resty/m${i % 97}.lua:${i % 900}` : `ngx_http_fn_${i}`);
  }
  const seen = new Set<string>();
  const lines: string[] = [];
  while (lines.length < n) {
    const depth = 10 + Math.floor(rand() * 31);
    const frames = ['nginx', 'main', 'ngx_master_process_cycle', 'ngx_worker_process_cycle'];
    for (let d = frames.length; d < depth; d++) frames.push(names[Math.floor(rand() ** 2 * names.length)] as string);
    const s = frames.join(';');
    if (seen.has(s)) continue;
    seen.add(s);
    lines.push(`${s} ${1 + Math.floor(rand() ** 4 * 500)}`);
  }
  return `${lines.join('\n')}\n`;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'fb-report-bench-'));
try {
  const dir = path.join(tmp, 'run');
  cpSync(path.join(root, 'test/fixtures/run-sample'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'stacks/cpu.folded'), foldedText(N));

  let t = performance.now();
  const run = await readRun(dir);
  const readMs = performance.now() - t;
  t = performance.now();
  buildReportModel(run, { flame: null });
  const modelMs = performance.now() - t;
  t = performance.now();
  const file = await renderRunReport(dir);
  const fullMs = performance.now() - t;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  console.log(`report of a run with ${N.toLocaleString('en-US')} unique cpu stacks (${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)})`);
  console.table({
    'read run dir (parse folded)': { ms: Math.round(readMs) },
    'view model without flame graphs (top frames, plots)': { ms: Math.round(modelMs) },
    'renderRunReport total (incl. flame graphs)': { ms: Math.round(fullMs) },
  });
  console.log(`peak RSS ${rssMb.toFixed(0)} MB; report.html ${(statSync(file).size / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
