// Copies non-TypeScript assets (templates, Lua, JS for the SVG) from src/ to dist/ so runtime
// code can load them relative to import.meta.url both under vitest (src) and when built (dist).
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!/\.ts$/.test(name)) out.push(p);
  }
  return out;
}
for (const file of walk('src')) {
  const dest = path.join('dist', path.relative('src', file));
  mkdirSync(path.dirname(dest), { recursive: true });
  cpSync(file, dest);
}
