import { escapeXml } from '../util/escape.js';
import { formatValue } from '../util/format.js';
import type { MetricComparison } from './types.js';

const W = 240;
const H = 46;
const PAD = 8;
const ROW = { baseline: 14, candidate: 32 } as const;

const n2 = (x: number) => (Math.round(x * 100) / 100).toString();

/**
 * A tiny strip plot of one metric's repeats: one row of dots per side on a shared axis, with a
 * tick at each side's median. Small n is the norm here, and dots show it honestly where a box
 * plot would pretend.
 */
export function stripPlotSvg(m: MetricComparison): string {
  const a = m.baseline.values.filter((v): v is number => v !== null);
  const b = m.candidate.values.filter((v): v is number => v !== null);
  const all = [...a, ...b];
  if (all.length === 0) return '';
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const x = (v: number) => PAD + ((v - lo) / (hi - lo)) * (W - 2 * PAD);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="strip" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`);
  parts.push(`<title>${escapeXml(`${m.label}: baseline ${a.map((v) => formatValue(v, m.unit)).join(', ')}; candidate ${b.map((v) => formatValue(v, m.unit)).join(', ')}`)}</title>`);
  parts.push(`<line x1="${PAD}" y1="${H - 3}" x2="${W - PAD}" y2="${H - 3}" class="axis"/>`);
  const side = (values: number[], med: number | null, y: number, cls: string) => {
    // Identical values are stacked sideways a little so that every repeat stays visible.
    const seen = new Map<number, number>();
    for (const v of values) {
      const k = seen.get(v) ?? 0;
      seen.set(v, k + 1);
      parts.push(`<circle cx="${n2(x(v))}" cy="${n2(y + (k % 2 === 0 ? -1 : 1) * Math.ceil(k / 2) * 3)}" r="3.2" class="${cls}"><title>${escapeXml(formatValue(v, m.unit))}</title></circle>`);
    }
    if (med !== null) parts.push(`<line x1="${n2(x(med))}" y1="${y - 7}" x2="${n2(x(med))}" y2="${y + 7}" class="med ${cls}"/>`);
  };
  side(a, m.baseline.median, ROW.baseline, 'base');
  side(b, m.candidate.median, ROW.candidate, 'cand');
  parts.push('</svg>');
  return parts.join('');
}
