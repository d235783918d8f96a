import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { environmentError } from '../errors.js';
import type { NginxInstallation } from './types.js';

const run = promisify(execFile);

const HINT = 'run npm run bootstrap (installs nginx + libnginx-mod-http-lua) or set openresty.binary';

/** Places binaries live when they are not on PATH (root's PATH has sbin, a user's often not). */
const FALLBACK_DIRS = ['/usr/local/openresty/bin', '/usr/local/openresty/nginx/sbin', '/usr/local/sbin', '/usr/sbin', '/sbin'];

/**
 * Locates the server to benchmark. 'auto': `openresty` (Lua built in), then `nginx` — preferring
 * one that has the Lua module, compiled in or as loadable module files. An nginx without Lua is
 * still returned (luaModule false): a `return 200` scenario runs on it, and a Lua scenario then
 * fails at `nginx -t` with a hint.
 */
export async function findNginx(binary: 'auto' | string): Promise<NginxInstallation> {
  if (binary !== 'auto') {
    const abs = binary.includes('/') ? path.resolve(binary) : onPath(binary);
    if (!abs || !isExecutable(abs)) {
      throw environmentError('E_NO_NGINX', `openresty.binary ${JSON.stringify(binary)} is not an executable file`, HINT);
    }
    return inspect(abs);
  }
  const candidates: string[] = [];
  for (const name of ['openresty', 'nginx']) {
    const found = onPath(name);
    if (found) candidates.push(found);
    for (const dir of FALLBACK_DIRS) {
      const p = path.join(dir, name);
      if (isExecutable(p)) candidates.push(p);
    }
  }
  const unique = [...new Set(candidates)];
  if (unique.length === 0) {
    throw environmentError('E_NO_NGINX', 'neither openresty nor nginx was found on PATH', HINT);
  }
  let first: NginxInstallation | null = null;
  for (const candidate of unique) {
    let inst: NginxInstallation;
    try {
      inst = await inspect(candidate);
    } catch {
      continue;
    }
    if (inst.luaModule) return inst;
    first ??= inst;
  }
  if (first) return first;
  throw environmentError('E_NO_NGINX', `no working nginx among ${unique.join(', ')} (\`-V\` failed)`, HINT);
}

async function inspect(binary: string): Promise<NginxInstallation> {
  let version: string;
  try {
    const out = await run(binary, ['-V'], { timeout: 10_000 });
    version = (out.stderr || out.stdout).trim();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    throw environmentError('E_NO_NGINX', `${binary} -V failed: ${err.stderr?.trim() || err.message}`, HINT);
  }
  return describeInstallation(binary, version, existsSync);
}

/**
 * Pure reading of `nginx -V`: is Lua compiled in (openresty, static builds), or are the
 * dynamic module files there (Debian: ndk must be loaded before the lua module)?
 */
export function describeInstallation(binary: string, version: string, exists: (p: string) => boolean): NginxInstallation {
  const flavour: NginxInstallation['flavour'] = /openresty/i.test(version) || path.basename(binary) === 'openresty' ? 'openresty' : 'nginx';
  const compiledIn = /--add-module=\S*(ngx_lua|lua-nginx-module|http-lua)/i.test(version);
  if (compiledIn) return { binary, version, loadModules: [], luaModule: true, flavour };

  const modulesDirs = new Set<string>();
  const m = /--modules-path=(\S+)/.exec(version);
  if (m?.[1]) modulesDirs.add(m[1]);
  const prefix = /--prefix=(\S+)/.exec(version)?.[1];
  if (prefix) modulesDirs.add(path.join(prefix, 'modules'));
  modulesDirs.add('/usr/lib/nginx/modules');
  modulesDirs.add('/usr/share/nginx/modules');
  for (const dir of modulesDirs) {
    const lua = path.join(dir, 'ngx_http_lua_module.so');
    if (!exists(lua)) continue;
    const ndk = path.join(dir, 'ndk_http_module.so');
    // The Lua module links against NDK symbols when built with it (Debian does): load NDK first.
    const loadModules = exists(ndk) ? [ndk, lua] : [lua];
    return { binary, version, loadModules, luaModule: true, flavour };
  }
  return { binary, version, loadModules: [], luaModule: false, flavour };
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
