/**
 * Frame colours. Deterministic per name unless --random: by default a generator seeded by the name
 * picks the shade (flamegraph.pl's default), with --hash the name's leading characters do
 * (flamegraph.pl --hash), so the same function has the same colour in every graph and the same input
 * gives the same bytes. The 'auto' palette (the default) gives each kind of frame its own hue family
 * so C, kernel, JIT, inline, Lua and unresolved frames tell apart at a glance; the java, js, perl,
 * python, rust, wakeup and chain palettes classify names as flamegraph.pl and inferno do.
 */
import { displayName, frameKind, type FrameKind } from '../stacks/frames.js';
import type { BgColors, Palette, ShadeMode } from './types.js';

export { displayName, frameKind, type FrameKind } from '../stacks/frames.js';


/**
 * flamegraph.pl's namehash: a vector hash weighting early characters over later ones, in [0, 1].
 * A `module`func` name is hashed from the function part.
 */
export function nameHash(input: string): number {
  const name = input.replace(/.(.*?)`/, '');
  let vector = 0;
  let weight = 1;
  let max = 1;
  let mod = 10;
  for (const ch of name) {
    const i = (ch.codePointAt(0) as number) % mod;
    vector += (i / (mod++ - 1)) * weight;
    max += weight;
    weight *= 0.7;
    if (mod > 12) break;
  }
  return 1 - vector / max;
}

function hex2(n: number): string {
  const v = Math.max(0, Math.min(255, Math.round(n)));
  return (v < 16 ? '0' : '') + v.toString(16);
}

export function rgb(r: number, g: number, b: number): string {
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}

type Flat = 'red' | 'green' | 'blue' | 'aqua' | 'yellow' | 'purple' | 'orange';
type Family = Flat | 'hot' | 'mem' | 'io' | 'grey';

function familyColor(family: Family, v1: number, v2: number, v3: number): string {
  switch (family) {
    case 'hot':
      return rgb(205 + Math.trunc(50 * v3), Math.trunc(230 * v1), Math.trunc(55 * v2));
    case 'mem':
      return rgb(0, 190 + Math.trunc(50 * v2), Math.trunc(210 * v1));
    case 'io': {
      const r = 80 + Math.trunc(60 * v1);
      return rgb(r, r, 190 + Math.trunc(55 * v2));
    }
    case 'red': {
      const x = 50 + Math.trunc(80 * v1);
      return rgb(200 + Math.trunc(55 * v1), x, x);
    }
    case 'green': {
      const x = 50 + Math.trunc(60 * v1);
      return rgb(x, 200 + Math.trunc(55 * v1), x);
    }
    case 'blue': {
      const x = 80 + Math.trunc(60 * v1);
      return rgb(x, x, 205 + Math.trunc(50 * v1));
    }
    case 'yellow': {
      const x = 175 + Math.trunc(55 * v1);
      return rgb(x, x, 50 + Math.trunc(20 * v1));
    }
    case 'purple': {
      const x = 190 + Math.trunc(65 * v1);
      return rgb(x, 80 + Math.trunc(60 * v1), x);
    }
    case 'aqua':
      return rgb(50 + Math.trunc(60 * v1), 165 + Math.trunc(55 * v1), 165 + Math.trunc(55 * v1));
    case 'orange':
      return rgb(190 + Math.trunc(65 * v1), 90 + Math.trunc(65 * v1), 0);
    case 'grey': {
      const x = 150 + Math.trunc(50 * v1);
      return rgb(x, x, x + 5);
    }
  }
}

// flamegraph.pl's mixed-mode convention (its java/js palettes): red user-level C, yellow C++,
// orange kernel, green JIT, aqua inlined; we add purple for Lua and grey for unresolved frames.
const AUTO_FAMILY: Record<FrameKind, Family> = {
  native: 'red',
  kernel: 'orange',
  jit: 'green',
  inline: 'aqua',
  waker: 'blue',
  lua: 'purple',
  unknown: 'grey',
  separator: 'grey',
};

const ANNOTATED = (name: string, a: string) => name.endsWith(`_[${a}]`);

/** flamegraph.pl's java palette: annotations first, then JVM package prefixes, C++, kernel. */
function javaFamily(name: string): Flat {
  if (ANNOTATED(name, 'j')) return 'green';
  if (ANNOTATED(name, 'i')) return 'aqua';
  if (/^L?(java|javax|jdk|net|org|com|io|sun)\//.test(name)) return 'green';
  if (name.includes(':::')) return 'green'; // perf-map-agent's method separator
  if (name.includes('::')) return 'yellow';
  if (ANNOTATED(name, 'k')) return 'orange';
  return 'red';
}

function perlFamily(name: string): Flat {
  if (name.includes('::')) return 'yellow';
  if (name.includes('Perl') || name.includes('.pl')) return 'green';
  if (ANNOTATED(name, 'k')) return 'orange';
  return 'red';
}

function jsFamily(name: string): Flat {
  if (ANNOTATED(name, 'j')) return name.includes('/') ? 'green' : 'aqua';
  if (name.includes('::')) return 'yellow';
  if (/\/.*\.js/.test(name)) return 'green';
  if (name.includes(':')) return 'aqua';
  if (name === ' ') return 'green'; // a missing symbol
  if (name.includes('_[k]')) return 'orange';
  return 'red';
}

/** inferno's python palette: site-packages aqua, the standard library yellow, the rest red. */
function pythonFamily(name: string): Flat {
  const parts = name.split(/[/\\]/);
  if (parts.includes('site-packages')) return 'aqua';
  if (parts.some((p) => /^[Pp]ython[0-9.]*$/.test(p)) || /^<(built-in|method|frozen)/.test(name)) return 'yellow';
  return 'red';
}

/** inferno's rust palette: core/std/alloc orange, other `::` paths aqua, the rest yellow. */
function rustFamily(input: string): Flat {
  const tick = input.indexOf('`');
  const name = tick >= 0 ? input.slice(tick + 1) : input;
  if (/^<?(core|std|alloc)::/.test(name) && !name.startsWith('<core::future::from_generator::GenFuture<T>')) return 'orange';
  if (name.includes('::')) return 'aqua';
  return 'yellow';
}

function paletteFamily(name: string, shown: string, kind: FrameKind, palette: Palette): Family {
  switch (palette) {
    case 'auto':
      return kind === 'native' && shown.includes('::') ? 'yellow' : AUTO_FAMILY[kind];
    case 'java':
      return javaFamily(name);
    case 'perl':
      return perlFamily(name);
    case 'js':
      return jsFamily(name);
    case 'python':
      return pythonFamily(name);
    case 'rust':
      return rustFamily(name);
    case 'wakeup':
      return 'aqua';
    case 'chain':
      return name.includes('_[w]') ? 'aqua' : 'blue'; // wakers (after "--") aqua, off-CPU blue
    default:
      return palette;
  }
}

/** Sum of the code points seeds a small generator: the same name always gets the same shade (flamegraph.pl's random_namehash). */
function seededShade(name: string): number {
  let sum = 0;
  for (let i = 0; i < name.length; i++) sum += name.charCodeAt(i);
  // mulberry32, one step
  let t = (sum + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Colour of a frame (full name, annotation included) under a palette. */
export function frameColor(name: string, palette: Palette, shade: ShadeMode = 'name'): string {
  const shown = displayName(name);
  const kind = frameKind(name);
  if (kind === 'separator') return rgb(160, 160, 160);
  let v1: number;
  let v2: number;
  let v3: number;
  if (shade === 'hash') {
    v1 = nameHash(shown);
    v2 = v3 = nameHash([...shown].reverse().join(''));
  } else if (shade === 'random') {
    v1 = Math.random();
    v2 = Math.random();
    v3 = Math.random();
  } else {
    v1 = v2 = v3 = seededShade(shown);
  }
  return familyColor(paletteFamily(name, shown, kind, palette), v1, v2, v3);
}

/** flamegraph.pl's default background per palette, and its gradients. */
export function backgroundOf(palette: Palette, bg: BgColors | undefined): [string, string] {
  const name =
    bg ??
    (palette === 'mem'
      ? 'green'
      : palette === 'io' || palette === 'wakeup' || palette === 'chain'
        ? 'blue'
        : ['red', 'green', 'blue', 'aqua', 'yellow', 'purple', 'orange'].includes(palette)
          ? 'grey'
          : 'yellow');
  switch (name) {
    case 'yellow':
      return ['#eeeeee', '#eeeeb0'];
    case 'blue':
      return ['#eeeeee', '#e0e0ff'];
    case 'green':
      return ['#eef2ee', '#e0ffe0'];
    case 'grey':
      return ['#f8f8f8', '#e8e8e8'];
    default:
      return [name, name];
  }
}

/** "rgb(1,2,3)" (flamegraph.pl's palette.map) or "#010203" → "#010203"; null when neither. */
export function parseColor(text: string): string | null {
  const t = text.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(t)) return t.toLowerCase();
  const m = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(t);
  if (!m) return null;
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (r > 255 || g > 255 || b > 255) return null;
  return rgb(r, g, b);
}

/** "#010203" → "rgb(1,2,3)", the form flamegraph.pl and inferno write in palette.map. */
export function toRgbText(hex: string): string {
  return `rgb(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)})`;
}

/** Legend entries of the 'auto' palette, for the report. */
export const AUTO_LEGEND: ReadonlyArray<{ kind: FrameKind; label: string; sample: string }> = [
  { kind: 'native', label: 'C / native', sample: familyColor('red', 0.5, 0.5, 0.5) },
  { kind: 'native', label: 'C++', sample: familyColor('yellow', 0.5, 0.5, 0.5) },
  { kind: 'kernel', label: 'kernel _[k]', sample: familyColor('orange', 0.5, 0.5, 0.5) },
  { kind: 'jit', label: 'JIT _[j]', sample: familyColor('green', 0.5, 0.5, 0.5) },
  { kind: 'inline', label: 'inline _[i]', sample: familyColor('aqua', 0.5, 0.5, 0.5) },
  { kind: 'lua', label: 'Lua', sample: familyColor('purple', 0.5, 0.5, 0.5) },
  { kind: 'unknown', label: 'unknown / dso', sample: familyColor('grey', 0.5, 0.5, 0.5) },
];
