/**
 * The consistent-palette file of flamegraph.pl --cp (and inferno): one `name->rgb(r,g,b)` per
 * line. Read before rendering so a function keeps its colour across graphs; written back, sorted,
 * with every name the graph added.
 */
import { parseColor, toRgbText } from './palette.js';

export interface PaletteMapFile {
  map: Map<string, string>;
  /** Lines that are not `name->colour`, with their numbers. */
  invalid: string[];
}

export function parsePaletteMap(text: string): PaletteMapFile {
  const map = new Map<string, string>();
  const invalid: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const arrow = line.lastIndexOf('->');
    const color = arrow >= 0 ? parseColor(line.slice(arrow + 2)) : null;
    if (color === null) {
      invalid.push(`line ${i + 1}: ${line.slice(0, 120)}`);
      return;
    }
    map.set(line.slice(0, arrow), color);
  });
  return { map, invalid };
}

/** Sorted byte-wise by name, as flamegraph.pl writes it. */
export function formatPaletteMap(map: Map<string, string>): string {
  return [...map.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}->${toRgbText(map.get(k) as string)}\n`)
    .join('');
}
