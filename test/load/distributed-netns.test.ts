/**
 * Issue 17: several loaders over the loader protocol, across real network stacks on one machine.
 * nginx and the coordinating `flamebench run` live in one network namespace, two loaders in two
 * others, joined by veth pairs on a bridge; the load crosses the veth links to a 10.231.x.1 address
 * that exists only inside these namespaces (allowed with load.allowNonLoopback: true, the explicit
 * permission for a target that is not loopback). Loaders are launched with ["ip","netns","exec",<ns>].
 */
import { renderRunReport } from '../../src/report/index.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/load/histogram.js';
import type { LoadResult, RunManifest } from '../../src/runs/types.js';
import { cliArgs, spawnCli, type CliResult } from '../helpers/cli.js';
import { createNetns, existingNamespaces, type Netns } from './netns.js';
import { netnsHelloScenario } from './netns-scenario.js';
import { measuredWindowStarted } from '../helpers/run-window.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-dist-'));
let ns: Netns;
beforeAll(() => {
  ns = createNetns(2);
});
afterAll(() => {
  ns?.remove();
  rmSync(tmp, { recursive: true, force: true });
});
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;

function scenario(name: string, extraLoad: string, duration = '3s'): string {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    netnsHelloScenario(name, ns.serverAddress, {
      connections: 16,
      pipelining: 4,
      duration,
      warmup: '500ms',
      more: `  hosts:\n    - [ip, netns, exec, ${ns.loaders[0]}]\n    - [ip, netns, exec, ${ns.loaders[1]}]\n${extraLoad}`,
    }),
  );
  return file;
}

/** `flamebench run` inside the server namespace (its nginx binds the bridge address there). */
function runInServerNs(args: string[]): { child: ReturnType<typeof spawnCli>['child']; done: Promise<CliResult> } {
  const [node, argv] = cliArgs(args);
  return spawnCli([], { prefix: ['ip', 'netns', 'exec', ns.server, node, ...argv] });
}

/**
 * A 30 s run in the server namespace, `ms` into its measured window: for the tests that stop it
 * by hand (a loader or the coordinator killed, Ctrl-C) while both loaders are loading.
 */
async function runIntoWindow(name: string, ms: number): Promise<{ out: string; child: ReturnType<typeof spawnCli>['child']; done: Promise<CliResult> }> {
  const out = path.join(tmp, name);
  const run = runInServerNs(['run', scenario(name, '', '30s'), '--out', out, '--quiet', '--no-report']);
  await untilMeasuring(out);
  await new Promise((r) => setTimeout(r, ms));
  return { out, ...run };
}

describe('two loaders in two network namespaces, nginx in a third', () => {
  it('splits the connections, merges counts and histograms exactly, records shares and start skew, leaves nothing running', async () => {
    const out = path.join(tmp, 'ok');
    const r = await runInServerNs(['run', scenario('split', ''), '--out', out, '--quiet', '--no-report']).done;
    expect(r.code, r.stderr).toBe(0);
    const m = readJson<RunManifest>(path.join(out, 'run.json'));
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(m.loaders?.loaders.map((l) => l.host)).toEqual(ns.loaders.map((l) => `ip netns exec ${l}`));
    const shares = m.loaders!.loaders;
    expect(shares.map((s) => s.connections)).toEqual([8, 8]);
    for (const s of shares) {
      expect(s.requests).toBeGreaterThan(1000);
      expect(s.cpuPct).toBeGreaterThan(0);
      // Equal connections to one server: neither loader does nearly everything.
      expect(s.requests / load.requests).toBeGreaterThan(0.2);
    }
    // Totals are the sum of the loaders' counts, the series and the merged histogram agree.
    expect(shares.reduce((a, s) => a + s.requests, 0)).toBe(load.requests);
    expect(load.series.reduce((a, s) => a + s.requests, 0)).toBe(load.requests);
    expect(decodeHistogram(load.histogram).totalCount).toBe(load.requests);
    expect(load.errors).toBe(0);
    expect(m.loaders!.startSkewMs.measure).toBeGreaterThanOrEqual(0);
    expect(m.loaders!.startSkewMs.measure).toBeLessThan(500);
    expect(ns.pids()).toEqual([]);
    // The report shows each loader's share beside the merged totals.
    const html = readFileSync(await renderRunReport(out), 'utf8');
    expect(html).toContain('<section id="loaders">');
    for (const l of ns.loaders) expect(html).toContain(`<code>ip netns exec ${l}</code>`);
  }, 60_000);

  it('refuses a loader of another protocol version with a clear message (exit 3), nothing left running', async () => {
    const fake = `process.stdout.write(JSON.stringify({type:'ready',protocol:1,version:'0.0.1',hostname:'old'})+'\\n');setInterval(()=>{},1000)`;
    const file = scenario('skew', `  loaderCommand: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(fake)}]\n`);
    const r = await runInServerNs(['run', file, '--out', path.join(tmp, 'skew'), '--quiet', '--no-report']).done;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/E_LOADER_VERSION/);
    expect(r.stderr).toMatch(/protocol 1 \(flamebench 0\.0\.1\).*speaks protocol \d+/);
    expect(ns.pids()).toEqual([]);
  }, 60_000);

  it('a loader killed mid-window: exit 4, the window measured so far kept (partial load.json), the other loader stopped', async () => {
    const { out, done } = await runIntoWindow('killed', 2500);
    const victims = pidsIn(ns.loaders[0]!);
    expect(victims.length).toBeGreaterThan(0);
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    const r = await done;
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/E_LOADER_DIED/);
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(load.partial).toBe(true);
    expect(load.requests).toBeGreaterThan(0);
    expect(load.series.reduce((a, s) => a + s.requests, 0)).toBe(load.requests);
    expect(decodeHistogram(load.histogram).totalCount).toBe(load.requests);
    expect(load.durationMs).toBeLessThan(20_000);
    expect(ns.pids()).toEqual([]);
  }, 60_000);

  it('Ctrl-C stops every loader: exit 130, partial window kept, nothing running in any namespace', async () => {
    const { out, child, done } = await runIntoWindow('sigint', 1500);
    // ip netns exec execs node: the pid is flamebench's.
    process.kill(child.pid!, 'SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(load.partial).toBe(true);
    expect(load.requests).toBeGreaterThan(0);
    expect(ns.pids()).toEqual([]);
  }, 60_000);

  it('the coordinator SIGKILLed mid-window: every loader exits as its channel closes, the guard stops nginx; nothing left in any namespace', async () => {
    const { child, done } = await runIntoWindow('sigkill', 1000);
    expect(pidsIn(ns.loaders[0]!).length).toBeGreaterThan(0);
    expect(pidsIn(ns.loaders[1]!).length).toBeGreaterThan(0);
    process.kill(child.pid!, 'SIGKILL');
    await done;
    const deadline = Date.now() + 10_000;
    while (ns.pids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(ns.pids()).toEqual([]);
  }, 60_000);

  it('removes its namespaces', () => {
    const names = ns.all();
    ns.remove();
    expect(existingNamespaces().filter((n) => names.includes(n))).toEqual([]);
  });
});

function pidsIn(n: string): number[] {
  return execFileSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
}

async function untilMeasuring(out: string): Promise<void> {
  if ((await measuredWindowStarted(out)) === null) throw new Error('the run never reached its measured window');
}
