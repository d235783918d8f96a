/**
 * `openresty:` and `load:` → their resolved specs. Each section is first converted to a partial
 * (only the keys written, in Scenario units) so the same code serves the scenario itself and
 * the overrides of a variant; defaults are laid under the partial afterwards.
 */
import path from 'node:path';
import { DEFAULTS } from './defaults.js';
import type { RawProblem, RawWarning } from './problems.js';
import type { RawLoad, RawOpenresty } from './raw.js';
import type { ExtraFile, LoadSpec, LuajitNoiseSpec, OpenrestySpec, RequestSpec, SaturateSpec } from './types.js';
import { DURATION_LIMITS, type DurationKey } from './schema-source.js';
import { parseCpus, parseDuration } from './units.js';

/** File access, injectable so that parsing stays testable without touching disk. */
export interface ScenarioIo {
  /** File contents, or undefined when it does not exist or is not readable. */
  readText(absPath: string): string | undefined;
  isFile(absPath: string): boolean;
  /** Optional: lets "not a file" say that it is a directory. */
  isDirectory?(absPath: string): boolean;
}

export interface SectionCtx {
  /** Absolute path of the scenario file. */
  source: string;
  io: ScenarioIo;
  problems: RawProblem[];
  /** What a valid scenario should write another way (deprecated keys). */
  warnings: RawWarning[];
}

const dirOf = (ctx: SectionCtx) => path.dirname(ctx.source);

function cpus(v: string | number[], p: string[], ctx: SectionCtx): 'auto' | number[] {
  const c = parseCpus(v);
  if (c === undefined) {
    ctx.problems.push({ path: p, at: 'value', message: `CPU range "${String(v)}" runs backwards`, hint: 'write ranges low-high, e.g. "0-3"' });
    return 'auto';
  }
  return c;
}

function extraFile(f: string | { from: string; to?: string }, p: string[], ctx: SectionCtx): ExtraFile {
  const from = typeof f === 'string' ? f : f.from;
  const abs = path.resolve(dirOf(ctx), from);
  let to = typeof f === 'string' ? from : (f.to ?? from);
  to = path.posix.normalize(to.replace(/\\/g, '/'));
  if (!ctx.io.isFile(abs)) {
    const directory = ctx.io.isDirectory?.(abs) ?? false;
    ctx.problems.push({
      path: typeof f === 'string' ? p : [...p, 'from'],
      at: 'value',
      message: directory ? `${abs} is a directory; files: lists single files` : `file not found: ${abs}`,
      hint: directory ? 'list the files inside it one by one, e.g. lua/a.lua, lua/b.lua' : 'paths are relative to the scenario file',
    });
  }
  if (path.posix.isAbsolute(to) || to === '..' || to.startsWith('../')) {
    ctx.problems.push({
      path: typeof f === 'string' || f.to === undefined ? p : [...p, 'to'],
      at: 'value',
      message: `destination "${to}" is outside the nginx prefix`,
      hint: 'give {from, to} with `to` relative to the prefix, e.g. to: lua/util.lua',
    });
  }
  return { from: abs, to };
}

/** Only the keys written, converted; `base` is the path of the section in the document. */
export function openrestyPartial(raw: RawOpenresty, base: string[], ctx: SectionCtx): Partial<OpenrestySpec> {
  const out: Partial<OpenrestySpec> = {};
  const { config, configFile, cpus: rawCpus, files, luajitNoise, ...plain } = raw;
  Object.assign(out, plain);
  if (config !== undefined && configFile !== undefined) {
    ctx.problems.push({ path: [...base, 'configFile'], at: 'key', message: 'both config and configFile are given', hint: 'keep one of them' });
  }
  if (configFile !== undefined) {
    const abs = path.resolve(dirOf(ctx), configFile);
    const text = ctx.io.readText(abs);
    if (text === undefined) {
      const what = ctx.io.isDirectory?.(abs) ? `${abs} is a directory` : ctx.io.isFile(abs) ? `${abs} cannot be read or is too large` : `file not found: ${abs}`;
      ctx.problems.push({ path: [...base, 'configFile'], at: 'value', message: what, hint: 'paths are relative to the scenario file' });
    } else {
      out.config = text;
      out.configSource = abs;
    }
  } else if (config !== undefined) {
    out.config = config;
    out.configSource = ctx.source;
  }
  if (rawCpus !== undefined) out.cpus = cpus(rawCpus, [...base, 'cpus'], ctx);
  if (luajitNoise !== undefined) {
    // Only the keys written, so a variant's `method` does not reset the scenario's interval (mergeDeep fills the rest).
    const written: Partial<LuajitNoiseSpec> = {};
    if (luajitNoise.method !== undefined) written.method = luajitNoise.method;
    if (luajitNoise.interval !== undefined) written.intervalMs = Math.round(seconds(luajitNoise.interval, [...base, 'luajitNoise', 'interval'], ctx, 'flushInterval') * 1000);
    out.luajitNoise = written as LuajitNoiseSpec;
  }
  if (files !== undefined) out.files = files.flatMap((f, i) => (f === undefined ? [] : [extraFile(f, [...base, 'files', String(i)], ctx)]));
  return out;
}

export function openrestyFull(raw: RawOpenresty, ctx: SectionCtx): OpenrestySpec {
  const p = openrestyPartial(raw, ['openresty'], ctx);
  if (raw.config === undefined && raw.configFile === undefined) {
    ctx.problems.push({
      path: ['openresty'],
      at: 'key',
      message: 'missing the config: give "config" or "configFile"',
      hint: 'config: | followed by the http {} contents, or configFile: path/to/template',
    });
  }
  const d = DEFAULTS.openresty;
  return {
    binary: d.binary,
    luajit: d.luajit,
    workers: d.workers,
    cpus: d.cpus,
    config: '',
    configKind: d.configKind,
    configSource: ctx.source,
    variables: {},
    files: [],
    port: d.port,
    mainDirectives: d.mainDirectives,
    eventsDirectives: d.eventsDirectives,
    ...p,
    luajitNoise: { ...d.luajitNoise, ...p.luajitNoise },
  };
}

function request(r: string | { method?: string; path: string; headers?: Record<string, string | number>; body?: string }): RequestSpec {
  if (typeof r === 'string') return { method: DEFAULTS.request.method, path: r, headers: {} };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = String(v);
  return { method: r.method ?? DEFAULTS.request.method, path: r.path, headers, ...(r.body !== undefined ? { body: r.body } : {}) };
}

/** A duration in seconds, checked against its key's bounds (the schema can bound only the number form). */
function seconds(v: number | string, p: string[], ctx: SectionCtx, key: DurationKey): number {
  const s = parseDuration(v) ?? 0;
  const { min, max, range } = DURATION_LIMITS[key];
  if (!(s >= min && s <= max)) {
    ctx.problems.push({ path: p, at: 'value', message: `must be from ${range} (got ${JSON.stringify(v)})`, hint: `e.g. ${JSON.stringify(DEFAULT_EXAMPLE[key])}` });
  }
  return s;
}
const DEFAULT_EXAMPLE: Record<DurationKey, string> = { duration: '10s', warmup: '2s', timeout: '10s', stepSeconds: '2s', maxSeconds: '3m', flushInterval: '250ms' };

/** A key renamed for clarity: where it is, its current and its former name (both as written in YAML). */
interface Renamed {
  base: string[];
  /** The section as messages name it, whether at the top level or in a variant: "load", "load.saturate". */
  section: string;
  current: string;
  former: string;
  /** Why the name changed, for the warning. */
  why: string;
}

/**
 * A key also read under its former name (scenarios in the wild use it): a warning at the former
 * name, an error when both are written; the value either way.
 */
function underEitherName<T>(current: T | undefined, former: T | undefined, r: Renamed, ctx: SectionCtx): T | undefined {
  if (former === undefined) return current;
  const dotted = (k: string) => `${r.section}.${k}`;
  const at = [...r.base, r.former];
  if (current !== undefined) {
    ctx.problems.push({ path: at, at: 'key', message: `both ${dotted(r.current)} and ${dotted(r.former)} are given (${dotted(r.former)} is the old name of ${dotted(r.current)})`, hint: `remove ${dotted(r.former)}` });
    return current;
  }
  ctx.warnings.push({
    kind: 'deprecated',
    path: at,
    at: 'key',
    message: `${dotted(r.former)} is deprecated: it is the old name of ${dotted(r.current)} (${r.why})`,
    hint: `write ${r.current}: ${JSON.stringify(former)} instead`,
  });
  return former;
}

// issue 12: "workers" means nginx workers (openresty.workers); the loader's are threads
const LOADER_THREADS_WHY = 'loader threads; "workers" means nginx workers';

/**
 * Only the keys written, converted. `saturate` is merged over `baseSaturate` here, so a variant's
 * override of one tuning knob still carries a complete SaturateSpec.
 */
export function loadPartial(raw: RawLoad, base: string[], ctx: SectionCtx, baseSaturate: SaturateSpec): Partial<LoadSpec> {
  const { path: reqPath, requests, duration, warmup, timeout, cpus: rawCpus, saturate, threads: _threads, workers: _workers, ...plain } = raw;
  const out: Partial<LoadSpec> = { ...plain };
  const threads = underEitherName(raw.threads, raw.workers, { base, section: 'load', current: 'threads', former: 'workers', why: LOADER_THREADS_WHY }, ctx);
  if (threads !== undefined) out.threads = threads;
  if (reqPath !== undefined && requests !== undefined) {
    ctx.problems.push({ path: [...base, 'requests'], at: 'key', message: 'both path and requests are given', hint: 'path is shorthand for one GET request; keep one of them' });
  }
  if (requests !== undefined) out.requests = requests.flatMap((r) => (r === undefined ? [] : [request(r)]));
  else if (reqPath !== undefined) out.requests = [request(reqPath)];
  if (duration !== undefined) out.duration = seconds(duration, [...base, 'duration'], ctx, 'duration');
  if (warmup !== undefined) out.warmup = seconds(warmup, [...base, 'warmup'], ctx, 'warmup');
  if (timeout !== undefined) out.timeout = seconds(timeout, [...base, 'timeout'], ctx, 'timeout');
  if (rawCpus !== undefined) out.cpus = cpus(rawCpus, [...base, 'cpus'], ctx);
  if (saturate !== undefined) {
    const { stepSeconds, maxThreads: _maxThreads, maxWorkers: _maxWorkers, ...rest } = saturate;
    out.saturate = { ...baseSaturate, ...rest };
    const sat = [...base, 'saturate'];
    const maxThreads = underEitherName(saturate.maxThreads, saturate.maxWorkers, { base: sat, section: 'load.saturate', current: 'maxThreads', former: 'maxWorkers', why: LOADER_THREADS_WHY }, ctx);
    if (maxThreads !== undefined) out.saturate.maxThreads = maxThreads;
    if (stepSeconds !== undefined) out.saturate.stepSeconds = seconds(stepSeconds, [...base, 'saturate', 'stepSeconds'], ctx, 'stepSeconds');
  }
  return out;
}

export function defaultSaturate(): SaturateSpec {
  return { ...DEFAULTS.load.saturate };
}

export function loadFull(raw: RawLoad | undefined, ctx: SectionCtx): LoadSpec {
  const d = DEFAULTS.load;
  const p = loadPartial(raw ?? {}, ['load'], ctx, defaultSaturate());
  return {
    mode: d.mode,
    host: d.host,
    allowNonLoopback: d.allowNonLoopback,
    requests: [request(DEFAULTS.request.path)],
    connections: d.connections,
    pipelining: d.pipelining,
    duration: d.duration,
    warmup: d.warmup,
    timeout: d.timeout,
    threads: d.threads,
    cpus: d.cpus,
    saturate: defaultSaturate(),
    hosts: [...d.hosts],
    loaderCommand: d.loaderCommand,
    ...p,
  };
}
