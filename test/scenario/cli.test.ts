import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function validate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), 'flamebench-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bad = path.join(tmp, 'bad.yaml');
writeFileSync(bad, ['openresty:', '  config: "{{port}}"', 'load:', '  conections: 10', '  pipelining: 0', ''].join('\n'));

describe('flamebench validate', () => {
  it('exits 0 and prints ok for every bundled scenario', async () => {
    const r = await validate('scenarios/hello.yaml', 'scenarios/lua-work.yaml', 'scenarios/proxy.yaml', 'scenarios/slow-upstream.yaml', 'scenarios/ab-lua.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'ok  scenarios/hello.yaml',
      'ok  scenarios/lua-work.yaml',
      'ok  scenarios/proxy.yaml',
      'ok  scenarios/slow-upstream.yaml',
      'ok  scenarios/ab-lua.yaml',
    ]);
  });

  it('exits 2 and lists every problem of an invalid file, with file:line:col', async () => {
    const r = await validate('scenarios/hello.yaml', bad);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('ok  scenarios/hello.yaml');
    expect(lines[1]).toBe(`invalid  ${bad}: 2 problems`);
    expect(lines[2]).toBe(`  ${bad}:4:3  /load/conections  unknown key "conections" (did you mean "connections"?)`);
    expect(lines[3]).toMatch(new RegExp(`^  ${bad.replace(/[.]/g, '\\.')}:5:15  /load/pipelining  must be >= 1 \\(got 0\\)`));
  });

  it('a missing file is invalid input too', async () => {
    const r = await validate(path.join(tmp, 'nope.yaml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/cannot read scenario .*nope\.yaml: no such file/);
  });

  it('--json prints resolved scenarios and problems', async () => {
    const r = await validate('--json', 'scenarios/ab-lua.yaml', bad);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { file: string; valid: boolean; scenario: { repeat: number | 'auto'; load: { duration: number } } | null; problems: { line: number; path: string }[] }[];
    expect(out[0]!.valid).toBe(true);
    expect(out[0]!.scenario!.repeat).toBe('auto');
    expect(out[0]!.scenario!.load.duration).toBe(2);
    expect(out[1]!.valid).toBe(false);
    expect(out[1]!.scenario).toBeNull();
    expect(out[1]!.problems.map((p) => `${p.line} ${p.path}`)).toEqual(['4 /load/conections', '5 /load/pipelining']);
  });

  it('load.workers (the old name of load.threads): ok with a warning at file:line:col, exit 0; both names: exit 2', async () => {
    const config = ['openresty:', '  config: "server { listen 127.0.0.1:{{port}}; }"', 'load:'];
    const old = path.join(tmp, 'old-workers.yaml');
    writeFileSync(old, [...config, '  workers: 2', ''].join('\n'));
    const both = path.join(tmp, 'both-names.yaml');
    writeFileSync(both, [...config, '  threads: 2', '  workers: 2', ''].join('\n'));

    const warned = await validate(old);
    expect(warned.code).toBe(0);
    expect(warned.stdout.trim().split('\n')).toEqual([
      `ok  ${old}`,
      expect.stringMatching(new RegExp(`^  warning: ${old.replace(/[.]/g, '\\.')}:4:3  /load/workers  load\\.workers is deprecated: .* \\(write threads: 2 instead\\)$`)),
    ]);
    const json = JSON.parse((await validate('--json', old)).stdout) as { valid: boolean; warnings: string[]; scenario: { load: { threads: number } } }[];
    expect(json[0]!.valid).toBe(true);
    expect(json[0]!.scenario.load.threads).toBe(2);
    expect(json[0]!.warnings).toEqual([expect.stringContaining(`${old}:4:3  /load/workers`)]);

    const refused = await validate(both);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`${both}:5:3  /load/workers  both load.threads and load.workers are given`);
    expect(refused.stdout).toContain('(remove load.workers)');
  });

  it('without files it is a usage error (exit 2)', async () => {
    const r = await validate();
    expect(r.code).toBe(2);
  });
});
