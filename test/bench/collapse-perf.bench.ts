/**
 * Throughput of the `perf script` collapser against FlameGraph's stackcollapse-perf.pl.
 * Input: FlameGraph's example-perf-stacks (3 MB, a busy system) decompressed and repeated
 * REPEAT times (default 10, ~31 MB) into a temp file, streamed through collapsePerfStream.
 * Run: npx tsx test/bench/collapse-perf.bench.ts [repeat]
 */
import { SHARED_FIXTURES } from '../helpers/fixtures.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { collapsePerfStream } from '../../src/stacks/perf.js';
import { formatFolded } from '../../src/stacks/folded.js';

const REPEAT = Number(process.argv[2] ?? 10);
const FIXTURE = join(SHARED_FIXTURES, 'flamegraph-perf/example-perf-stacks.txt.gz');
const ORACLE = fileURLToPath(new URL('../fixtures/oracle/stackcollapse-perf.pl', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'flamebench-bench-'));
try {
  const one = gunzipSync(readFileSync(FIXTURE));
  const file = join(dir, 'big.perf.txt');
  writeFileSync(file, Buffer.concat(Array.from({ length: REPEAT }, () => one)));
  const mb = statSync(file).size / 1e6;

  // Peak memory is sampled while streaming: RSS includes V8's heap reservations, heapUsed is live data.
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);

  const runs: number[] = [];
  let folded = '';
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const { stacks } = await collapsePerfStream(createReadStream(file, { highWaterMark: 1 << 20 }), { encoding: 'latin1' });
    folded = formatFolded(stacks);
    runs.push(performance.now() - t0);
    sample();
  }
  clearInterval(timer);
  const best = Math.min(...runs);
  const ourMBs = mb / (best / 1000);

  let perlMBs = NaN;
  let same = 'n/a';
  const hasPerl = spawnSync('perl', ['-v']).status === 0;
  if (hasPerl) {
    const t0 = performance.now();
    const out = execFileSync('perl', [ORACLE, file], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    const ms = performance.now() - t0;
    perlMBs = mb / (ms / 1000);
    same = out.toString('latin1') === folded ? 'yes' : 'NO';
  }

  const rows: [string, string][] = [
    ['input', `${mb.toFixed(1)} MB (example-perf-stacks x${REPEAT})`],
    ['flamebench collapse (best of 3)', `${(best / 1000).toFixed(2)} s, ${ourMBs.toFixed(0)} MB/s`],
    ['stackcollapse-perf.pl', hasPerl ? `${(mb / perlMBs).toFixed(2)} s, ${perlMBs.toFixed(1)} MB/s` : 'perl not installed'],
    ['speed-up vs perl', hasPerl ? `${(ourMBs / perlMBs).toFixed(1)}x` : 'n/a'],
    ['output identical to perl', same],
    ['peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MiB`],
    ['peak heap used', `${(peakHeap / 2 ** 20).toFixed(0)} MiB`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
