/**
 * Frames → SVG text. Geometry as flamegraph.pl's (same paddings, frame height, label fitting), built
 * as an array of parts joined once. Every string from the input goes through escapeXml; the script
 * gets its settings as escaped JSON and finds its own root element, so two graphs can share a page.
 */
import { groupThousands } from '../util/format.js';
import { readFileSync } from 'node:fs';
import { invalidInput } from '../errors.js';
import { escapeXml, jsonForScript, safeIdPrefix } from '../util/escape.js';
import { displayName } from './palette.js';
import type { Layout } from './layout.js';
import type { FlameGraphOptions } from './types.js';

export interface Resolved {
  title: string;
  subtitle: string;
  width: number;
  frameHeight: number;
  minWidth: number | string;
  countName: string;
  nameType: string;
  inverted: boolean;
  fontSize: number;
  fontType: string;
  fontWidth: number;
  p: string;
  /** Background gradient; null: the renderer's own (see Extra). */
  background: [string, string] | null;
  notes: string;
  encoding: string | undefined;
  /** --total: graph width in counts, when larger than the input's total. */
  total: number;
  factor: number;
  nameAttr: Map<string, Record<string, string>> | undefined;
}

export function resolveOptions(o: FlameGraphOptions, defaultTitle: string): Resolved {
  const num = (v: number | undefined, d: number, min: number) => (v !== undefined && Number.isFinite(v) && v >= min ? v : d);
  return {
    title: o.title ?? defaultTitle,
    subtitle: o.subtitle ?? '',
    width: Math.round(num(o.width, 1200, 100)),
    frameHeight: num(o.frameHeight, 16, 2),
    minWidth: o.minWidth ?? 0.1,
    // The tooltip is `name (info)` and the script splits at the last " (": the unit must not add one.
    countName: (o.countName ?? 'samples').replace(/\(/g, '[').replace(/\)/g, ']'),
    nameType: o.nameType ?? 'Function:',
    inverted: o.inverted ?? false,
    fontSize: num(o.fontSize, 12, 1),
    fontType: o.fontType ?? 'Verdana',
    fontWidth: num(o.fontWidth, 0.59, 0.01),
    p: safeIdPrefix(o.idPrefix ?? 'fg-'),
    background: null,
    notes: o.notes ?? '',
    encoding: o.encoding,
    total: o.total !== undefined && Number.isFinite(o.total) && o.total > 0 ? o.total : 0,
    factor: o.factor !== undefined && Number.isFinite(o.factor) && o.factor > 0 ? o.factor : 1,
    nameAttr: o.nameAttr,
  };
}

/** The width of the graph in counts: the input's total, or --total when that is larger (flamegraph.pl ignores a smaller one). */
export function graphTotal(layoutTotal: number, r: Resolved): number {
  return Math.max(layoutTotal, r.total);
}

export const XPAD = 10;
const FRAMEPAD = 1;

/** Minimum width in counts, from px (a number) or a percentage of the total ("0.5%"). */
export function minWidthCounts(minWidth: number | string, width: number): (total: number) => number {
  if (typeof minWidth === 'string') {
    const m = /^\s*([0-9]*\.?[0-9]+)\s*(%|px)?\s*$/.exec(minWidth);
    if (!m) throw invalidInput('E_BAD_MINWIDTH', `minwidth "${minWidth}" is neither pixels nor a percentage`, 'Use e.g. 0.1 (px) or "0.5%".');
    const v = Number(m[1]);
    if (m[2] === '%') return (total) => (total * v) / 100;
    return (total) => (v * total) / (width - 2 * XPAD);
  }
  return (total) => (minWidth * total) / (width - 2 * XPAD);
}

/** `1,234` for integers, two decimals otherwise (µs from off-CPU sums can be fractional). */
export function formatCount(v: number): string {
  return groupThousands(v, Number.isInteger(v) ? 0 : 2);
}

export function fitLabel(name: string, widthPx: number, r: Resolved): string {
  const fit = Math.floor((widthPx - 6) / (r.fontSize * r.fontWidth));
  if (fit < 3) return '';
  return name.length <= fit ? name : `${name.slice(0, fit - 2)}..`;
}

let script: string | undefined;
function browserScript(): string {
  script ??= readFileSync(new URL('./flamegraph.js', import.meta.url), 'utf8');
  if (script.includes(']]>')) throw new Error('flamegraph.js must not contain "]]>" (it is inlined in CDATA)');
  return script;
}

export interface FrameStyle {
  fill: (i: number) => string;
  /** Tooltip text after the name, e.g. `1,234 samples, 12.34%`; never contains " (" (see flamegraph.js nameOf). */
  info: (i: number) => string;
}

export interface Extra {
  /** Height added under the details line (legend). */
  height: number;
  /** Background gradient colours. */
  background: [string, string];
  /** SVG fragments to draw in that area, given its top y. */
  draw: (top: number, r: Resolved) => string;
}

export function emitSvg(layout: Layout, r: Resolved, style: FrameStyle, extra: Extra | null): string {
  const { p, fontSize: fs, frameHeight: fh, width } = r;
  const ypad1 = fs * 3 + (r.subtitle ? fs * 2 : 0);
  const ypad2 = fs * 2 + 10;
  const extraH = extra ? extra.height : 0;
  const rows = layout.maxDepth + 1;
  const height = Math.ceil(ypad1 + rows * fh + ypad2 + extraH);
  const timeMax = graphTotal(layout.total, r);
  const perCount = timeMax > 0 ? (width - 2 * XPAD) / timeMax : 0;
  const bottom = height - ypad2 - extraH; // y of the bottom of the root row (non-inverted)
  const [bg1, bg2] = r.background ?? (extra ? extra.background : ['#eeeeee', '#eeeeb0']);
  const parts: string[] = [];
  const text = (x: number | string, y: number | string, s: string, attrs = '') =>
    `<text x="${x}" y="${y}"${attrs}>${escapeXml(s)}</text>`;

  if (r.encoding !== undefined) parts.push(`<?xml version="1.0" encoding="${escapeXml(r.encoding)}" standalone="no"?>\n`);
  parts.push(
    `<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" id="${p}root" class="flamegraph" xmlns="http://www.w3.org/2000/svg">\n`,
    r.notes ? `<!-- NOTES: ${commentText(r.notes)} -->\n` : '',
    `<defs><linearGradient id="${p}bg" y1="0" y2="1" x1="0" x2="0"><stop stop-color="${bg1}" offset="5%"/><stop stop-color="${bg2}" offset="95%"/></linearGradient></defs>\n`,
    `<style type="text/css">`,
    `#${p}root text{font-family:${cssFont(r.fontType)};font-size:${fs}px;fill:#000}`,
    `#${p}root .${p}title{font-size:${fs + 5}px;text-anchor:middle}`,
    `#${p}root .${p}subtitle{fill:#a0a0a0;text-anchor:middle}`,
    `#${p}root .${p}btn{cursor:pointer}`,
    `#${p}frames g{cursor:pointer}`,
    `#${p}frames g:hover rect{stroke:#000;stroke-width:.5}`,
    `#${p}frames text{pointer-events:none}`,
    `</style>\n`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="url(#${p}bg)"/>\n`,
    text(Math.trunc(width / 2), fs * 2, r.title, ` class="${p}title"`),
    '\n',
  );
  if (r.subtitle) parts.push(text(Math.trunc(width / 2), fs * 4, r.subtitle, ` class="${p}subtitle"`), '\n');
  parts.push(
    text(XPAD, fs * 2, 'Reset Zoom', ` id="${p}unzoom" class="${p}btn" style="opacity:0"`),
    text(width - XPAD - 100, fs * 2, 'Search', ` id="${p}search" class="${p}btn"`),
    text(width - XPAD - 16, fs * 2, 'ic', ` id="${p}ignorecase" class="${p}btn"`),
    text(XPAD, height - extraH - ypad2 / 2, ' ', ` id="${p}details"`),
    text(width - XPAD - 100, height - extraH - ypad2 / 2, ' ', ` id="${p}matched"`),
    '\n',
  );

  parts.push(`<g id="${p}frames">\n`);
  const h = (fh - FRAMEPAD).toFixed(1);
  const { names } = layout;
  for (let i = 0; i < layout.n; i++) {
    const depth = layout.depth[i] as number;
    const x = XPAD + (layout.start[i] as number) * perCount;
    // The root spans the graph, also when --total makes it wider than the input (flamegraph.pl).
    const w = depth === 0 ? width - 2 * XPAD : (layout.width[i] as number) * perCount;
    const y = r.inverted ? ypad1 + depth * fh : bottom - (depth + 1) * fh + FRAMEPAD;
    const raw = depth === 0 ? '' : (names[layout.nameId[i] as number] as string);
    const name = depth === 0 ? 'all' : displayName(raw);
    const label = fitLabel(name, w, r);
    const attrs = depth === 0 || r.nameAttr === undefined ? undefined : r.nameAttr.get(raw) ?? r.nameAttr.get(name);
    const link = attrs?.href !== undefined && !/^\s*(javascript|data|vbscript):/i.test(attrs.href); // no script from a data file
    parts.push(
      attrs ? `<g${groupAttrs(attrs)}><title>` : '<g><title>',
      // A --nameattr title replaces the tooltip; the script still reads the name before the last " (".
      escapeXml(attrs?.title !== undefined ? `${name} (${attrs.title.replace(/ \(/g, ' [')})` : `${name} (${style.info(i)})`),
      '</title>',
      link ? `<a${linkAttrs(attrs)}>` : '',
      `<rect x="${x.toFixed(2)}" y="${y.toFixed(1)}" width="${w.toFixed(2)}" height="${h}" fill="${style.fill(i)}" rx="2" ry="2"/>`,
    );
    if (label) {
      parts.push(`<text x="${(x + 3).toFixed(2)}" y="${(y + (fh - FRAMEPAD) / 2 + fs / 3).toFixed(1)}">`, escapeXml(label), '</text>');
    }
    parts.push(link ? '</a></g>\n' : '</g>\n');
  }
  parts.push('</g>\n');

  if (extra) parts.push(extra.draw(height - extraH, r));

  const cfg = {
    p,
    xpad: XPAD,
    width,
    fontSize: fs,
    fontWidth: r.fontWidth,
    frameHeight: fh,
    inverted: r.inverted,
    nameType: r.nameType,
    searchColor: '#e600e6',
  };
  parts.push('<script type="text/ecmascript"><![CDATA[\n', browserScript(), `\n(${jsonForScript(cfg)});\n]]></script>\n</svg>\n`);
  return parts.join('');
}

/** Attributes from --nameattr for a frame's <g>: plain names only, values escaped; title/href/target are used elsewhere. */
function groupAttrs(attrs: Record<string, string>): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'title' || k === 'href' || k === 'target' || k.startsWith('a:')) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(k) || /^on/i.test(k)) continue; // no event handlers from a data file
    out += ` ${k}="${escapeXml(v)}"`;
  }
  return out;
}

/** The <a> around a frame with an href: href, target and a_extra's pairs (stored as "a:name"). */
function linkAttrs(attrs: Record<string, string>): string {
  let out = ` href="${escapeXml(attrs.href as string)}"`;
  if (attrs.target !== undefined) out += ` target="${escapeXml(attrs.target)}"`;
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('a:') && /^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(k.slice(2)) && !/^on/i.test(k.slice(2))) out += ` ${k.slice(2)}="${escapeXml(v)}"`;
  }
  return out;
}

/** Text for an XML comment: escaped, and without "--", which would end or break the comment. */
function commentText(s: string): string {
  return escapeXml(s).replace(/-(?=-)/g, '- ').replace(/-$/, '- ');
}

function cssFont(font: string): string {
  // A CSS font-family list from the option; anything outside a plain list of names is dropped.
  const cleaned = font.replace(/[^A-Za-z0-9 ,_-]/g, '');
  return cleaned.trim() === '' ? 'Verdana' : cleaned;
}

/** The SVG flamegraph.pl emits when there is nothing to draw, so pipelines get a valid image. */
export function emptySvg(r: Resolved, message: string): string {
  const h = r.fontSize * 5;
  return (
    `<svg version="1.1" width="${r.width}" height="${h}" viewBox="0 0 ${r.width} ${h}" id="${r.p}root" class="flamegraph" xmlns="http://www.w3.org/2000/svg">\n` +
    `<text x="${Math.trunc(r.width / 2)}" y="${r.fontSize * 2}" text-anchor="middle" font-family="${cssFont(r.fontType)}" font-size="${r.fontSize + 2}">${escapeXml(message)}</text>\n</svg>\n`
  );
}
