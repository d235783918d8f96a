import { describe, expect, it } from 'vitest';
import { SPECTRUM_PERCENTILES, WindowAggregator } from '../../src/load/aggregate.js';
import { formatLoadSummary } from '../../src/load/index.js';
import { Recorder } from '../../src/load/latency-recorder.js';

describe('WindowAggregator', () => {
  it('merges unit snapshots per second and over the window', () => {
    const a = new Recorder();
    const b = new Recorder();
    for (let i = 1; i <= 100; i++) a.response(200, 10, i * 10.4); // 10.4 µs … 1040 µs
    b.response(404, 5, 5000);
    b.connectionError();
    b.timeout(2);
    const agg = new WindowAggregator();
    const s1 = agg.add(1000, [a.snapshot(), b.snapshot()]);
    expect(s1).toMatchObject({ t: 1, requests: 101, errors: 4 });
    a.response(200, 10, 0.2); // below 1 µs is recorded as 1
    const s2 = agg.add(500, [a.snapshot(), b.snapshot()]);
    expect(s2).toMatchObject({ t: 2, requests: 1, errors: 0, p50Us: 1 });
    const r = agg.result({
      settings: { mode: 'fixed', connections: 2, pipelining: 1, threads: 2, duration: 1.5, warmup: 0, rate: null },
      url: 'http://127.0.0.1:1/',
      startedAt: '2024-01-01T00:00:00.000Z',
      correctedForCoordinatedOmission: false,
    });
    expect(r).toMatchObject({ requests: 102, durationMs: 1500, rps: 68, connectionErrors: 1, timeouts: 2, non2xx: 1, errors: 4, bytes: 1015 });
    expect(r.statusCodes).toEqual({ '200': 101, '404': 1 });
    expect(r.latencyUs.min).toBe(1);
    expect(r.latencyUs.max).toBeGreaterThanOrEqual(4995);
    expect(r.latencyUs.p50).toBeGreaterThan(500);
    expect(r.latencyUs.p50).toBeLessThan(540);
    expect(r.spectrum).toHaveLength(SPECTRUM_PERCENTILES.length);
    expect(r.spectrum.at(-2)![0]).toBeCloseTo(99.999, 3);
    const text = formatLoadSummary(r);
    expect(text).toContain('404: 1');
    expect(text).toMatch(/p99\.9/);
    expect(formatLoadSummary(r)).toBe(text);
  });
});
