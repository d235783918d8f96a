import { mkdtempSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archivesFor, makeArgs, PROFILING_FLAGS } from '../../src/luajit/build.js';
import { buildRecordPath, cacheRoot, profilingDir, type ProfilingBuild } from '../../src/luajit/cache.js';
import { elfSymbols } from '../../src/luajit/elf.js';
import { selectLuajit } from '../../src/luajit/select.js';
import { installedLuajit, luajitFromLdd, luajitVersionIn } from '../../src/luajit/system.js';
import { findNginx } from '../../src/nginx/find.js';

const POLICY = `libluajit2-5.1-2:
  Installed: 2.1-20230119-1
  Candidate: 2.1-20230119-1
  Version table:
     2.1-20240101-1 500
        500 http://deb.debian.org/debian trixie/main amd64 Packages
 *** 2.1-20230119-1 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
        100 /var/lib/dpkg/status
`;

describe('pure parts of the profiling LuaJIT build', () => {
  it('archivesFor: the archives serving exactly the installed version, not dpkg/status', () => {
    expect(archivesFor(POLICY, '2.1-20230119-1')).toEqual([{ uri: 'http://deb.debian.org/debian', suite: 'bookworm', component: 'main' }]);
    expect(archivesFor(POLICY, '2.1-20240101-1')).toEqual([{ uri: 'http://deb.debian.org/debian', suite: 'trixie', component: 'main' }]);
    expect(archivesFor(POLICY, '9.9')).toEqual([]);
  });

  it("makeArgs: debian/rules' make line plus symbols, frame pointers and perftools", () => {
    const args = makeArgs('x86_64-linux-gnu', 2);
    expect(args).toContain('amalg');
    expect(args).toContain('PREFIX=/usr');
    expect(args).toContain('MULTILIB=lib/x86_64-linux-gnu');
    expect(args).toContain('CCDEBUG=-g');
    expect(args).toContain(`XCFLAGS=${PROFILING_FLAGS.join(' ')}`);
    // the distribution's optimisation level stays: nothing overrides CCOPT (-O2 in LuaJIT's Makefile)
    expect(args.some((a) => a.startsWith('CCOPT') || /-O[0-3s]/.test(a))).toBe(false);
  });

  it('luajitFromLdd and luajitVersionIn', () => {
    expect(luajitFromLdd('\tlinux-vdso.so.1 (0x00007ffd)\n\tlibluajit-5.1.so.2 => /lib/x86_64-linux-gnu/libluajit-5.1.so.2 (0x00007f9c)\n')).toBe('/lib/x86_64-linux-gnu/libluajit-5.1.so.2');
    expect(luajitFromLdd('\tlibc.so.6 => /lib/libc.so.6 (0x1)\n')).toBeNull();
    expect(luajitVersionIn(Buffer.from('\0\0LuaJIT 2.1.0-beta3\0 -- Copyright'))).toBe('LuaJIT 2.1.0-beta3');
    expect(luajitVersionIn(Buffer.from('nothing'))).toBeNull();
  });

  it('cacheRoot honours FLAMEBENCH_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheRoot({ FLAMEBENCH_CACHE_DIR: '/x/fb' })).toBe('/x/fb');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/flamebench');
    expect(cacheRoot({})).toBe(path.join(os.homedir(), '.cache', 'flamebench'));
    expect(profilingDir('luajit2', '1:2.1-2', '/c')).toBe('/c/luajit/luajit2-1_2.1-2');
  });
});

describe('the installed LuaJIT and the choice of openresty.luajit (real nginx, temporary cache)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fb-luajit-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('Debian ships LuaJIT stripped; elfSymbols says so, and a non-ELF file is null', async () => {
    const inst = await installedLuajit(await findNginx('auto'));
    expect(inst?.deb?.sourcePackage).toBeTruthy();
    expect(inst?.luajitVersion).toMatch(/^LuaJIT 2\./);
    expect(elfSymbols(inst?.library as string)).toEqual({ symtab: false, debugInfo: false });
    expect(elfSymbols('/etc/hostname')).toBeNull();
  });

  it('system / auto without a build / profiling without a build / auto with a build', async () => {
    const nginx = await findNginx('auto');
    const inst = await installedLuajit(nginx);
    const sys = await selectLuajit('system', nginx, root);
    expect(sys.record).toMatchObject({ used: 'system', symbols: false, framePointers: false });
    expect(sys.env).toEqual({});

    const auto = await selectLuajit('auto', nginx, root);
    expect(auto.record.used).toBe('system');
    expect(auto.record.reason).toMatch(/no profiling build .*flamebench build luajit/);

    await expect(selectLuajit('profiling', nginx, root)).rejects.toMatchObject({ code: 'E_LUAJIT_PROFILING', kind: 'environment' });

    // a build in the cache (the library: any ELF file with symbols will do for the selection)
    const dir = profilingDir(inst?.deb?.sourcePackage as string, inst?.deb?.sourceVersion as string, root);
    mkdirSync(path.join(dir, 'lib'), { recursive: true });
    const lib = path.join(dir, 'lib', 'libluajit-5.1.so.2');
    copyFileSync(process.execPath, lib);
    const rec: ProfilingBuild = {
      schemaVersion: 1,
      sourcePackage: inst?.deb?.sourcePackage as string,
      sourceVersion: inst?.deb?.sourceVersion as string,
      matches: inst?.library as string,
      luajitVersion: inst?.luajitVersion as string,
      make: ['make'],
      flags: ['-g', ...PROFILING_FLAGS],
      builtAt: new Date().toISOString(),
      seconds: 1,
      libDir: path.join(dir, 'lib'),
      library: lib,
    };
    writeFileSync(buildRecordPath(dir), JSON.stringify(rec));
    const prof = await selectLuajit('auto', nginx, root);
    expect(prof.record).toMatchObject({ used: 'profiling', framePointers: true, library: lib });
    expect(prof.env.LD_LIBRARY_PATH?.split(':')[0]).toBe(path.join(dir, 'lib'));
  });

  it('an openresty installation: "bundled" with how to get symbols; "profiling" is refused', async () => {
    const nginx = await findNginx('auto');
    const fake = { ...nginx, flavour: 'openresty' as const };
    const r = await selectLuajit('auto', fake, root);
    expect(r.record.used).toBe('bundled');
    expect(r.record.reason).toMatch(/rpath/);
    expect(r.record.reason).toMatch(/--with-luajit-xcflags/);
    await expect(selectLuajit('profiling', fake, root)).rejects.toMatchObject({ code: 'E_LUAJIT_OPENRESTY' });
  });
});
