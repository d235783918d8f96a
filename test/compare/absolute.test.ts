import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAbsolute, checksExitCode } from '../../src/compare/absolute.js';
import { parseThresholdRule } from '../../src/compare/index.js';
import { readRunForCompare } from '../../src/compare/read.js';
import { writeSyntheticRun } from './synthetic.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-abs-'));
  for (const [i, rps] of [19000, 21000, 25000].entries()) await writeSyntheticRun(path.join(tmp, String(i + 1)), { rps, cpuUsPerRequest: 10, p99Us: 4000 + i * 500 });
});
afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

const runs = () => Promise.all(['1', '2', '3'].map((d) => readRunForCompare(path.join(tmp, d))));
const rules = (...r: string[]) => r.map(parseThresholdRule);

describe('run -t: absolute limits on one run or the median of repeats', () => {
  it('checks the median of the repeats against each bound', async () => {
    const checks = checkAbsolute(await runs(), rules('rps>=20000', 'latencyP99Us<=5ms', 'errors==0'));
    expect(checks.map((c) => [c.metric, c.rule, c.status])).toEqual([
      ['rps', '≥ 20,000', 'pass'],
      ['latencyP99Us', '≤ 5 ms', 'pass'],
      ['errors', '= 0', 'pass'],
    ]);
    expect(checks[0]!.observed).toBe(21000);
    expect(checks[0]!.reason).toMatch(/median of 3 runs 21,000 meets/);
    expect(checksExitCode(checks)).toBe(0);
  });

  it('a violated bound fails with exit 99, as k6 does', async () => {
    const checks = checkAbsolute(await runs(), rules('rps>=22000', 'errors==1'));
    expect(checks.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(checksExitCode(checks)).toBe(99);
  });

  it('a metric no run recorded is inconclusive (98), not a pass', async () => {
    const checks = checkAbsolute(await runs(), rules('probe:cpu<=5'));
    expect(checks[0]!.status).toBe('inconclusive');
    expect(checksExitCode(checks)).toBe(98);
  });

  it('refuses relative limits: a run has no baseline', async () => {
    expect(() => checkAbsolute([], rules('rps=-5%'))).toThrow(/relative/);
  });
});
