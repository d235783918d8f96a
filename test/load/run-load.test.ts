import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { formatLoadSummary, runLoad } from '../../src/load/index.js';
import { readFileSync } from 'node:fs';
import { processExists, threadIds } from '../../src/util/proc.js';
import { HELLO_LOCATION, LOADER_CPU, startTestNginx, type TestNginx } from './nginx-helper.js';
import { loadSpec, runOpts } from './spec.js';

let nginx: TestNginx;
beforeAll(async () => {
  nginx = await startTestNginx({ locations: `${HELLO_LOCATION} location /missing { return 404; }` });
});
afterAll(async () => {
  await nginx?.stop();
});

describe('runLoad against real nginx', () => {
  it('a 2 s fixed run: requests, µs latencies, per-second series, status codes, pinned loader that is gone afterwards', async () => {
    const opts = runOpts({ loaderCpus: [LOADER_CPU], workers: nginx.workers });
    const seen: number[] = [];
    const affinity: string[] = [];
    const readAffinity = (): void => {
      const pid = opts.pids[0]!;
      for (const tid of threadIds(pid)) {
        const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        affinity.push(/Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? '?');
      }
    };
    const out = await runLoad(loadSpec(), nginx.baseUrl, { onSecond: (s) => seen.push(s.t), onMeasureStart: readAffinity }, opts);
    // Every thread of the loader (main, libuv pool, V8 helpers) is on CPU 1 only.
    expect(affinity.length).toBeGreaterThan(1);
    expect(new Set(affinity)).toEqual(new Set([String(LOADER_CPU)]));
    const r = out.result;
    expect(out.aborted).toBe(false);
    expect(out.loaderPinned).toBe(true);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.latencyUs.p50).toBeGreaterThan(0);
    expect(r.latencyUs.p50).toBeLessThanOrEqual(r.latencyUs.p99);
    expect(r.latencyUs.p99).toBeLessThanOrEqual(r.latencyUs.max);
    expect(r.latencyUs.min).toBeGreaterThanOrEqual(1);
    expect(r.series.length).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(r.series.reduce((a, s) => a + s.requests, 0)).toBe(r.requests);
    expect(r.durationMs).toBeGreaterThan(1900);
    expect(r.durationMs).toBeLessThan(2200);
    expect(r.statusCodes).toEqual({ '200': r.requests });
    expect(r.errors).toBe(0);
    expect(r.bytes).toBeGreaterThan(r.requests * 100);
    // The histogram is in µs: decodes to the same count, and values below 1 ms exist as distinct values.
    const h = hdr.decodeFromCompressedBase64(r.histogram);
    expect(h.totalCount).toBe(r.requests);
    expect(new Set(r.spectrum.map(([, v]) => v)).size).toBeGreaterThan(5);
    for (let i = 1; i < r.spectrum.length; i++) expect(r.spectrum[i]![1]).toBeGreaterThanOrEqual(r.spectrum[i - 1]![1]);
    expect(formatLoadSummary(r)).toContain(r.requests.toLocaleString('en-US'));
    expect(opts.pids).toHaveLength(1);
    expect(processExists(opts.pids[0]!)).toBe(false);
  });

  it('counts non-2xx for a 404 path and rotates requests round robin', async () => {
    const spec = loadSpec({
      duration: 1,
      requests: [
        { method: 'GET', path: '/', headers: {} },
        { method: 'GET', path: '/missing', headers: { 'x-test': '1' } },
      ],
    });
    const r = (await runLoad(spec, nginx.baseUrl, {}, runOpts())).result;
    expect(r.non2xx).toBeGreaterThan(0);
    expect(r.statusCodes['404']).toBe(r.non2xx);
    expect(r.statusCodes['200']).toBeGreaterThan(0);
    expect(Math.abs(r.statusCodes['200']! - r.non2xx)).toBeLessThanOrEqual(spec.connections);
    expect(r.errors).toBe(r.non2xx);
  });

  it('hooks: measure start is awaited before the window, ending comes ~0.5 s before its end', async () => {
    const marks: Array<[string, number]> = [];
    const t0 = performance.now();
    const out = await runLoad(
      loadSpec({ warmup: 1, duration: 2 }),
      nginx.baseUrl,
      {
        onMeasureStart: async () => {
          marks.push(['start', performance.now() - t0]);
          await new Promise((r) => setTimeout(r, 300)); // probes take a while to start
          marks.push(['started', performance.now() - t0]);
        },
        onMeasureEnding: () => void marks.push(['ending', performance.now() - t0]),
        onSecond: (s) => marks.push([`second${s.t}`, performance.now() - t0]),
      },
      runOpts(),
    );
    expect(marks.map((m) => m[0])).toEqual(['start', 'started', 'second1', 'ending', 'second2']);
    const at = Object.fromEntries(marks);
    expect(at.ending! - at.started!).toBeGreaterThan(1200);
    expect(at.second2! - at.ending!).toBeGreaterThan(200);
    expect(out.result.series).toHaveLength(2);
  });

  it('abort via AbortSignal returns the partial window and leaves no loader behind', async () => {
    const ac = new AbortController();
    const opts = runOpts();
    const out = await runLoad(
      loadSpec({ duration: 10, warmup: 0.5 }),
      nginx.baseUrl,
      { signal: ac.signal, onMeasureStart: () => void setTimeout(() => ac.abort(), 1200) },
      opts,
    );
    expect(out.aborted).toBe(true);
    expect(out.result.requests).toBeGreaterThan(0);
    expect(out.result.durationMs).toBeGreaterThan(1000);
    expect(out.result.durationMs).toBeLessThan(5000);
    expect(out.result.series.length).toBeGreaterThanOrEqual(1);
    expect(processExists(opts.pids[0]!)).toBe(false);
  });

  it('worker-thread mode records µs latencies from every thread', async () => {
    const out = await runLoad(loadSpec({ threads: 2, warmup: 1, duration: 1 }), nginx.baseUrl, {}, runOpts());
    const r = out.result;
    expect(out.warnings).toEqual([]);
    expect(r.settings.threads).toBe(2);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.latencyUs.p50).toBeGreaterThan(0);
    expect(hdr.decodeFromCompressedBase64(r.histogram).totalCount).toBe(r.requests);
    expect(new Set(r.spectrum.map(([, v]) => v)).size).toBeGreaterThan(5);
  });

  it('saturate mode records its steps and runs the window at the chosen level', async () => {
    const spec = loadSpec({
      mode: 'saturate',
      connections: 4,
      duration: 1,
      warmup: 0.5,
      saturate: { targetCpuPct: 101, maxConnections: 8, maxPipelining: 2, maxThreads: 1, stepSeconds: 1, maxLatencyGrowth: 50 },
    });
    const out = await runLoad(spec, nginx.baseUrl, {}, runOpts({ workers: nginx.workers, loaderCpus: [LOADER_CPU] }));
    const sat = out.saturation!;
    expect(sat.steps.length).toBeGreaterThanOrEqual(2);
    expect(sat.steps[0]).toMatchObject({ connections: 4, pipelining: 1, threads: 0 });
    for (const s of sat.steps) {
      expect(s.rps).toBeGreaterThan(0);
      expect(s.workerCpuPct).toBeGreaterThan(0);
      expect(s.loaderCpuPct).toBeGreaterThan(0);
    }
    expect(sat.reason.length).toBeGreaterThan(10);
    expect(out.result.settings).toMatchObject({ mode: 'saturate', connections: sat.chosen.connections, pipelining: sat.chosen.pipelining });
    expect(out.result.requests).toBeGreaterThan(0);
  });

  it('refuses a non-loopback target', async () => {
    await expect(runLoad(loadSpec(), 'http://192.0.2.1:80', {}, runOpts())).rejects.toMatchObject({ code: 'E_LOAD_NOT_LOOPBACK' });
  });
});

describe('runLoad and Ctrl-C', () => {
  it('the loader survives a SIGINT to it (as Ctrl-C sends to the process group) and the parent still gets the partial window', async () => {
    const nginx2 = await startTestNginx({ locations: HELLO_LOCATION });
    try {
      const ac = new AbortController();
      const opts = runOpts();
      const out = await runLoad(
        loadSpec({ duration: 10, warmup: 0.3 }),
        nginx2.baseUrl,
        {
          signal: ac.signal,
          onMeasureStart: () => {
            setTimeout(() => {
              process.kill(opts.pids[0]!, 'SIGINT');
              setTimeout(() => ac.abort(), 200);
            }, 800);
          },
        },
        opts,
      );
      expect(out.aborted).toBe(true);
      expect(out.result.requests).toBeGreaterThan(0);
      expect(out.warnings).toEqual([]);
      expect(processExists(opts.pids[0]!)).toBe(false);
    } finally {
      await nginx2.stop();
    }
  });
});
