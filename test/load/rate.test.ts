import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';
import { loadSpec, runOpts } from './spec.js';

/** A local Node server: counts requests, and can freeze its whole event loop once (a GC pause, a stall). */
async function server(stallAtRequest = -1, stallMs = 200): Promise<{ url: string; served: () => number; close: () => Promise<void> }> {
  let n = 0;
  const srv = http.createServer((_req, res) => {
    n++;
    if (n === stallAtRequest) {
      const until = performance.now() + stallMs;
      while (performance.now() < until) {
        /* the stall: nothing else runs in this process */
      }
    }
    res.end('ok');
  });
  srv.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  closers.push(() => new Promise<void>((r) => srv.close(() => r())));
  return { url: `http://127.0.0.1:${port}`, served: () => n, close: async () => undefined };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) {
    await c();
  }
});

describe('rate mode', () => {
  it('spaces requests evenly: 200/s for 2 s gives ~400 requests, ~200 in each second', async () => {
    const s = await server();
    const out = await runLoad(loadSpec({ mode: 'rate', rate: 200, duration: 2, warmup: 0.5, connections: 4 }), s.url, {}, runOpts());
    const r = out.result;
    expect(r.correctedForCoordinatedOmission).toBe(true);
    expect(r.settings).toMatchObject({ mode: 'rate', rate: 200 });
    expect(r.requests).toBeGreaterThanOrEqual(360);
    expect(r.requests).toBeLessThanOrEqual(440);
    for (const sec of r.series) {
      expect(sec.requests).toBeGreaterThanOrEqual(170);
      expect(sec.requests).toBeLessThanOrEqual(230);
    }
    expect(out.serviceLatencyUs).not.toBeNull();
  });

  it('spreads one schedule over loader threads: 200/s with 2 threads still gives ~400', async () => {
    const s = await server();
    const out = await runLoad(loadSpec({ mode: 'rate', rate: 200, duration: 2, warmup: 1, connections: 4, workers: 2 }), s.url, {}, runOpts());
    expect(out.warnings).toEqual([]);
    expect(out.result.requests).toBeGreaterThanOrEqual(360);
    expect(out.result.requests).toBeLessThanOrEqual(440);
  });

  it('coordinated omission: a 200 ms stall shows in the corrected p99, not in the service time', async () => {
    // 500/s with a 0.5 s warm-up: request ~750 arrives about 1 s into the measured window.
    const s = await server(750, 200);
    const out = await runLoad(loadSpec({ mode: 'rate', rate: 500, duration: 2, warmup: 0.5, connections: 4 }), s.url, {}, runOpts());
    const r = out.result;
    const service = out.serviceLatencyUs!;
    expect(s.served()).toBeGreaterThan(750);
    expect(r.requests).toBeGreaterThan(800);
    // ~100 requests (10%) were intended during the stall and waited for it.
    expect(r.latencyUs.p99).toBeGreaterThanOrEqual(100_000);
    expect(r.latencyUs.max).toBeGreaterThanOrEqual(150_000);
    // Only the 4 requests in flight during the stall had a long service time: under 1%.
    expect(service.p99).toBeLessThan(r.latencyUs.p99 / 4);
    expect(service.max).toBeGreaterThanOrEqual(150_000);
  });
});

describe('warm-up', () => {
  it('is not counted: the window holds only the requests sent after it', async () => {
    const s = await server();
    const out = await runLoad(loadSpec({ mode: 'rate', rate: 300, warmup: 1, duration: 1, connections: 4 }), s.url, {}, runOpts());
    // The server saw the warm-up's ~300 requests plus the window's ~300 (and the tail until the loader stopped).
    expect(s.served()).toBeGreaterThanOrEqual(540);
    expect(out.result.requests).toBeGreaterThanOrEqual(270);
    expect(out.result.requests).toBeLessThanOrEqual(330);
  });

  it('is not counted with autocannon either: window requests ≈ rps × duration, well below all served', async () => {
    const s = await server();
    const out = await runLoad(loadSpec({ warmup: 1.5, duration: 1 }), s.url, {}, runOpts());
    const r = out.result;
    expect(r.requests).toBeGreaterThan(0);
    expect(Math.abs(r.requests - r.rps * (r.durationMs / 1000))).toBeLessThan(r.requests * 0.01 + 1);
    expect(r.requests).toBeLessThan(s.served() * 0.7);
  });
});
