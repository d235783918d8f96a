import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePprof } from '../../src/export/pprof.js';
import { readExportSource } from '../../src/export/read.js';
import { toSpeedscope } from '../../src/export/speedscope.js';
import { parseFolded, totalWeight } from '../../src/stacks/folded.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const RUN = path.join(repoRoot, 'test/fixtures/run-sample');
let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-export-'));
});
afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

/** Decoded pprof → folded (root first), to compare with what went in. */
function pprofToFolded(p: Profile): Map<string, number> {
  const str = (i: number | bigint) => p.stringTable.strings[Number(i)] as string;
  const fnName = new Map(p.function.map((f) => [Number(f.id), str(f.name)]));
  const locName = new Map(p.location.map((l) => [Number(l.id), fnName.get(Number(l.line[0]!.functionId)) as string]));
  const out = new Map<string, number>();
  for (const s of p.sample) {
    const stack = s.locationId.map((id) => locName.get(Number(id))).reverse().join(';');
    out.set(stack, (out.get(stack) ?? 0) + Number(s.value[0]));
  }
  return out;
}

describe('export from a run directory', () => {
  it('reads every probe with stacks, with its unit and frequency from the meta file', async () => {
    const src = await readExportSource(RUN);
    expect(src.profiles.map((p) => [p.name, p.unit, p.frequencyHz])).toEqual([
      ['cpu', 'samples', 499],
      ['lua', 'samples', 250],
    ]);
  });

  it('speedscope: one sampled profile per probe, stacks outermost first, weights summing to the folded total', async () => {
    const src = await readExportSource(RUN);
    const file = toSpeedscope(src.profiles, { name: src.name, exporter: 'flamebench@test' });
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    for (const [i, p] of src.profiles.entries()) {
      const prof = file.profiles[i]!;
      expect(prof.type).toBe('sampled');
      expect(prof.unit).toBe('none');
      expect(prof.samples).toHaveLength(prof.weights.length);
      expect(prof.endValue).toBe(totalWeight(p.stacks));
      // Rebuild the folded stacks from the file: nothing lost, order root → leaf.
      const back = new Map<string, number>();
      prof.samples.forEach((s, k) => back.set(s.map((f) => file.shared.frames[f]!.name).join(';'), prof.weights[k]!));
      expect(back).toEqual(new Map([...p.stacks].filter(([, w]) => w > 0)));
    }
    // Frames are shared between the profiles, each name once.
    const names = file.shared.frames.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('pprof: gzipped protobuf that decodes back to the same stacks, leaf first, with a CPU period of 1e9/Hz', async () => {
    const src = await readExportSource(RUN, { probe: 'cpu' });
    const p = src.profiles[0]!;
    const bytes = encodePprof(p, { durationNanos: 10e9 });
    expect(bytes[0]).toBe(0x1f); // gzip magic
    const decoded = Profile.decode(gunzipSync(bytes));
    expect(pprofToFolded(decoded)).toEqual(new Map([...p.stacks].filter(([, w]) => w > 0)));
    const s = (i: number | bigint) => decoded.stringTable.strings[Number(i)];
    expect([s(decoded.sampleType[0]!.type), s(decoded.sampleType[0]!.unit)]).toEqual(['samples', 'count']);
    expect(Number(decoded.period)).toBe(Math.round(1e9 / 499));
    expect(Number(decoded.durationNanos)).toBe(10e9);
    // The leaf is first: the first location of a sample is the last frame of its folded stack.
    const first = decoded.sample[0]!;
    const leafFn = decoded.function.find((f) => Number(f.id) === Number(first.locationId[0]));
    expect([...p.stacks.keys()].some((k) => k.endsWith(`;${s(leafFn!.name)}`) || k === s(leafFn!.name))).toBe(true);
  });
});

describe('export CLI on a run directory', () => {
  it('writes stacks/profiles.speedscope.json and stacks/<probe>.pb.gz into the run, named after its scenario', async () => {
    const run = path.join(tmp, 'run');
    await fs.cp(RUN, run, { recursive: true });
    expect((await runCli(['export', 'speedscope', run])).code).toBe(0);
    const ss = JSON.parse(await fs.readFile(path.join(run, 'stacks/profiles.speedscope.json'), 'utf8'));
    const m = JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8'));
    expect(ss.name).toBe(`${m.scenario.name}${m.variant ? `/${m.variant}` : ''} ${m.id}`);
    expect(ss.profiles.map((p: { name: string }) => p.name)).toEqual(['cpu', 'lua']);
    const r = await runCli(['export', 'pprof', run]);
    expect(r.code).toBe(0);
    for (const id of ['cpu', 'lua']) expect(Profile.decode(gunzipSync(await fs.readFile(path.join(run, 'stacks', `${id}.pb.gz`)))).sample.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('export from a folded file', () => {
  it('takes --unit for a folded file without meta, and off-CPU microseconds become speedscope time and pprof off_cpu', async () => {
    const file = path.join(tmp, 'waits.folded');
    await fs.writeFile(file, 'main;epoll_wait 1500\nmain;read 250\nnot a stack line\n');
    const src = await readExportSource(file, { unit: 'microseconds' });
    expect(src.skipped).toEqual({ waits: 1 });
    expect(toSpeedscope(src.profiles, { name: 'w', exporter: 't' }).profiles[0]!.unit).toBe('microseconds');
    const decoded = Profile.decode(gunzipSync(encodePprof(src.profiles[0]!)));
    expect(decoded.stringTable.strings[Number(decoded.sampleType[0]!.type)]).toBe('off_cpu');
    expect(Number(decoded.period)).toBe(0);
  });

  it('the CLI writes both formats beside the folded file; a file without stacks is exit 2', async () => {
    const file = path.join(tmp, 'lua.folded');
    await fs.copyFile(path.join(RUN, 'stacks/lua.folded'), file);
    expect((await runCli(['export', 'speedscope', file])).code).toBe(0);
    expect((await runCli(['export', 'pprof', file])).code).toBe(0);
    const ss = JSON.parse(await fs.readFile(path.join(tmp, 'lua.speedscope.json'), 'utf8'));
    const folded = parseFolded(await fs.readFile(file, 'utf8')).stacks;
    expect(ss.profiles[0].endValue).toBe(totalWeight(folded));
    const decoded = Profile.decode(gunzipSync(await fs.readFile(path.join(tmp, 'lua.pb.gz'))));
    expect(pprofToFolded(decoded)).toEqual(folded);
    const empty = path.join(tmp, 'empty.folded');
    await fs.writeFile(empty, 'nothing here\n');
    const r = await runCli(['export', 'pprof', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_NO_STACKS/);
  }, 60_000);
});
