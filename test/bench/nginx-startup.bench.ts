// How long the target stage takes around a run: start (nginx -t + spawn + workers up + port
// answers + pinning verified) and graceful stop, for the hello config, 1 and 2 workers.
// Run: npx tsx test/bench/nginx-startup.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../../src/compare/stats.js';
import { runPaths } from '../../src/runs/paths.js';
import { findNginx, planPlacement, readUsableCpus, startNginx } from '../../src/nginx/index.js';
import { scenarioWith } from '../nginx/helpers.js';

const ROUNDS = 10;

async function main(): Promise<void> {
  const installation = await findNginx('auto');
  const rows: string[] = [];
  for (const workers of [1, 2]) {
    const { nginxCpus } = planPlacement('auto', 'auto', workers, readUsableCpus());
    const startMs: number[] = [];
    const stopMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'flamebench-bench-'));
      try {
        const t0 = performance.now();
        const t = await startNginx(scenarioWith({ workers }), runPaths(dir), { injections: [], nginxCpus, installation });
        const t1 = performance.now();
        await (await fetch(t.baseUrl)).text();
        const t2 = performance.now();
        await t.stop();
        startMs.push(t1 - t0);
        stopMs.push(performance.now() - t2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(`| ${workers} | ${nginxCpus.join(',')} | ${median(startMs).toFixed(0)} | ${Math.max(...startMs).toFixed(0)} | ${median(stopMs).toFixed(0)} | ${Math.max(...stopMs).toFixed(0)} |`);
  }
  console.log(`target start/stop, ${ROUNDS} rounds each, ${installation.binary}`);
  console.log('| workers | nginx CPUs | start median ms | start max ms | stop median ms | stop max ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
