/**
 * `flamebench doctor`: what works on this machine and what to do about what does not.
 * The core is nginx (+ the loader); every probe kind is reported with its reason and fix.
 */
import os from 'node:os';
import { toErrorRecord, type ErrorRecord } from '../errors.js';
import { DEFAULTS } from '../scenario/defaults.js';
import type { ProbeSpec } from '../scenario/types.js';
import { findNginx } from '../nginx/find.js';
import type { NginxInstallation } from '../nginx/types.js';
import { packageVersion } from '../util/version.js';
import { bpftraceVersion, ensureTracefs, isRoot, kernelDebuginfo, perfEventParanoid, perfVersion, TRACEFS, tracefsDir, which } from './env.js';
import { driverFor } from './index.js';
import { OPENRESTY_SYMBOLS_HINT, selectLuajit } from '../luajit/select.js';
import type { LuajitRecord } from '../runs/types.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorProbe {
  kind: string;
  backend: string | null;
  available: boolean;
  reason?: string;
  fix?: string;
}

export interface DoctorReport {
  coreOk: boolean;
  nginx: { binary: string; flavour: string; version: string; luaModule: boolean; loadModules: string[] } | null;
  nginxError: ErrorRecord | null;
  checks: DoctorCheck[];
  probes: DoctorProbe[];
  /** The LuaJIT a scenario with `openresty.luajit: auto` would get, and why; null without nginx. */
  luajit: LuajitRecord | null;
}

const d = DEFAULTS.probes;
/** One spec per probe kind and backend, with the defaults a scenario would get. */
export const DOCTOR_SPECS: ProbeSpec[] = [
  { kind: 'cpu', id: 'cpu', backend: 'perf', frequency: d.cpu.frequency, callGraph: 'dwarf' },
  { kind: 'cpu', id: 'cpu', backend: 'bpftrace', frequency: d.cpu.frequency, callGraph: 'fp' },
  { kind: 'offcpu', id: 'offcpu', backend: 'perf', callGraph: 'dwarf', keepIdle: false, maxMegabytes: d.offcpu.maxMegabytes },
  { kind: 'offcpu', id: 'offcpu', backend: 'bpftrace', callGraph: 'fp', keepIdle: false, maxMegabytes: d.offcpu.maxMegabytes },
  { kind: 'lua', id: 'lua', frequency: d.lua.frequency },
  { kind: 'lua-offcpu', id: 'lua-offcpu', minMicros: d['lua-offcpu'].minMicros },
  { kind: 'systemtap', id: 'systemtap', tool: d.systemtap.tool, toolkitDir: d.systemtap.toolkitDir },
];

export async function runDoctor(opts: { binary?: string; mountTracefs?: boolean } = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  let nginx: NginxInstallation | null = null;
  let nginxError: ErrorRecord | null = null;
  try {
    nginx = await findNginx(opts.binary ?? 'auto');
  } catch (e) {
    nginxError = toErrorRecord(e);
  }
  checks.push(
    nginx
      ? { name: 'nginx', ok: true, detail: `${nginx.binary} (${nginx.flavour}, ${firstLine(nginx.version)})` }
      : { name: 'nginx', ok: false, detail: nginxError?.message ?? 'not found', fix: nginxError?.hint ?? '' },
  );
  checks.push(
    nginx?.luaModule
      ? { name: 'lua module', ok: true, detail: nginx.loadModules.length > 0 ? `loaded from ${nginx.loadModules.join(', ')}` : 'compiled in' }
      : { name: 'lua module', ok: false, detail: 'no ngx_http_lua_module: Lua scenarios and the lua probes cannot run', fix: 'apt-get install libnginx-mod-http-lua, or use openresty' },
  );
  let luajit: LuajitRecord | null = null;
  if (nginx) {
    try {
      luajit = (await selectLuajit('auto', nginx)).record;
    } catch (e) {
      luajit = { choice: 'auto', used: 'system', library: null, luajitVersion: null, package: null, symbols: null, framePointers: null, reason: toErrorRecord(e).message };
    }
    checks.push(luajitCheck(luajit));
  }
  const ac = packageVersion('autocannon');
  checks.push(ac !== 'unknown' ? { name: 'loader', ok: true, detail: `autocannon ${ac}` } : { name: 'loader', ok: false, detail: 'autocannon is not installed', fix: 'npm install (in the flamebench directory)' });

  const root = isRoot();
  checks.push({ name: 'root', ok: root, detail: root ? 'running as root' : `running as uid ${process.getuid?.()}`, ...(root ? {} : { fix: 'run as root for perf on nginx workers, tracepoints, bpftrace and SystemTap' }) });
  const paranoid = perfEventParanoid();
  const paranoidOk = root || (paranoid !== null && paranoid <= 1);
  checks.push({
    name: 'perf_event_paranoid',
    ok: paranoidOk,
    detail: `kernel.perf_event_paranoid = ${paranoid ?? 'unknown'}${root ? ' (root is not limited by it)' : ''}`,
    ...(paranoidOk ? {} : { fix: 'sudo sysctl kernel.perf_event_paranoid=1 (tracepoints need -1), or run as root' }),
  });
  if (!tracefsDir() && root && opts.mountTracefs !== false) await ensureTracefs();
  const tfs = tracefsDir();
  checks.push(tfs ? { name: 'tracefs', ok: true, detail: `mounted (${tfs})` } : { name: 'tracefs', ok: false, detail: 'not mounted: sched tracepoints are invisible to perf', fix: `sudo mount -t tracefs nodev ${TRACEFS}` });
  const pv = await perfVersion();
  checks.push(pv ? { name: 'perf', ok: true, detail: pv } : { name: 'perf', ok: false, detail: which('perf') ? '`perf version` fails' : 'not installed', fix: 'apt-get install linux-perf' });
  const bv = await bpftraceVersion();
  checks.push(bv ? { name: 'bpftrace', ok: true, detail: bv } : { name: 'bpftrace', ok: false, detail: 'not installed or not working', fix: 'apt-get install bpftrace' });
  const stap = which('stap');
  checks.push(stap ? { name: 'stap', ok: true, detail: stap } : { name: 'stap', ok: false, detail: 'SystemTap is not installed', fix: 'apt-get install systemtap' });
  const dbg = kernelDebuginfo();
  checks.push(
    dbg
      ? { name: 'kernel debuginfo', ok: true, detail: dbg }
      : { name: 'kernel debuginfo', ok: false, detail: `none for ${os.release()} (SystemTap needs it)`, fix: 'install linux-image-$(uname -r)-dbg (Debian) or the -dbgsym package (Ubuntu)' },
  );

  const env = { isRoot: root, nginx };
  const probes: DoctorProbe[] = [];
  for (const spec of DOCTOR_SPECS) {
    const backend = 'backend' in spec ? spec.backend : null;
    try {
      const a = await driverFor(spec).check(spec, env);
      probes.push({ kind: spec.kind, backend, available: a.available, ...(a.reason ? { reason: a.reason } : {}), ...(a.fix ? { fix: a.fix } : {}) });
    } catch (e) {
      probes.push({ kind: spec.kind, backend, available: false, reason: toErrorRecord(e).message });
    }
  }
  const coreOk = nginx !== null && ac !== 'unknown';
  return {
    coreOk,
    nginx: nginx ? { binary: nginx.binary, flavour: nginx.flavour, version: firstLine(nginx.version), luaModule: nginx.luaModule, loadModules: nginx.loadModules } : null,
    nginxError,
    checks,
    probes,
    luajit,
  };
}

/** ok when C-level stacks can name LuaJIT's functions: the profiling build, or a bundled LuaJIT with symbols. */
export function luajitCheck(l: LuajitRecord): DoctorCheck {
  const what = `${l.used}${l.library ? ` ${l.library}` : ''}${l.luajitVersion ? ` (${l.luajitVersion}${l.symbols === false ? ', stripped' : l.symbols ? ', symbols' : ''})` : ''}`;
  if (l.used === 'none') return { name: 'luajit', ok: true, detail: `none: ${l.reason}` };
  const ok = l.used === 'profiling' || l.symbols === true;
  return {
    name: 'luajit',
    ok,
    detail: `${what} — ${l.reason}`,
    ...(ok ? {} : { fix: l.used === 'bundled' ? OPENRESTY_SYMBOLS_HINT : 'flamebench build luajit (then scenarios with openresty.luajit: auto use it)' }),
  };
}

export function formatDoctor(r: DoctorReport): string {
  const lines: string[] = ['Environment'];
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
    if (!c.ok && c.fix) lines.push(`        ${''.padEnd(20)} fix: ${c.fix}`);
  }
  lines.push('', 'Probes');
  for (const p of r.probes) {
    const name = p.backend ? `${p.kind} (${p.backend})` : p.kind;
    lines.push(`  ${p.available ? 'yes ' : 'no  '}  ${name.padEnd(20)} ${p.reason ?? (p.available ? 'available' : '')}`);
    if (!p.available && p.fix) lines.push(`        ${''.padEnd(20)} fix: ${p.fix}`);
  }
  lines.push('', r.coreOk ? 'core: ok (nginx and the loader work)' : 'core: NOT ok — flamebench run cannot work until the failures above are fixed');
  return `${lines.join('\n')}\n`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? '';
}
