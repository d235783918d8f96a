/**
 * Throughput and peak memory of the `perf script` collapser.
 * Input: FlameGraph's example-perf-stacks (3 MB, a busy system; test/fixtures/flamegraph-perf)
 * decompressed and repeated REPEAT times (default 10, ~31 MB) into a temp file, streamed
 * through collapsePerfStream. With FLAMEGRAPH_DIR pointing at a FlameGraph checkout (and perl
 * installed) it also times that checkout's stackcollapse-perf.pl on the same file and prints
 * the ratio; no FlameGraph code is in this repository.
 * Run: npx tsx test/bench/collapse-perf.bench.ts [repeat]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatFolded } from '../../src/stacks/folded.js';
import { collapsePerfStream } from '../../src/stacks/perf.js';
import { FLAMEGRAPH_PERF } from '../helpers/fixtures.js';

const REPEAT = Number(process.argv[2] ?? 10);
const FIXTURE = join(FLAMEGRAPH_PERF, 'example-perf-stacks.txt.gz');

/** The user's FlameGraph checkout's script, or why there is none. */
function perlScript(): { path: string } | { missing: string } {
  const dir = process.env.FLAMEGRAPH_DIR;
  if (!dir) return { missing: 'set FLAMEGRAPH_DIR to a FlameGraph checkout to compare' };
  const path = join(dir, 'stackcollapse-perf.pl');
  if (!existsSync(path)) return { missing: `no stackcollapse-perf.pl in FLAMEGRAPH_DIR (${dir})` };
  if (spawnSync('perl', ['-v']).status !== 0) return { missing: 'perl not installed' };
  return { path };
}

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

  const rows: [string, string][] = [
    ['input', `${mb.toFixed(1)} MB (example-perf-stacks x${REPEAT})`],
    ['flamebench collapse (best of 3)', `${(best / 1000).toFixed(2)} s, ${ourMBs.toFixed(0)} MB/s`],
    ['peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MiB`],
    ['peak heap used', `${(peakHeap / 2 ** 20).toFixed(0)} MiB`],
  ];
  const perl = perlScript();
  if ('path' in perl) {
    const t0 = performance.now();
    const out = execFileSync('perl', [perl.path, file], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    const perlMBs = mb / ((performance.now() - t0) / 1000);
    rows.push(
      ['stackcollapse-perf.pl', `${(mb / perlMBs).toFixed(2)} s, ${perlMBs.toFixed(1)} MB/s (${perl.path})`],
      ['speed-up vs perl', `${(ourMBs / perlMBs).toFixed(1)}x`],
      ['output identical to perl', out.toString('latin1') === folded ? 'yes' : 'NO'],
    );
  } else {
    rows.push(['stackcollapse-perf.pl', `not run: ${perl.missing}`]);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
