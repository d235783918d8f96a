/**
 * Which LuaJIT library an nginx loads, and what the distribution says about it: its path (from
 * ldd of the binary and its Lua module), its Debian package and source version, LuaJIT's own
 * version string, and whether perf can name its functions (symbols).
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import type { NginxInstallation } from '../nginx/types.js';
import { elfSymbols, type ElfSymbols } from './elf.js';

const run = promisify(execFile);

export interface InstalledLuajit {
  /** The library file the dynamic linker loads (symbolic links resolved). */
  library: string;
  /** `LuaJIT 2.1.0-beta3`, read from the library. */
  luajitVersion: string | null;
  symbols: ElfSymbols | null;
  /** The Debian package that owns the library, when one does. */
  deb: DebPackage | null;
}

export interface DebPackage {
  package: string;
  version: string;
  sourcePackage: string;
  sourceVersion: string;
}

/** `libluajit-5.1.so.2 => /lib/x86_64-linux-gnu/libluajit-5.1.so.2 (0x…)` in ldd's output. */
export function luajitFromLdd(text: string): string | null {
  const m = /^\s*libluajit[^\s]*\s+=>\s+(\/\S+)/m.exec(text);
  return m?.[1] ?? null;
}

/** The first `LuaJIT x.y.z[-tag]` in a binary (LUAJIT_VERSION, as `luajit -v` prints it). */
export function luajitVersionIn(bytes: Buffer): string | null {
  const m = /LuaJIT \d+\.\d+\.\d+(?:-[\w.]+)?/.exec(bytes.toString('latin1'));
  return m?.[0] ?? null;
}

async function ldd(file: string): Promise<string> {
  try {
    const { stdout } = await run('ldd', [file], { timeout: 10_000 });
    return stdout;
  } catch {
    return '';
  }
}

/** The LuaJIT library the installation links (the binary itself for openresty, the Lua module for Debian). */
export async function installedLuajit(installation: NginxInstallation): Promise<InstalledLuajit | null> {
  for (const file of [installation.binary, ...installation.loadModules]) {
    const lib = luajitFromLdd(await ldd(file));
    if (lib) return describeLibrary(lib);
  }
  return null;
}

export async function describeLibrary(lib: string): Promise<InstalledLuajit> {
  let library = lib;
  try {
    library = realpathSync(lib);
  } catch {
    /* described as found */
  }
  let luajitVersion: string | null = null;
  try {
    luajitVersion = luajitVersionIn(readFileSync(library));
  } catch {
    /* unreadable: no version */
  }
  return { library, luajitVersion, symbols: elfSymbols(library), deb: await debPackageOf(library) };
}

/** `dpkg-query -S` then `-W`: the package owning a file and the source it was built from. */
export async function debPackageOf(file: string): Promise<DebPackage | null> {
  try {
    // dpkg knows /usr/lib/…; the loader may report /lib/… (merged /usr)
    const candidates = [file, file.replace(/^\/lib\//, '/usr/lib/')];
    let pkg: string | null = null;
    for (const c of candidates) {
      try {
        const { stdout } = await run('dpkg-query', ['-S', c], { timeout: 10_000 });
        pkg = stdout.split(':')[0]?.trim() ?? null;
        const arch = /^[^:]+:([\w-]+):/.exec(stdout)?.[1];
        if (pkg && arch) pkg = `${pkg}:${arch}`;
        if (pkg) break;
      } catch {
        /* next */
      }
    }
    if (!pkg) return null;
    const { stdout } = await run('dpkg-query', ['-W', '-f', '${Package}\t${Version}\t${source:Package}\t${source:Version}', pkg], { timeout: 10_000 });
    const [name, version, sourcePackage, sourceVersion] = stdout.trim().split('\t');
    if (!name || !version || !sourcePackage || !sourceVersion) return null;
    return { package: pkg, version, sourcePackage, sourceVersion };
  } catch {
    return null;
  }
}
