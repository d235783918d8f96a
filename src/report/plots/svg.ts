/** Escaping for text and attribute values inside our SVG plots: every caller-supplied string goes through the one escaper. */
export { escapeXml as esc } from '../../util/escape.js';

/** Coordinates with one decimal: small, stable output. */
export function num(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}
