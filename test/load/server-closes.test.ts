import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';
import { edgeAllowance, LITTLE_MIN_CYCLES } from '../../src/load/latency-check.js';
import type { LoadResult } from '../../src/runs/types.js';
import { HELLO_LOCATION, LOADER_CPU, NGINX_CPU, startTestNginx, type TestNginx, type TestNginxOptions } from './nginx-helper.js';
import { loadSpec, runOpts } from './spec.js';

/**
 * nginx closes keep-alive connections after `keepalive_requests` requests (1000 by default) and
 * after every response with `keepalive_timeout 0`. In a closed loop the mean number of requests
 * in flight is fixed by the loader, so Little's law (in flight = throughput × mean latency) must
 * hold for the measured latency, whatever the server does with its connections.
 */

let nginx: TestNginx | null = null;
afterEach(async () => {
  await nginx?.stop();
  nginx = null;
});

async function load(ngx: Omit<TestNginxOptions, 'locations'>, connections: number, pipelining: number): Promise<LoadResult> {
  nginx = await startTestNginx({ locations: HELLO_LOCATION, cpu: NGINX_CPU, ...ngx });
  const spec = loadSpec({ connections, pipelining, duration: 2, warmup: 0.5 });
  const out = await runLoad(spec, nginx.baseUrl, {}, runOpts({ loaderCpus: [LOADER_CPU] }));
  // The run's own Little's-law self-check agrees.
  expect(out.warnings.filter((w) => w.includes('latency measurement inconsistent'))).toEqual([]);
  return out.result;
}

/** Measured mean latency over the one Little's law gives for `inFlight` requests in flight. */
function littleRatio(r: LoadResult, inFlight: number): number {
  return (r.latencyUs.mean * r.rps) / 1e6 / inFlight;
}

/**
 * At most `inFlight` requests are ever in flight, so the ratio exceeds 1 only by what the window's
 * start edge adds: at most max latency / window length (see edgeAllowance; a stall of the busy
 * machine at the edge makes it large, 1.28 was seen). The defect this guards timed responses
 * from stale send times: ratios 1.85 to 143 (12.6 to 113 against bounds of 1.12 to 1.46 when
 * the fix is switched off here). The lower side allows what requests that leave the
 * loop take away (`lowShare`) and the mirror edge.
 */
function expectLittle(r: LoadResult, inFlight: number, lowShare = 0.15): void {
  const ratio = littleRatio(r, inFlight);
  const edge = edgeAllowance(r);
  expect(ratio).toBeLessThanOrEqual(1 + edge + 0.01); // 1%: histogram rounding of the mean
  expect(ratio).toBeGreaterThanOrEqual(1 - lowShare - edge);
}

/**
 * No errors, and enough requests for the run's own Little's-law check to apply (each slot cycled
 * LITTLE_MIN_CYCLES times; else its silence means nothing). Not a throughput target: with a new
 * connection per request a starved machine managed 192/s.
 */
function expectNoErrors(r: LoadResult, inFlight: number): void {
  expect(r.requests).toBeGreaterThanOrEqual(LITTLE_MIN_CYCLES * inFlight);
  expect(r.connectionErrors).toBe(0);
  expect(r.closedWithoutResponse).toBe(0);
  expect(r.timeouts).toBe(0);
  expect(r.errors).toBe(0);
}

describe('latency when nginx closes keep-alive connections (real nginx)', () => {
  it('keepalive_requests 20 without pipelining: latency agrees with Little\'s law, no errors', async () => {
    const r = await load({ keepaliveRequests: 20 }, 16, 1);
    expectNoErrors(r, 16);
    expectLittle(r, 16);
  });

  it('keepalive_requests 100 with pipelining 8: latency agrees with Little\'s law, no errors', async () => {
    // Up to 7 requests pipelined behind the closing response are never answered (and not errors):
    // on average (p-1)/2 of every N requests' worth of in-flight time, ~4% here.
    const r = await load({ keepaliveRequests: 100 }, 16, 8);
    expectNoErrors(r, 16 * 8);
    expectLittle(r, 16 * 8);
  });

  it('keepalive_timeout 0 (Connection: close on every response): latency agrees with Little\'s law, no errors', async () => {
    const r = await load({ keepaliveTimeout: '0' }, 8, 1);
    expectNoErrors(r, 8);
    expectLittle(r, 8);
  });

  it('keepalive_timeout 0 with pipelining 4: one answer per connection, so one request in flight per connection', async () => {
    const r = await load({ keepaliveTimeout: '0' }, 8, 4);
    expectNoErrors(r, 8);
    // Three of every four requests are pipelined behind a Connection: close and never answered.
    expect(r.discardedAtClose).toBeGreaterThan(r.requests * 2);
    expectLittle(r, 8);
  });
});
