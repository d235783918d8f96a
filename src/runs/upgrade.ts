/**
 * Run directories written before schemaVersion 2 name the loader's threads `workers` (issue 12:
 * in run.json "workers" now means nginx workers only). Users keep such runs for compare and
 * history, so they are upgraded when read, before validation: the loader-thread fields get their
 * new name and nothing else changes. Pure: returns a new value and leaves its input alone; data
 * that is not an old run passes through as it is, for validation to judge.
 */
import { LOAD_SCHEMA_VERSION, RUN_SCHEMA_VERSION } from './types.js';

/** The run.json / load.json format that still said `workers` for loader threads. */
export const WORKERS_SCHEMA_VERSION = 1;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `o` with its key `from` renamed to `to` (in place of it, so the key order stays); as is when it has none, or both. */
const rename = (from: string, to: string) => (o: unknown): unknown => {
  if (!isObject(o) || !(from in o) || to in o) return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k === from ? to : k, v]));
};
const renameWorkers = rename('workers', 'threads');
/** A scenario's load section: threads, and saturate.maxThreads (once maxWorkers). */
const upgradeScenarioLoad = (l: unknown): unknown => {
  const renamed = renameWorkers(l);
  return isObject(renamed) ? edit(renamed, 'saturate', rename('maxWorkers', 'maxThreads')) : renamed;
};

/** `o` with `key` replaced by f(o[key]) when present. */
function edit(o: Json, key: string, f: (v: unknown) => unknown): Json {
  return key in o ? { ...o, [key]: f(o[key]) } : o;
}

const eachItem = (f: (v: unknown) => unknown) => (v: unknown) => (Array.isArray(v) ? v.map(f) : v);

/** load.json, or run.json's `load` (the same object without the per-second arrays). */
export function upgradeLoadResult(data: unknown): unknown {
  if (!isObject(data) || data.schemaVersion !== WORKERS_SCHEMA_VERSION) return data;
  return { ...edit(data, 'settings', renameWorkers), schemaVersion: LOAD_SCHEMA_VERSION };
}

/** A resolved scenario as run.json stores it: load.workers and load.saturate.maxWorkers, and each variant's load override. */
function upgradeScenario(s: unknown): unknown {
  if (!isObject(s)) return s;
  const variant = (v: unknown) => (isObject(v) ? edit(v, 'overrides', (o) => (isObject(o) ? edit(o, 'load', upgradeScenarioLoad) : o)) : v);
  return edit(edit(s, 'load', upgradeScenarioLoad), 'variants', eachItem(variant));
}

/**
 * run.json of schemaVersion 1 → the current version: load.settings, saturation steps and chosen
 * level, the stored scenario's load (and its variants' overrides). cpu.samples[].workers (CPU %
 * per nginx worker) and openresty.workers are about nginx and keep their name.
 */
export function upgradeRunJson(data: unknown): unknown {
  if (!isObject(data) || data.schemaVersion !== WORKERS_SCHEMA_VERSION) return data;
  let out: Json = { ...data, schemaVersion: RUN_SCHEMA_VERSION };
  out = edit(out, 'load', upgradeLoadResult);
  out = edit(out, 'saturation', (s) => (isObject(s) ? edit(edit(s, 'steps', eachItem(renameWorkers)), 'chosen', renameWorkers) : s));
  return edit(out, 'scenario', upgradeScenario);
}
