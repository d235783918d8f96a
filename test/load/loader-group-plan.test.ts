import { describe, expect, it } from 'vitest';
import { planForLoader } from '../../src/load/loader-group.js';
import type { RunPlan } from '../../src/load/protocol.js';

const base = { threads: true, warmupSec: 1, durationSec: 2, endingLeadSec: 0.5 };

describe('splitting a plan across loaders', () => {
  it('splits every unit\'s connections; the parts add up to the whole', () => {
    const plan: RunPlan = {
      ...base,
      units: [31, 33].map((connections) => ({ kind: 'autocannon', url: 'http://10.0.0.1/', requests: [], connections, pipelining: 4, timeoutSec: 10, fastParser: true })),
    };
    const parts = [0, 1, 2].map((i) => planForLoader(plan, i, 3));
    expect(parts.map((p) => p.units.map((u) => u.connections))).toEqual([[11, 11], [10, 11], [10, 11]]);
    expect(parts.flatMap((p) => p.units).reduce((n, u) => n + u.connections, 0)).toBe(64);
  });

  it('rate mode: the loaders interleave one schedule (distinct indexes, a common stride), the total rate stays', () => {
    const plan: RunPlan = {
      ...base,
      units: [0, 1].map((index) => ({ kind: 'paced', host: 'h', port: 1, hostHeader: 'h', requests: [], connections: 4, rate: 1000, index, stride: 2, timeoutSec: 1 })),
    };
    const units = [0, 1, 2].flatMap((i) => planForLoader(plan, i, 3).units);
    const slots = units.map((u) => (u.kind === 'paced' ? `${u.index}/${u.stride}/${u.rate}` : ''));
    expect(slots.sort()).toEqual(['0/6/1000', '1/6/1000', '2/6/1000', '3/6/1000', '4/6/1000', '5/6/1000']);
  });
});
