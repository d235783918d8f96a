/**
 * Faults a hostile but fair user causes, with real nginx, real autocannon, real perf and real
 * signals (issue 11, rows 4–8): each leaves a truthful run.json and no process behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../src/runs/types.js';
import { readLiveRuns } from '../../src/runs/live-runs.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readManifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until run.json says the measured window started. */
async function windowStarted(dir: string, ms = 40_000): Promise<RunManifest> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await sleep(200);
    try {
      const m = readManifest(dir);
      if (m.timings.measureStartedAt) return m;
    } catch {
      /* not written yet */
    }
  }
  throw new Error(`${dir}: the measured window did not start within ${ms} ms`);
}

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
}

/**
 * Every process of a run still running: its nginx master and workers (by pid from run.json),
 * anything naming the run directory (perf record -o <dir>/raw/…), the loader.
 */
function leftovers(dir: string, m: RunManifest | null): number[] {
  const pids = new Set<number>(processesMentioning(dir).filter((p) => !/vitest|main\.ts/.test(p.cmdline)).map((p) => p.pid));
  for (const pid of [m?.target?.masterPid, ...(m?.target?.workerPids ?? [])]) if (pid && running(pid)) pids.add(pid);
  return [...pids].filter(running);
}

async function noLeftovers(dir: string, m: RunManifest | null, ms = 5_000): Promise<number[]> {
  const until = Date.now() + ms;
  let left = leftovers(dir, m);
  while (left.length > 0 && Date.now() < until) {
    await sleep(100);
    left = leftovers(dir, m);
  }
  return left;
}

/**
 * A 30 s run of hello started by the CLI, `ms` into its measured window: for the tests that stop
 * it by a signal. `m0` is run.json as the window began (nginx's pids).
 */
async function runIntoWindow(
  name: string,
  ms: number,
  spawnOpts: Parameters<typeof spawnCli>[1] = {},
): Promise<{ out: string; m0: RunManifest } & ReturnType<typeof spawnCli>> {
  const out = path.join(tmp, name);
  const run = spawnCli(['run', 'scenarios/hello.yaml', '--duration', '30', '--warmup', '1', '--out', out, '--quiet'], spawnOpts);
  const m0 = await windowStarted(out);
  await sleep(ms);
  return { out, m0, ...run };
}

const tempFiles = (dir: string) =>
  [dir, path.join(dir, 'stacks'), path.join(dir, 'nginx')].flatMap((d) => (existsSync(d) ? readdirSync(d).filter((n) => n.includes('.tmp-')) : []));

describe('a worker that dies mid-window (real nginx, real kill -9)', () => {
  it('is followed: its replacement is measured, the death is a warning, CPU is never negative', async () => {
    const out = path.join(tmp, 'worker-kill');
    const { done } = spawnCli(['run', 'scenarios/hello.yaml', '--duration', '4', '--warmup', '1', '--out', out]);
    const m0 = await windowStarted(out);
    await sleep(1000);
    const victim = m0.target!.workerPids[0]!;
    process.kill(victim, 'SIGKILL');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const m = readManifest(out);
    expect(m.warnings.some((w) => new RegExp(`^nginx worker ${victim} exited during the measured window .*the master started worker \\d+ in its place`).test(w))).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`warning: nginx worker ${victim} exited`));
    expect(m.cpu.summary!.workerCpuUs).toBeGreaterThan(0);
    expect(m.cpu.summary!.workerCpuUsPerRequest).toBeGreaterThan(0);
    // The replacement was sampled: measured samples after the kill still show worker CPU.
    const measured = m.cpu.samples.filter((s) => s.phase === 'measure');
    expect(measured.at(-1)!.workers.some((w) => w > 0)).toBe(true);
    expect(readFileSync(path.join(out, 'nginx/error.log'), 'utf8')).toMatch(/exited on signal 9/);
    expect(await noLeftovers(out, m)).toEqual([]);
  }, 120_000);
});

describe('a worker that exits by itself (os.exit() in a Lua timer)', () => {
  it('is noticed the same way', async () => {
    const scenario = path.join(tmp, 'os-exit.yaml');
    writeFileSync(
      scenario,
      [
        'openresty:',
        '  config: |',
        '    lua_shared_dict fb_once 1m;',
        '    init_worker_by_lua_block {',
        '      -- Only the first worker exits; its replacement stays.',
        '      if ngx.shared.fb_once:add("exited", true) then',
        '        ngx.timer.at(3, function() os.exit(1) end)',
        '      end',
        '    }',
        '    server { listen {{listen}}; location / { return 200 "ok\\n"; } }',
        'load: {connections: 8, duration: 5s, warmup: 1s}',
        'probes: []',
      ].join('\n'),
    );
    const out = path.join(tmp, 'os-exit');
    const r = await runCli(['run', scenario, '--out', out, '--quiet', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    const m = readManifest(out);
    const w = m.warnings.find((x) => x.startsWith(`nginx worker ${m.target!.workerPids[0]} exited`));
    expect(w, JSON.stringify(m.warnings)).toBeDefined();
    expect(w).toMatch(/the master started worker \d+ in its place/);
    expect(m.cpu.summary!.workerCpuUs).toBeGreaterThan(0);
    expect(await noLeftovers(out, m)).toEqual([]);
  }, 120_000);
});

describe('interrupts (real signals)', () => {
  it('a double Ctrl-C exits 130 at once with a truthful run.json, a report, no temp file and no process left', async () => {
    const { out, m0, child, done } = await runIntoWindow('double-int', 1000, { detached: true });
    process.kill(-child.pid!, 'SIGINT');
    await sleep(50);
    process.kill(-child.pid!, 'SIGINT');
    const sentAt = Date.now();
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    const m = readManifest(out);
    expect(m.error?.code).toBe('E_INTERRUPTED_FORCED');
    expect(['partial', 'failed']).toContain(m.status);
    expect(m.timings.finishedAt).not.toBeNull();
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(tempFiles(out)).toEqual([]);
    expect(await noLeftovers(out, m0)).toEqual([]);
  }, 120_000);

  it('SIGHUP is handled like SIGTERM: partial results, exit 130, nothing left', async () => {
    const { out, m0, child, done } = await runIntoWindow('hup', 1500, { detached: true });
    process.kill(child.pid!, 'SIGHUP');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    const m = readManifest(out);
    expect(m.status).toBe('partial');
    expect(m.error?.code).toBe('E_INTERRUPTED');
    expect(m.load?.requests).toBeGreaterThan(0);
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(await noLeftovers(out, m0)).toEqual([]);
  }, 120_000);
});

describe('SIGKILL of flamebench (real perf, real nginx)', () => {
  // A registry of live runs of their own: any other flamebench starting meanwhile on this machine
  // (another checkout's tests) would otherwise stop the leftovers before the run under test does.
  const registry = { XDG_RUNTIME_DIR: '' };
  beforeAll(() => {
    registry.XDG_RUNTIME_DIR = mkdtempSync(path.join(tmp, 'registry-'));
  });
  const ownRuns = () => readLiveRuns(path.join(registry.XDG_RUNTIME_DIR, 'flamebench'));

  it('takes nginx (master and workers) and perf record along; the next doctor marks the run as killed', async () => {
    const { out, m0, child, done } = await runIntoWindow('sigkill', 1000, { env: registry });
    const before = leftovers(out, m0);
    expect(before.length).toBeGreaterThanOrEqual(3); // master, worker, perf record
    process.kill(child.pid!, 'SIGKILL');
    await done;
    expect(await noLeftovers(out, m0)).toEqual([]);
    expect(readManifest(out).error?.code).toBe('E_IN_PROGRESS');
    const d = await runCli(['doctor', '--json'], { env: registry });
    expect(d.stderr).toMatch(new RegExp(`stopped 0 leftover process\\(es\\) of a killed flamebench run \\(pid ${child.pid}, ${out}\\)`));
    expect(readManifest(out).error?.code).toBe('E_HARNESS_KILLED');
    expect(readManifest(out).status).toBe('failed');
  }, 120_000);

  it('when the guard dies too, the next run stops the leftovers before it starts', async () => {
    const { out, m0, child, done } = await runIntoWindow('sigkill-guard', 1000, { env: registry });
    const guards = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /\/bin\/sh -c/.test(l) && /live=/.test(l))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    const record = ownRuns().find((r) => r.record.runDir === out);
    expect(record?.record.pid).toBe(child.pid);
    // The guard of this flamebench: started by it (its parent), in its own session.
    const ours = guards.filter((g) => Number(readFileSync(`/proc/${g}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === child.pid);
    expect(ours).toHaveLength(1);
    process.kill(ours[0]!, 'SIGKILL');
    process.kill(child.pid!, 'SIGKILL');
    await done;
    await sleep(500);
    expect(leftovers(out, m0).length).toBeGreaterThanOrEqual(2);
    const next = path.join(tmp, 'after-sigkill');
    const r = await runCli(['run', 'scenarios/hello.yaml', '--duration', '1', '--warmup', '0', '--out', next, '--no-report'], { env: registry });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/stopped [1-9]\d* leftover process\(es\) of a killed flamebench run/);
    expect(readManifest(next).warnings.some((w) => w.includes(out))).toBe(true);
    expect(await noLeftovers(out, m0)).toEqual([]);
    expect(readManifest(out).error?.code).toBe('E_HARNESS_KILLED');
  }, 120_000);
});

describe('concurrent runs', () => {
  it('two runs started in the same second get their own directories and are told they share CPUs', async () => {
    const reports = path.join(tmp, 'concurrent');
    const args = ['run', 'scenarios/hello.yaml', '--duration', '2', '--warmup', '0', '--reports-dir', reports, '--json', '--no-report'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const dirs = readdirSync(reports).sort();
    expect(dirs).toHaveLength(2);
    const ms = dirs.map((d) => readManifest(path.join(reports, d)));
    expect(new Set(ms.map((m) => m.target!.masterPid)).size).toBe(2);
    // The later of the two to plan its CPUs sees the earlier one.
    expect(ms.some((m) => m.warnings.some((w) => /^another flamebench run \(pid \d+, .*\) uses CPU [\d,]+ too/.test(w)))).toBe(true);
    expect(readLiveRuns().filter((r) => r.record.runDir.startsWith(reports))).toEqual([]);
  }, 120_000);
});

/**
 * A tmpfs with only `freeBytes` left: the first files fit, perf.data and the report (~60 KB) do not,
 * whatever the sample count of this run (a bare 256 KiB tmpfs fills only when perf records enough).
 */
function nearlyFullTmpfs(mnt: string, freeBytes: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  const st = statfsSync(mnt);
  writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - freeBytes)));
}

describe('a full disk (nearly full tmpfs; needs root to mount)', () => {
  const root = process.getuid?.() === 0;
  it.runIf(root)('keeps what fits, names what was lost, leaves no temp file, exits 6, run.json not "in progress"', async () => {
    const mnt = path.join(tmp, 'full');
    mkdirSync(mnt);
    nearlyFullTmpfs(mnt, 40 * 1024);
    try {
      const out = path.join(mnt, 'run');
      const r = await runCli(['run', 'scenarios/hello.yaml', '--duration', '2', '--warmup', '0', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/^error\[E_STORAGE\]: could not write .*: no space left on the device/m);
      expect(r.stderr).not.toMatch(/E_INTERNAL/);
      const m = readManifest(out);
      expect(m.error?.code).toBe('E_STORAGE');
      expect(m.status).toBe('partial');
      expect(m.warnings.some((w) => w.startsWith('storage: '))).toBe(true);
      expect(tempFiles(out)).toEqual([]);
      expect(await noLeftovers(out, m)).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  }, 120_000);
});
