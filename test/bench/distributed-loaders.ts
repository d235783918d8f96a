/**
 * Issue 17, point 5: rps and per-loader CPU with 1, 2 and 3 loaders in network namespaces against
 * hello, the start skew, and the protocol's cost per request against the local (IPC) loader.
 * Run as root: `npx tsx test/bench/distributed-loaders.ts [rounds]`. Configurations are
 * interleaved round by round; medians and ranges are printed. On a 2-core machine every loader
 * shares CPU 1 (taskset in the launch prefix), so this proves correctness and measures overhead,
 * not scale. Writes nothing outside a temp directory; removes its namespaces.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunManifest } from '../../src/runs/types.js';
import { cliArgs } from '../helpers/cli.js';
import { createNetns } from '../load/netns.js';
import { netnsHelloScenario } from '../load/netns-scenario.js';

const rounds = Number(process.argv[2] ?? 3);
const ns = createNetns(3);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-dist-bench-'));
const pin = ['taskset', '-c', '1'];
const configs: Record<string, string> = {
  'local (IPC)': '  hosts: [local]\n',
  'stdio, same ns': `  hosts:\n    - ${JSON.stringify(pin)}\n`,
  '1 netns loader': `  hosts:\n${ns.loaders.slice(0, 1).map((l) => `    - ${JSON.stringify(['ip', 'netns', 'exec', l, ...pin])}\n`).join('')}`,
  '2 netns loaders': `  hosts:\n${ns.loaders.slice(0, 2).map((l) => `    - ${JSON.stringify(['ip', 'netns', 'exec', l, ...pin])}\n`).join('')}`,
  '3 netns loaders': `  hosts:\n${ns.loaders.map((l) => `    - ${JSON.stringify(['ip', 'netns', 'exec', l, ...pin])}\n`).join('')}`,
};

interface Row {
  rps: number;
  workerPct: number;
  loaderCpuUsPerReq: number;
  perLoader: string;
  skewMs: number | null;
}
const rows: Record<string, Row[]> = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));

try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, hosts] of Object.entries(configs)) {
      const file = path.join(tmp, 's.yaml');
      writeFileSync(
        file,
        netnsHelloScenario('dist-bench', ns.serverAddress, { connections: 64, pipelining: 16, duration: '5s', warmup: '1s', more: `  cpus: [1]\n${hosts}` }),
      );
      const out = path.join(tmp, `r${r}-${name.replace(/\W+/g, '_')}`);
      const [node, argv] = cliArgs(['run', file, '--out', out, '--quiet', '--no-report']);
      const p = spawnSync('ip', ['netns', 'exec', ns.server, node, ...argv], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`${name}: exit ${p.status}: ${p.stderr}`);
      const m = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunManifest;
      const requests = m.load?.requests ?? 0;
      const windowSec = (m.load?.durationMs ?? 0) / 1000;
      const shares = m.loaders?.loaders ?? null;
      const loaderCpuUs = shares
        ? shares.reduce((a, s) => a + (s.cpuPct / 100) * windowSec * 1e6, 0)
        : ((m.cpu.summary?.loaderPctMean ?? 0) / 100) * windowSec * 1e6;
      rows[name]!.push({
        rps: m.load?.rps ?? 0,
        workerPct: m.cpu.summary?.workerPctMean ?? 0,
        loaderCpuUsPerReq: requests > 0 ? loaderCpuUs / requests : 0,
        perLoader: shares ? shares.map((s) => `${Math.round(s.rps)} rps/${s.cpuPct}%`).join(' + ') : `${m.cpu.summary?.loaderPctMean ?? 0}%`,
        skewMs: m.loaders ? m.loaders.startSkewMs.measure : null,
      });
      process.stderr.write(`round ${r + 1} ${name}: ${JSON.stringify(rows[name]!.at(-1))}\n`);
    }
  }
} finally {
  ns.remove();
  rmSync(tmp, { recursive: true, force: true });
}

const med = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};
const range = (xs: number[]): string => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
console.log(`| loaders | rps median (range) | worker CPU % | loader CPU µs/request median (range) | start skew ms median (range) | per loader (last round) |`);
console.log('|---|---|---|---|---|---|');
for (const [name, rs] of Object.entries(rows)) {
  const skews = rs.map((x) => x.skewMs).filter((x): x is number => x !== null);
  console.log(
    `| ${name} | ${Math.round(med(rs.map((x) => x.rps)))} (${range(rs.map((x) => x.rps))}) | ${med(rs.map((x) => x.workerPct)).toFixed(1)} | ${med(rs.map((x) => x.loaderCpuUsPerReq)).toFixed(2)} (${range(rs.map((x) => x.loaderCpuUsPerReq))}) | ${skews.length ? `${med(skews).toFixed(2)} (${range(skews)})` : '—'} | ${rs.at(-1)?.perLoader ?? ''} |`,
  );
}
console.log(`${rounds} rounds, configurations interleaved in each round.`);
