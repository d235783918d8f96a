import { cp, mkdir, mkdtemp, readFile, rm, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { buildReportModel, readRun, renderRunReport } from '../../src/report/index.js';
import { loadFlameRenderer } from '../../src/report/flame.js';
import { loaderBound } from '../../src/report/model/summary.js';
import type { RunManifest } from '../../src/runs/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.join(root, 'test/fixtures/run-sample');
const HOSTILE = path.join(root, 'test/fixtures/run-hostile');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-report-model-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function copy(fixture: string, name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await cp(fixture, dir, { recursive: true });
  return dir;
}

/** A copy of run-sample whose run.json `edit` changed. */
async function sampleWith(name: string, edit: (m: RunManifest) => void): Promise<string> {
  const dir = await copy(SAMPLE, name);
  const manifest = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as RunManifest;
  edit(manifest);
  await writeFile(path.join(dir, 'run.json'), JSON.stringify(manifest));
  return dir;
}

describe('report view model (run-sample)', () => {
  it('summarises the run with formatted numbers', async () => {
    const run = await readRun(SAMPLE);
    const m = buildReportModel(run, { flame: null });
    expect(m.scenario.name).toBe('lua-work');
    expect(m.status).toMatchObject({ value: 'ok', banner: false });
    const head = Object.fromEntries(m.headline.map((f) => [f.label, f.value]));
    expect(head['Throughput']).toMatch(/^\d{2},\d{3} req\/s$/);
    expect(head['Latency p50']).toBe('171 µs');
    expect(head['Latency p99']).toBe('454 µs');
    expect(head['Worker CPU (mean)']).toBe('75.4%');
    expect(m.latency.map((f) => f.label)).toEqual(['p50', 'p90', 'p99', 'p99.9', 'max', 'min', 'mean', 'stdev']);
    expect(m.statusCodes).toEqual([{ code: '200', count: expect.stringMatching(/^\d{3},\d{3}$/), share: '100.00%', tone: 'ok' }]);
    expect(m.cpu.find((f) => f.label === 'Loader CPU (mean)')?.value).toBe('96.1%');
  });

  it('shows latency as unknown, not 0 µs, when no request completed (a run interrupted in warm-up)', async () => {
    const run = await readRun(SAMPLE);
    run.load = { ...run.load!, requests: 0, rps: 0, latencyUs: { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } };
    const m = buildReportModel(run, { flame: null });
    const head = Object.fromEntries(m.headline.map((f) => [f.label, f.value]));
    expect(head['Latency p50']).toBe('—');
    expect(head['Latency p99']).toBe('—');
    expect(m.latency).toEqual([{ label: 'latency', value: 'no request completed in the measured window', tone: 'muted' }]);
    expect(m.plots.map((p) => p.id)).toEqual(['plot-cpu']);
    expect(m.plotNotices[0]).toContain('no request completed');
  });

  it('computes the loader-bound warning when run.json has none (loader 96% of 100%, workers 75% < 90%)', async () => {
    const run = await readRun(SAMPLE);
    expect(run.manifest.loaderBound).toBeNull();
    const m = buildReportModel(run, { flame: null });
    expect(m.alerts[0]?.title).toBe('The loader was the bottleneck, not nginx');
    // Not when the workers reach the target.
    const busy: RunManifest = structuredClone(run.manifest);
    busy.cpu.summary = { ...busy.cpu.summary!, workerPctMean: 95 };
    expect(loaderBound(busy, run.load)).toBeNull();
    // Not when the loader had spare CPU (2 loader threads on 2 CPUs = 200% limit).
    const spare: RunManifest = structuredClone(run.manifest);
    spare.target = { ...spare.target!, loaderCpus: [1, 2] };
    expect(loaderBound(spare, { ...run.load!, settings: { ...run.load!.settings, threads: 2 } })).toBeNull();
  });

  it('has a section for every probe, a failed one included, and the saturation steps', async () => {
    const run = await readRun(SAMPLE);
    const m = buildReportModel(run, { flame: null, flameMissingNotice: 'renderer missing' });
    // most of the C-level samples are in Lua code: the Lua-land graph leads, the rest keep their order
    expect(m.probes.map((p) => [p.id, p.status])).toEqual([
      ['lua', 'ok'],
      ['cpu', 'ok'],
      ['offcpu', 'failed'],
    ]);
    expect(m.probeOrderNote).toMatch(/^The Lua-land graph comes first: \d+% of the on-CPU samples of probe cpu are in Lua code/);
    const [lua, cpu, off] = m.probes;
    expect(cpu?.topFrames).toHaveLength(20);
    expect(cpu?.topFrames[0]).toMatchObject({ rank: 1, name: '[nginx]', kind: 'unknown', self: '394' });
    expect(cpu?.flame).toEqual({ svg: null, notice: 'renderer missing' });
    expect(cpu?.facts.find((f) => f.label === 'samples')?.value).toBe('1,135');
    expect(lua?.topFrames[0]).toMatchObject({ name: 'builtin#string.format', kind: 'lua', self: '412' });
    expect(lua?.warnings[0]).toContain('12 samples');
    expect(off?.error?.code).toBe('E_PERF_TRACEFS');
    expect(off?.flame).toBeNull();
    expect(m.saturation?.rows).toHaveLength(4);
    expect(m.saturation?.rows.filter((r) => r.chosen).map((r) => r.pipelining)).toEqual(['16']);
    expect(m.plots.map((p) => p.id)).toEqual(['plot-spectrum', 'plot-throughput', 'plot-latency', 'plot-cpu']);
  });

  it('asks the flame-graph renderer for one graph per ok probe, each with its own id prefix', async () => {
    const run = await readRun(SAMPLE);
    const calls: Array<{ idPrefix: string; countName: string; size: number }> = [];
    const m = buildReportModel(run, {
      flame: (req) => {
        calls.push({ idPrefix: req.idPrefix, countName: req.countName, size: req.folded.size });
        return '<svg/>';
      },
    });
    // display order (lua first), ids by the probe's place in run.json
    expect(calls).toEqual([
      { idPrefix: 'fg1-', countName: 'samples', size: 8 },
      { idPrefix: 'fg0-', countName: 'samples', size: 132 },
    ]);
    expect(m.probes.map((p) => p.flame?.svg ?? null)).toEqual(['<svg/>', '<svg/>', null]);
  });
});

describe('renderRunReport', () => {
  it('writes report.html deterministically and leaves no temp files', async () => {
    const dir = await copy(SAMPLE, 'det');
    const file = await renderRunReport(dir);
    expect(file).toBe(path.join(dir, 'report.html'));
    const a = await readFile(file, 'utf8');
    await renderRunReport(dir);
    expect(await readFile(file, 'utf8')).toBe(a);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(a.startsWith('<!DOCTYPE html>')).toBe(true);
    // Self-contained: nothing is loaded from anywhere.
    expect(a).not.toMatch(/<link\b|<img\b|\bsrc=["']?(https?:|\/\/)|@import|url\(\s*["']?(https?:|\/\/)/i);
  });

  it('includes the flame graphs when src/flamegraph is available', async () => {
    const fg = await loadFlameRenderer();
    expect(fg.problem).toBeNull();
    const html = await readFile(await renderRunReport(await copy(SAMPLE, 'fg')), 'utf8');
    expect(html).toContain('id="fg0-root"');
    expect(html).toContain('id="fg1-root"');
    expect(html).not.toContain('id="fg2-root"');
  });

  it('escapes every hostile string (no raw <script>alert, <img or </pre> from the data)', async () => {
    const html = await readFile(await renderRunReport(await copy(HOSTILE, 'hostile')), 'utf8');
    expect(html).not.toMatch(/<script>alert/i);
    expect(html).not.toMatch(/<img\b/i);
    // The only <pre> closers are our own: nginx -V, nginx.conf, scenario.
    expect(html.match(/<\/pre>/g)?.length).toBe(3);
    // Our scripts only: report.js + one per flame graph.
    expect(html.match(/<script\b/g)?.length).toBe(1 + 2);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('reports a failed run without load.json or nginx.conf, saying so prominently', async () => {
    const dir = await sampleWith('failed', (manifest) => {
      manifest.status = 'failed';
      manifest.error = { code: 'E_NGINX_START', message: 'nginx -t failed: unknown directive "lua_foo"', hint: 'fix the config' };
      manifest.load = null;
      manifest.cpu = { intervalMs: 1000, samples: [], summary: null };
      manifest.probes = [];
      manifest.saturation = null;
    });
    await rm(path.join(dir, 'load.json'));
    await rm(path.join(dir, 'nginx'), { recursive: true });
    await mkdir(path.join(dir, 'nginx'));
    const log = Array.from({ length: 100 }, (_, i) => `2025/01/14 09:30:12 [emerg] 1#1: line ${i + 1} <b>`).join('\n');
    await writeFile(path.join(dir, 'nginx', 'error.log'), `${log}\n`);
    const html = await readFile(await renderRunReport(dir), 'utf8');
    expect(html).toContain('id="error-log-text"');
    expect(html).toContain('line 100 &lt;b&gt;');
    expect(html).toContain('line 21 &lt;b&gt;');
    expect(html).not.toContain('line 20 &lt;b&gt;');
    expect(html).toContain('20 earlier lines are in nginx/error.log');
    expect(html).toContain('id="status-banner"');
    expect(html).toContain('This run FAILED');
    expect(html).toContain('unknown directive &quot;lua_foo&quot;');
    expect(html).toContain('nginx/nginx.conf is missing');
    expect(html).toContain('No latency spectrum');
  });

  it('refuses a directory without run.json (invalid input, names the file)', async () => {
    const err = await renderRunReport(tmp).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_NOT_A_RUN_DIR');
    expect(isFlamebenchError(err) && err.exitCode).toBe(2);
    expect((err as Error).message).toContain(path.join(tmp, 'run.json'));
  });

  it('refuses a run.json that is not JSON', async () => {
    const dir = path.join(tmp, 'badjson');
    await cp(SAMPLE, dir, { recursive: true });
    await writeFile(path.join(dir, 'run.json'), '{ nope');
    const err = await renderRunReport(dir).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_BAD_RUN_JSON');
  });
});

describe('loaders section (load.hosts)', () => {
  const shares = [
    { host: 'ip netns exec fb-l1', hostname: 'box-1', connections: 8, requests: 30_000, rps: 10_000, cpuPct: 40 },
    { host: 'ssh <b>x</b>', hostname: 'box-2', connections: 8, requests: 10_000, rps: 3_333.3, cpuPct: 97 },
  ];

  it('is absent for the local loader', async () => {
    const run = await readRun(SAMPLE);
    expect(run.manifest.loaders).toBeUndefined();
    expect(buildReportModel(run, { flame: null }).loaders).toBeNull();
  });

  it("shows each loader's share, throughput and CPU, flags one at its CPU limit, and the start skew", async () => {
    const run = await readRun(SAMPLE);
    run.manifest.loaders = { loaders: shares, startSkewMs: { warmup: 12, measure: 3 } };
    const v = buildReportModel(run, { flame: null }).loaders!;
    expect(v.rows.map((r) => [r.share, r.busy])).toEqual([
      ['75.0%', false],
      ['25.0%', true],
    ]);
    expect(v.rows[1]).toMatchObject({ connections: '8', requests: '10,000', rps: '3,333 req/s', cpu: '97.0%' });
    expect(v.skew).toContain('within 12 ms');
    expect(v.skew).toContain('within 3 ms');
    expect(v.note).toMatch(/^1 loader\(s\) used ≥ 90% CPU/);
  });

  it('renders as a section with the hosts escaped', async () => {
    const dir = await sampleWith('loaders', (manifest) => {
      manifest.loaders = { loaders: shares, startSkewMs: { warmup: 12, measure: 3 } };
    });
    const html = await readFile(await renderRunReport(dir), 'utf8');
    expect(html).toContain('<section id="loaders">');
    expect(html).toContain('href="#loaders"');
    expect(html).toContain('ssh &lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('ssh <b>x</b>');
    expect(html).toContain('<tr class="busy">');
  });
});
