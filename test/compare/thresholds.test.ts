import { describe, expect, it } from 'vitest';
import { compareMetric } from '../../src/compare/compare.js';
import { metricDef } from '../../src/compare/metrics.js';
import { evaluateThresholds, parseThresholdRule } from '../../src/compare/thresholds.js';
import { isFlamebenchError } from '../../src/errors.js';
import { conditionPattern, metricInfo, parseCondition, type MetricName } from '../../src/metrics/index.js';
import type { RawProblem } from '../../src/scenario/problems.js';
import { normalizeThresholds } from '../../src/scenario/thresholds.js';
import type { ThresholdSpec } from '../../src/scenario/types.js';

describe('one grammar: the scenario YAML and -t read every condition alike', () => {
  const conditions: Array<[MetricName, string]> = [
    ['cpuUsPerRequest', '<= 5ms'],
    ['cpuUsPerRequest', 'rise <= 5%'],
    ['cpuUsPerRequest', '+5%'],
    ['errorRate', '<= 1%'],
    ['errorRate', '<= 0.01'],
    ['workerCpuPct', '>= 90%'],
    ['rps', 'drop <= 5%'],
    ['rps', '-5%'],
    ['rps', '>= 1000'],
    ['errors', '== 0'],
    ['latencyP999Us', '<= 1.5s'],
    ['probe:cpu', 'rise <= 10%'],
  ];
  it.each(conditions)('%s: "%s"', (metric, cond) => {
    const problems: RawProblem[] = [];
    const yaml = normalizeThresholds({ [metric]: cond }, ['cpu'], problems);
    expect(problems).toEqual([]);
    expect(parseThresholdRule(`${metric}: ${cond}`)).toEqual(yaml[0]);
    // The JSON Schema's pattern is built from the same grammar.
    expect(new RegExp(conditionPattern(metricInfo(metric).values), 'u').test(cond)).toBe(true);
  });

  it.each<[MetricName, string, string]>([
    ['rps', 'drop <= 500%', 'a drop of more than 100% cannot happen'],
    ['errors', '<= 5%', 'unit "%" does not fit errors'],
    ['rps', '<= 5ms', 'unit "ms" does not fit rps'],
  ])('%s: "%s" is refused by both with the same message', (metric, cond, message) => {
    const problems: RawProblem[] = [];
    normalizeThresholds({ [metric]: cond }, [], problems);
    const c = parseCondition(metric, cond);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.message).toContain(message);
    // YAML: either the schema pattern refuses it (reported by the schema) or the parser does, with the same words.
    const schemaRefuses = !new RegExp(conditionPattern(metricInfo(metric).values), 'u').test(cond);
    if (!schemaRefuses) expect(problems.map((p) => p.message)).toEqual([c.message]);
    expect(() => parseThresholdRule(`${metric}: ${cond}`)).toThrow(c.message);
  });
});

describe('parseThresholdRule', () => {
  it.each<[string, ThresholdSpec]>([
    ['cpuUsPerRequest=+5%', { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }],
    ['rps=-5%', { metric: 'rps', maxDecreasePct: 5 }],
    ['rps = -2.5 %', { metric: 'rps', maxDecreasePct: 2.5 }],
    ['latencyP99Us<=5000', { metric: 'latencyP99Us', max: 5000 }],
    ['rps>=10000', { metric: 'rps', min: 10000 }],
    ['errors==0', { metric: 'errors', min: 0, max: 0 }],
    ['errorRate<=0.01', { metric: 'errorRate', max: 0.01 }],
    ['rps: drop <= 5%', { metric: 'rps', maxDecreasePct: 5 }],
    ['cpuUsPerRequest=rise<=7.5%', { metric: 'cpuUsPerRequest', maxIncreasePct: 7.5 }],
    ['latencyP99Us<=5ms', { metric: 'latencyP99Us', max: 5000 }],
    ['latencyP999Us <= 1 s', { metric: 'latencyP999Us', max: 1_000_000 }],
    ['probe:lua-cpu=+10%', { metric: 'probe:lua-cpu', maxIncreasePct: 10 }],
    // Accepted in YAML before and refused here: one grammar now (issue 12).
    ['cpuUsPerRequest<=5ms', { metric: 'cpuUsPerRequest', max: 5000 }],
    ['cpuUsPerRequest<=20', { metric: 'cpuUsPerRequest', max: 20 }],
    ['errorRate<=1%', { metric: 'errorRate', max: 0.01 }],
    ['workerCpuPct>=90%', { metric: 'workerCpuPct', min: 90 }],
    ['rps=drop<=100%', { metric: 'rps', maxDecreasePct: 100 }],
  ])('%s', (text, spec) => expect(parseThresholdRule(text)).toEqual(spec));

  it.each(['bogus=+5%', 'rps', 'rps=fast', 'rps<=abc', 'rps=5', 'rps=+5', 'rps<=5ms', 'errors<=5%', 'rps=-500%', 'rps: drop <= 101%', 'latencyP99Us<5ms'])('rejects %s as invalid input', (text) => {
    let err: unknown;
    try {
      parseThresholdRule(text);
    } catch (e) {
      err = e;
    }
    expect(isFlamebenchError(err) && err.exitCode).toBe(2);
  });
});

/** A metric comparison from raw repeats, as compareRuns builds it. */
const mc = (metric: ThresholdSpec['metric'], a: number[], b: number[]) => compareMetric(metricDef(metric), a, b, 0.05);

describe('evaluateThresholds: the interval against the limit decides', () => {
  const steady = [100, 101, 99, 100.5, 99.5];
  const cases: Array<{ name: string; spec: ThresholdSpec; a: number[]; b: number[]; status: 'pass' | 'fail' | 'improvement' | 'inconclusive' }> = [
    { name: '+30% cpu, significant, limit +5% → fail', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: steady, b: steady.map((x) => x * 1.3), status: 'fail' },
    { name: '+3% cpu, significant, limit +5% → pass (within)', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: steady, b: steady.map((x) => x * 1.03), status: 'pass' },
    { name: '+8% median but overlapping noise → inconclusive (exceeded, not confirmed)', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: [80, 100, 120, 90, 110], b: [85, 108, 130, 95, 116], status: 'inconclusive' },
    { name: '-30% cpu against a rise limit → improvement', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: steady, b: steady.map((x) => x * 0.7), status: 'improvement' },
    { name: '-3% cpu against a rise limit of 5% → pass (not beyond the mirrored limit)', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: steady, b: steady.map((x) => x * 0.97), status: 'pass' },
    { name: 'rps -20%, significant, drop limit 5% → fail', spec: { metric: 'rps', maxDecreasePct: 5 }, a: steady, b: steady.map((x) => x * 0.8), status: 'fail' },
    { name: 'rps +20% against a drop limit → improvement', spec: { metric: 'rps', maxDecreasePct: 5 }, a: steady, b: steady.map((x) => x * 1.2), status: 'improvement' },
    { name: 'one run per side, +100% → inconclusive (cannot be tested)', spec: { metric: 'cpuUsPerRequest', maxIncreasePct: 5 }, a: [100], b: [200], status: 'inconclusive' },
    { name: 'errors 0 → 5 on every repeat, relative limit → fail (rise from zero)', spec: { metric: 'errors', maxIncreasePct: 5 }, a: [0, 0, 0, 0, 0], b: [5, 6, 5, 7, 5], status: 'fail' },
    { name: 'absolute max violated by the candidate median → fail', spec: { metric: 'latencyP99Us', max: 5000 }, a: [1000], b: [4000, 6000, 7000], status: 'fail' },
    { name: 'absolute max met by the median despite one outlier → pass', spec: { metric: 'latencyP99Us', max: 5000 }, a: [1000], b: [4000, 4500, 9000], status: 'pass' },
    { name: 'absolute min → fail', spec: { metric: 'rps', min: 50000 }, a: [60000], b: [40000], status: 'fail' },
    { name: 'missing candidate value → inconclusive', spec: { metric: 'latencyP99Us', max: 5000 }, a: [1000], b: [], status: 'inconclusive' },
  ];
  it.each(cases)('$name', ({ spec, a, b, status }) => {
    const metric = mc(spec.metric, a, b);
    const [check] = evaluateThresholds([{ spec, source: 'scenario' }], [metric]);
    expect(check!.status).toBe(status);
  });

  it('one check per bound of a threshold', () => {
    const checks = evaluateThresholds([{ spec: { metric: 'errors', min: 0, max: 0 }, source: 'cli' }], [mc('errors', [0], [0])]);
    expect(checks.map((c) => [c.rule, c.status, c.source])).toEqual([
      ['≤ 0', 'pass', 'cli'],
      ['≥ 0', 'pass', 'cli'],
    ]);
  });
});
