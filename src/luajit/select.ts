/**
 * Which LuaJIT a run's nginx loads (`openresty.luajit`), and why not the profiling build when it
 * is not that one. The answer goes into run.json (environment.luajit), the report and doctor.
 */
import type { CodeOfKind } from '../error-codes.js';
import { environmentError } from '../errors.js';
import type { LuajitRecord } from '../runs/types.js';
import type { LuajitChoice } from '../scenario/types.js';
import type { NginxInstallation } from '../nginx/types.js';
import { cacheRoot, profilingDir, readProfilingBuild } from './cache.js';
import { elfSymbols } from './elf.js';
import { installedLuajit, type InstalledLuajit } from './system.js';

export interface LuajitSelection {
  record: LuajitRecord;
  /** Environment for nginx (LD_LIBRARY_PATH for the profiling build); empty otherwise. */
  env: Record<string, string>;
}

export const OPENRESTY_SYMBOLS_HINT =
  "OpenResty links its own LuaJIT by rpath, so flamebench cannot swap it. For symbols: OpenResty's packages ship one with symbols " +
  "(check with `readelf -S <lib> | grep symtab`); or build OpenResty with --with-luajit-xcflags='-g -DLUAJIT_USE_PERFTOOLS -fno-omit-frame-pointer' and set openresty.binary to it.";

function describe(lib: InstalledLuajit | null): Pick<LuajitRecord, 'library' | 'luajitVersion' | 'package' | 'symbols'> {
  return {
    library: lib?.library ?? null,
    luajitVersion: lib?.luajitVersion ?? null,
    package: lib?.deb ? `${lib.deb.package} ${lib.deb.version}` : null,
    symbols: lib?.symbols?.symtab ?? null,
  };
}

/** Picks the LuaJIT for a run. `profiling` that cannot be had is an environment error; `auto` falls back and says why. */
export async function selectLuajit(choice: LuajitChoice, installation: NginxInstallation, root = cacheRoot()): Promise<LuajitSelection> {
  const none = (reason: string): LuajitSelection => ({
    record: { choice, used: 'none', library: null, luajitVersion: null, package: null, symbols: null, framePointers: null, reason },
    env: {},
  });
  if (!installation.luaModule) return none(`${installation.binary} has no Lua module`);
  const system = await installedLuajit(installation);
  const refuse = (code: CodeOfKind<'environment'>, why: string, hint: string): never => {
    throw environmentError(code, `openresty.luajit is "profiling", but ${why}`, hint);
  };

  if (installation.flavour === 'openresty') {
    if (choice === 'profiling') refuse('E_LUAJIT_OPENRESTY', `${installation.binary} bundles its own LuaJIT`, OPENRESTY_SYMBOLS_HINT);
    const symbols = system?.symbols?.symtab ?? null;
    return {
      record: {
        choice,
        used: 'bundled',
        ...describe(system),
        framePointers: null,
        reason: `OpenResty's own LuaJIT (${system?.library ?? 'bundled'}) ${symbols ? 'has symbols' : symbols === false ? 'is stripped: its functions show as [libluajit…]' : ''}. ${OPENRESTY_SYMBOLS_HINT}`,
      },
      env: {},
    };
  }

  const systemRecord = (reason: string): LuajitSelection => ({
    record: { choice, used: 'system', ...describe(system), framePointers: false, reason },
    env: {},
  });
  if (choice === 'system') return systemRecord('openresty.luajit is "system"');
  if (!system?.deb) {
    const why = system ? `${system.library} belongs to no Debian package, so no matching source can be built` : 'no libluajit was found in ldd of nginx and its Lua module';
    if (choice === 'profiling') refuse('E_LUAJIT_PROFILING', why, 'build LuaJIT with -g -fno-omit-frame-pointer yourself and put it first on LD_LIBRARY_PATH');
    return systemRecord(why);
  }
  const dir = profilingDir(system.deb.sourcePackage, system.deb.sourceVersion, root);
  const build = readProfilingBuild(dir);
  if (!build) {
    const why = `no profiling build of ${system.deb.sourcePackage} ${system.deb.sourceVersion} in ${dir}`;
    if (choice === 'profiling') refuse('E_LUAJIT_PROFILING', why, 'run `flamebench build luajit` (npm run bootstrap does it where the Debian source archive is reachable)');
    return systemRecord(`${why}: run \`flamebench build luajit\``);
  }
  const symbols = elfSymbols(build.library)?.symtab ?? null;
  return {
    record: {
      choice,
      used: 'profiling',
      library: build.library,
      luajitVersion: build.luajitVersion,
      package: `${build.sourcePackage} ${build.sourceVersion} (rebuilt: ${build.flags.join(' ')})`,
      symbols,
      framePointers: true,
      reason: choice === 'auto' ? 'openresty.luajit is "auto" and the profiling build exists' : 'openresty.luajit is "profiling"',
    },
    env: { LD_LIBRARY_PATH: [build.libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
  };
}
