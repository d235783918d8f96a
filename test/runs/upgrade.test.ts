import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun, runSchemaProblems } from '../../src/runs/load.js';
import { LOAD_SCHEMA_VERSION, RUN_SCHEMA_VERSION } from '../../src/runs/types.js';
import { upgradeLoadResult, upgradeRunJson } from '../../src/runs/upgrade.js';

const OLD = path.join(import.meta.dirname, '..', 'fixtures', 'run-sample-v1-workers');
const readJson = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(path.join(OLD, file), 'utf8')) as Record<string, unknown>;

/** A run.json of schemaVersion 1 with every field the upgrade renames, and the nginx `workers` it must not touch. */
const v1 = {
  schemaVersion: 1,
  scenario: {
    name: 'x',
    openresty: { workers: 2 },
    load: { connections: 8, workers: 3, saturate: { maxConnections: 64, maxWorkers: 4 } },
    variants: [{ name: 'A', overrides: {} }, { name: 'B', overrides: { load: { workers: 1, saturate: { maxWorkers: 2 } } } }],
  },
  load: { schemaVersion: 1, settings: { mode: 'fixed', connections: 8, pipelining: 1, workers: 3, duration: 1, warmup: 0, rate: null } },
  cpu: { samples: [{ t: 1, phase: 'measure', workers: [50, 40], loader: 90, probes: 0 }] },
  saturation: { targetCpuPct: 95, steps: [{ connections: 8, pipelining: 1, workers: 0 }], chosen: { connections: 8, pipelining: 1, workers: 2 }, reason: 'r' },
};

describe('upgradeRunJson', () => {
  const up = upgradeRunJson(v1) as typeof v1 & Record<string, unknown>;

  it('renames the loader-thread fields and sets the current version', () => {
    expect(up.schemaVersion).toBe(RUN_SCHEMA_VERSION);
    expect(up.load).toEqual({ schemaVersion: LOAD_SCHEMA_VERSION, settings: { mode: 'fixed', connections: 8, pipelining: 1, threads: 3, duration: 1, warmup: 0, rate: null } });
    expect(up.saturation).toEqual({ targetCpuPct: 95, steps: [{ connections: 8, pipelining: 1, threads: 0 }], chosen: { connections: 8, pipelining: 1, threads: 2 }, reason: 'r' });
    expect(up.scenario.load).toEqual({ connections: 8, threads: 3, saturate: { maxConnections: 64, maxThreads: 4 } });
    expect(up.scenario.variants).toEqual([{ name: 'A', overrides: {} }, { name: 'B', overrides: { load: { threads: 1, saturate: { maxThreads: 2 } } } }]);
  });

  it('keeps what is about nginx workers, and leaves its input alone', () => {
    expect(up.scenario.openresty).toEqual({ workers: 2 });
    expect(up.cpu).toEqual(v1.cpu);
    expect(v1.load.settings.workers).toBe(3);
    expect(v1.schemaVersion).toBe(1);
  });

  it('passes through what is not a version 1 run, for validation to judge', () => {
    const current = { ...v1, schemaVersion: RUN_SCHEMA_VERSION };
    expect(upgradeRunJson(current)).toBe(current);
    expect(upgradeRunJson(null)).toBeNull();
    expect(upgradeRunJson([1])).toEqual([1]);
    expect(upgradeRunJson({ schemaVersion: 1, load: null, saturation: null })).toEqual({ schemaVersion: RUN_SCHEMA_VERSION, load: null, saturation: null });
  });

  it('load.json: settings.workers → settings.threads', () => {
    expect(upgradeLoadResult({ schemaVersion: 1, settings: { workers: 2 }, rps: 5 })).toEqual({ schemaVersion: LOAD_SCHEMA_VERSION, settings: { threads: 2 }, rps: 5 });
    expect(upgradeLoadResult(null)).toBeNull();
  });
});

describe('an old run directory (test/fixtures/run-sample-v1-workers)', () => {
  it('is the old format on disk', async () => {
    const m = await readJson('run.json');
    expect(m.schemaVersion).toBe(1);
    expect((m.load as { settings: Record<string, unknown> }).settings).toHaveProperty('workers');
    // As it is, the current schema refuses it: the upgrade is what makes it readable.
    expect(runSchemaProblems(m)).not.toEqual([]);
    expect(runSchemaProblems(upgradeRunJson(m))).toEqual([]);
  });

  it('loadRun reads it with threads everywhere', async () => {
    const run = await loadRun(OLD);
    expect(run.problems).toEqual([]);
    expect(run.manifest.schemaVersion).toBe(RUN_SCHEMA_VERSION);
    expect(run.manifest.load?.settings.threads).toBe(0);
    expect(run.manifest.load?.settings).not.toHaveProperty('workers');
    expect(run.manifest.scenario.load.threads).toBe(0);
    expect(run.manifest.scenario.load.saturate.maxThreads).toBe(2);
    expect(run.manifest.scenario.load.saturate).not.toHaveProperty('maxWorkers');
    expect(run.load?.settings.threads).toBe(0);
    expect(run.load?.schemaVersion).toBe(LOAD_SCHEMA_VERSION);
    expect(run.manifest.saturation?.chosen).toEqual({ connections: 64, pipelining: 16, threads: 0 });
    expect(run.manifest.saturation?.steps.every((s) => s.threads === 0 && !('workers' in s))).toBe(true);
    // nginx's per-worker CPU keeps its name.
    expect(run.manifest.cpu.samples[0]?.workers.length).toBeGreaterThan(0);
  });
});
