/**
 * Frame colours. Deterministic per name (flamegraph.pl's --hash: a hash of the name picks the shade),
 * so the same function has the same colour in every graph and the same input gives the same bytes.
 * The 'auto' palette (the default) gives each kind of frame its own hue family so C, kernel, JIT, inline, Lua and
 * unresolved frames tell apart at a glance.
 */
import type { Palette } from './types.js';

export type FrameKind = 'native' | 'kernel' | 'jit' | 'inline' | 'waker' | 'lua' | 'unknown' | 'separator';

const ANNOTATION = /_\[([kjiw])\]$/;

/** flamegraph.pl's annotations (`_[k]` kernel, `_[j]` JIT, `_[i]` inline, `_[w]` waker) are stripped for display. */
export function displayName(name: string): string {
  return name.length > 4 && name.charCodeAt(name.length - 1) === 93 /* ] */ ? name.replace(ANNOTATION, '') : name;
}

// Lua frames as LuaJIT's jit.profile dumpstack, ngx-sample-lua-bt and fix-lua-bt print them:
// `@/path/file.lua:12`, `=[C]`-style chunk names, `file.lua:12`, `builtin#29`, and OpenResty's
// inline chunks `content_by_lua(nginx.conf:40):3`. Anything else is native.
const LUA = /^[@=]|\.lua(?::|$)|^builtin#\d+|_by_lua\w*\(/;
// perf's unresolved frames: `[unknown]`, and the `[libc.so.6]` / `[nginx]` dso frames stackcollapse-perf.pl
// substitutes for them.
const UNKNOWN = /^\[[^\]]*\]$/;

export function frameKind(name: string): FrameKind {
  const a = ANNOTATION.exec(name);
  if (a) {
    switch (a[1]) {
      case 'k':
        return 'kernel';
      case 'j':
        return 'jit';
      case 'i':
        return 'inline';
      default:
        return 'waker';
    }
  }
  if (name === '-' || name === '--') return 'separator';
  if (UNKNOWN.test(name)) return 'unknown';
  if (LUA.test(name)) return 'lua';
  return 'native';
}

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

type Family = Exclude<Palette, 'auto'> | 'grey';

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

/** Colour of a frame (full name, annotation included) under a palette. */
export function frameColor(name: string, palette: Palette): string {
  const shown = displayName(name);
  const v1 = nameHash(shown);
  const v2 = nameHash([...shown].reverse().join(''));
  const kind = frameKind(name);
  if (kind === 'separator') return rgb(160, 160, 160);
  const family: Family = palette === 'auto' ? (kind === 'native' && shown.includes('::') ? 'yellow' : AUTO_FAMILY[kind]) : palette;
  return familyColor(family, v1, v2, v2);
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
