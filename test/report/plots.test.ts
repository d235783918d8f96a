import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/report/plots/line-chart.js';
import { niceScale } from '../../src/report/plots/ticks.js';
import { percentileToX, phaseBands } from '../../src/report/plots/run-plots.js';

describe('SVG plots', () => {
  it('chooses nice ticks', () => {
    expect(niceScale(0, 48_900)).toEqual({ min: 0, max: 50_000, ticks: [0, 10_000, 20_000, 30_000, 40_000, 50_000] });
    expect(niceScale(0, 2410).ticks).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceScale(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('maps percentiles to the HdrHistogram log axis', () => {
    expect(percentileToX(0)).toBe(0);
    expect(percentileToX(90)).toBeCloseTo(1, 9);
    expect(percentileToX(99)).toBeCloseTo(2, 9);
    expect(percentileToX(99.9)).toBeCloseTo(3, 9);
    expect(percentileToX(100)).toBe(Infinity);
  });

  it('shades contiguous phases as bands', () => {
    const s = (t: number, phase: 'idle' | 'warmup' | 'measure' | 'after') => ({ t, phase, workers: [1], loader: 1, probes: 0 });
    expect(phaseBands([s(1, 'idle'), s(2, 'warmup'), s(3, 'warmup'), s(4, 'measure'), s(5, 'measure'), s(6, 'after')], 1)).toEqual([
      { x0: 1, x1: 3, label: 'warm-up', fill: '#fef3c7' },
      { x0: 3, x1: 5, label: 'measured', fill: '#dbeafe' },
      { x0: 5, x1: 6, label: 'after', fill: '#f3f4f6' },
    ]);
  });

  it('escapes every label and is deterministic', () => {
    const spec = {
      title: 'a <b> & "c"',
      x: { label: '</svg><script>x</script>' },
      y: { label: "y'" },
      series: [{ name: '<img src=x onerror=alert(1)>', color: '#000', points: [[0, 1], [1, 2]] as Array<[number, number]>, markers: true }],
    };
    const svg = lineChart(spec);
    expect(svg).toBe(lineChart(spec));
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;/svg&gt;&lt;script&gt;');
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
  });

  it('draws "no data" rather than failing on empty series', () => {
    expect(lineChart({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', color: '#000', points: [] }] })).toContain('no data');
  });
});
