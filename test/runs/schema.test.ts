import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { loadManifest, loadRun, RUN_SCHEMA_URL, runSchemaProblems } from '../../src/runs/load.js';
import { buildRunSchema } from '../../src/runs/schema-source.js';

const committed = JSON.parse(await readFile(RUN_SCHEMA_URL, 'utf8')) as unknown;
const FIXTURES = ['run-sample', 'run-hostile'].map((n) => path.join(import.meta.dirname, '..', 'fixtures', n));

describe('schema/run.schema.json', () => {
  it('is what src/runs/schema-source.ts generates (regenerate: npx tsx src/runs/schema-source.ts > schema/run.schema.json)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildRunSchema())));
  });

  it.each(FIXTURES)('the fixture run %s passes it', async (dir) => {
    const data = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as unknown;
    expect(runSchemaProblems(data)).toEqual([]);
  });
});

describe('loadRun / loadManifest', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-runs-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function withManifest(name: string, edit: (m: Record<string, unknown>) => unknown): Promise<string> {
    const dir = path.join(tmp, name);
    await cp(FIXTURES[0]!, dir, { recursive: true });
    const m = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dir, 'run.json'), JSON.stringify(edit(m)));
    return dir;
  }

  it('reads the fixture run with its probes', async () => {
    const run = await loadRun(FIXTURES[0]!);
    expect(run.manifest.scenario.name).toBe('lua-work');
    expect(run.probes.length).toBe(run.manifest.probes.length);
    expect(run.probes.some((p) => p.folded !== null)).toBe(true);
  });

  it('refuses a foreign JSON file as run.json with one error naming the field (E_BAD_RUN_JSON, exit 2)', async () => {
    const dir = await withManifest('foreign', () => ({ name: 'package', version: '1.0.0' }));
    const err = await loadManifest(dir).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_BAD_RUN_JSON');
    expect(isFlamebenchError(err) && err.exitCode).toBe(2);
    expect((err as Error).message).toContain("must have required property 'status'");
    expect(isFlamebenchError(err) && err.hint).toContain('schema/run.schema.json');
  });

  it('refuses a damaged field (a probe status outside the enum) and says where', async () => {
    const dir = await withManifest('damaged', (m) => ({ ...m, probes: [{ id: 'cpu', kind: 'cpu', status: 'great', warnings: [] }] }));
    const err = await loadRun(dir).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_BAD_RUN_JSON');
    expect((err as Error).message).toContain('/probes/0/status');
  });

  it('refuses a future schemaVersion as E_RUN_SCHEMA', async () => {
    const dir = await withManifest('future', (m) => ({ ...m, schemaVersion: 3 }));
    const err = await loadManifest(dir).catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_RUN_SCHEMA');
  });
});
