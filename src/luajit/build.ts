/**
 * `flamebench build luajit`: the distribution's own LuaJIT source, at the version of the
 * installed library, built the distribution's way (debian/rules: `make amalg PREFIX=/usr
 * MULTILIB=lib/<multiarch>`, the Makefile's -O2) plus what a profiler needs: symbols (-g, not
 * stripped), frame pointers, and LUAJIT_USE_PERFTOOLS (LuaJIT's own perf map of its traces).
 * Same SONAME, so nginx's Lua module loads it through LD_LIBRARY_PATH; nothing is installed
 * system-wide and apt's own configuration is not touched: the deb-src entry and the package
 * lists live in a private apt directory inside the cache.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { NginxInstallation } from '../nginx/types.js';
import { buildRecordPath, cacheRoot, profilingDir, readProfilingBuild, type ProfilingBuild } from './cache.js';
import { elfSymbols } from './elf.js';
import { installedLuajit, luajitVersionIn, type DebPackage, type InstalledLuajit } from './system.js';

/** Added to the distribution's build: symbols stay (CCDEBUG), frame pointers, LuaJIT's perf map. */
export const PROFILING_FLAGS = ['-DLUAJIT_USE_PERFTOOLS', '-fno-omit-frame-pointer'];
export const LIBRARY_NAME = 'libluajit-5.1.so.2';

export interface BuildOptions {
  /** Build again even when the cache has this version. */
  force?: boolean;
  root?: string;
  /** Progress, one line at a time. */
  say?: (line: string) => void;
}

export interface BuildOutcome {
  build: ProfilingBuild;
  /** false: the cache already had it. */
  built: boolean;
}

/** One `deb` archive entry serving a package version, from `apt-cache policy`. */
export interface AptArchive {
  uri: string;
  suite: string;
  component: string;
}

/**
 * The archives `apt-cache policy` lists under the installed version ("*** 2.1-… 500" then
 * "   500 http://deb.debian.org/debian bookworm/main amd64 Packages"); /var/lib/dpkg/status is not one.
 */
export function archivesFor(policy: string, version: string): AptArchive[] {
  const out: AptArchive[] = [];
  let inVersion = false;
  for (const line of policy.split('\n')) {
    const v = /^\s+(?:\*\*\*\s+)?(\S+)\s+-?\d+\s*$/.exec(line);
    if (v) {
      inVersion = v[1] === version;
      continue;
    }
    if (!inVersion) continue;
    const a = /^\s+-?\d+\s+(\S+:\/\/\S+)\s+([^/\s]+)\/(\S+)\s+\S+\s+Packages\s*$/.exec(line);
    if (a) out.push({ uri: a[1] as string, suite: a[2] as string, component: a[3] as string });
  }
  return out;
}

/** The make command line: debian/rules' override_dh_auto_build plus the profiling flags. */
export function makeArgs(multiarch: string, jobs: number): string[] {
  return [
    `-j${jobs}`,
    'amalg',
    'PREFIX=/usr',
    `MULTILIB=lib/${multiarch}`,
    'Q=',
    'E=@:',
    'CCDEBUG=-g',
    `XCFLAGS=${PROFILING_FLAGS.join(' ')}`,
  ];
}

interface Step {
  say: (line: string) => void;
  log: string;
}

/** Runs a command, its output appended to the build log; a failure carries the log's tail. */
function exec(step: Step, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  appendFileSync(step.log, `\n$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => {
      appendFileSync(step.log, d);
      out += d.toString('utf8');
      if (out.length > 256 * 1024) out = out.slice(-128 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => reject(environmentError('E_LUAJIT_BUILD', `${cmd}: ${e.message}`, `is ${cmd} installed?`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else {
        const tail = out.trim().split('\n').slice(-8);
        reject(environmentError('E_LUAJIT_BUILD', `${cmd} ${args.slice(0, 3).join(' ')} … exited with ${code}`, `the whole output is in ${step.log}`, tail));
      }
    });
  });
}

async function multiarch(step: Step): Promise<string> {
  for (const [cmd, args] of [
    ['dpkg-architecture', ['-qDEB_HOST_MULTIARCH']],
    ['gcc', ['-print-multiarch']],
  ] as const) {
    try {
      const out = (await exec(step, cmd, [...args])).trim();
      if (out) return out;
    } catch {
      /* next */
    }
  }
  return `${os.arch() === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
}

/** The Debian facts a build needs, or an error saying why this machine cannot have one. */
export async function buildableLuajit(installation: NginxInstallation): Promise<{ installed: InstalledLuajit; deb: DebPackage }> {
  if (installation.flavour === 'openresty') {
    throw environmentError(
      'E_LUAJIT_OPENRESTY',
      `${installation.binary} is OpenResty: it bundles its own LuaJIT (linked by rpath), which a rebuilt library cannot replace`,
      "install OpenResty's debug build (openresty-debug) or build OpenResty with --with-luajit-xcflags='-g -DLUAJIT_USE_PERFTOOLS -fno-omit-frame-pointer'",
    );
  }
  if (!installation.luaModule) {
    throw environmentError('E_LUAJIT_NONE', `${installation.binary} has no Lua module: there is no LuaJIT to rebuild`, 'apt-get install libnginx-mod-http-lua');
  }
  const installed = await installedLuajit(installation);
  if (!installed) {
    throw environmentError('E_LUAJIT_NONE', `no libluajit found in ldd of ${[installation.binary, ...installation.loadModules].join(', ')}`, 'is the Lua module linked against LuaJIT?');
  }
  if (!installed.deb) {
    throw environmentError('E_LUAJIT_NOT_DEB', `${installed.library} belongs to no Debian package: its source cannot be fetched with apt-get source`, 'build LuaJIT with -g -fno-omit-frame-pointer yourself and put it first on LD_LIBRARY_PATH');
  }
  return { installed, deb: installed.deb };
}

/** Builds (or finds in the cache) the profiling LuaJIT matching the installed library. */
export async function buildProfilingLuajit(installation: NginxInstallation, opts: BuildOptions = {}): Promise<BuildOutcome> {
  const say = opts.say ?? (() => undefined);
  const root = opts.root ?? cacheRoot();
  const { installed, deb } = await buildableLuajit(installation);
  const dir = profilingDir(deb.sourcePackage, deb.sourceVersion, root);
  const existing = readProfilingBuild(dir);
  if (existing && !opts.force) {
    say(`profiling LuaJIT for ${deb.sourcePackage} ${deb.sourceVersion} is already built: ${existing.library}`);
    return { build: existing, built: false };
  }
  const started = Date.now();
  const luajitRoot = path.dirname(dir);
  mkdirSync(luajitRoot, { recursive: true });
  const work = path.join(luajitRoot, `.build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const step: Step = { say, log: path.join(luajitRoot, 'build.log') };
  writeFileSync(step.log, `flamebench build luajit ${new Date().toISOString()}: ${deb.sourcePackage} ${deb.sourceVersion} for ${installed.library}\n`);
  try {
    const policy = await exec(step, 'apt-cache', ['policy', deb.package]);
    const archives = archivesFor(policy, deb.version);
    if (archives.length === 0) {
      throw environmentError(
        'E_LUAJIT_SOURCE',
        `no apt archive serves ${deb.package} ${deb.version} (apt-cache policy lists only the installed copy)`,
        'the source of exactly the installed version is needed: upgrade the package to a version the archive has, then build again',
      );
    }
    const apt = aptDir(root);
    writeFileSync(path.join(apt, 'sources.list'), `${archives.map((a) => `deb-src ${a.uri} ${a.suite} ${a.component}`).join('\n')}\n`);
    const aptOpts = aptOptions(apt);
    say(`fetching the source of ${deb.sourcePackage} ${deb.sourceVersion} (deb-src of ${archives.map((a) => `${a.uri} ${a.suite}`).join(', ')}; private apt lists in ${apt})`);
    await exec(step, 'apt-get', ['-q', ...aptOpts, 'update']);
    await exec(step, 'apt-get', ['-q', ...aptOpts, 'source', `${deb.sourcePackage}=${deb.sourceVersion}`], { cwd: work });
    const srcDir = readdirSync(work)
      .map((n) => path.join(work, n))
      .find((p) => statSync(p).isDirectory());
    if (!srcDir) throw environmentError('E_LUAJIT_SOURCE', `apt-get source unpacked nothing into ${work}`, `see ${step.log}`);
    const args = makeArgs(await multiarch(step), Math.max(1, os.availableParallelism()));
    say(`building: make ${args.join(' ')} (in ${srcDir})`);
    // the distribution builds with the Makefile's flags only: no CFLAGS/LDFLAGS from the caller
    const env = { ...process.env };
    for (const k of ['CFLAGS', 'LDFLAGS', 'XCFLAGS', 'CCOPT', 'CCDEBUG', 'MAKEFLAGS']) delete env[k];
    await exec(step, 'make', args, { cwd: srcDir, env });
    const built = path.join(srcDir, 'src', 'libluajit.so');
    const builtVersion = luajitVersionIn(readFileSync(built));
    if (!builtVersion || (installed.luajitVersion && builtVersion !== installed.luajitVersion)) {
      throw environmentError(
        'E_LUAJIT_MISMATCH',
        `the built library says ${builtVersion ?? 'no version'}, the installed one ${installed.luajitVersion ?? 'none'}`,
        'the fetched source does not match the installed library; nothing was installed into the cache',
      );
    }
    if (!elfSymbols(built)?.symtab) throw environmentError('E_LUAJIT_BUILD', `${built} has no symbol table`, `see ${step.log}`);

    const staging = `${dir}.new-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(path.join(staging, 'lib'), { recursive: true });
    copyFileSync(built, path.join(staging, 'lib', LIBRARY_NAME));
    const record: ProfilingBuild = {
      schemaVersion: 1,
      sourcePackage: deb.sourcePackage,
      sourceVersion: deb.sourceVersion,
      matches: installed.library,
      luajitVersion: builtVersion,
      make: ['make', ...args],
      flags: ['-g', ...PROFILING_FLAGS],
      builtAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      libDir: path.join(dir, 'lib'),
      library: path.join(dir, 'lib', LIBRARY_NAME),
    };
    writeFileSync(buildRecordPath(staging), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    say(`built ${record.library} in ${record.seconds} s`);
    return { build: record, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function aptDir(root: string): string {
  const apt = path.join(root, 'apt');
  for (const d of ['lists/partial', 'cache/archives/partial', 'sources.list.d']) mkdirSync(path.join(apt, d), { recursive: true });
  return apt;
}

/** apt-get with its sources, lists and cache in `apt` only: the system's apt state is left alone. */
function aptOptions(apt: string): string[] {
  const o = (k: string, v: string) => ['-o', `${k}=${v}`];
  return [
    ...o('Dir::Etc::SourceList', path.join(apt, 'sources.list')),
    ...o('Dir::Etc::SourceParts', path.join(apt, 'sources.list.d')),
    ...o('Dir::State::Lists', path.join(apt, 'lists')),
    ...o('Dir::Cache', path.join(apt, 'cache')),
    // the private dirs belong to us, not to the _apt sandbox user
    ...o('APT::Sandbox::User', os.userInfo().username),
  ];
}
