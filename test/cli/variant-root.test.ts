/**
 * `flamebench run --variant-root main=DIR` for real: two trees (a pull request's and main's),
 * each with its own Lua module; one invocation runs both variants on real nginx, and each
 * variant's nginx loaded its own tree's module. This is the CI layout of docs/ci/github-actions.yml.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, repoRoot } from '../helpers/cli.js';
import { loadScenario } from '../../src/scenario/index.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-variant-root-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const scenario = `name: pr-vs-main
description: one scenario, two trees; main's files come from --variant-root
openresty:
  files: [lua/tree.lua]
  config: |
    lua_package_path "{{prefix}}/lua/?.lua;;";
    server {
      listen 127.0.0.1:{{port}};
      location / { content_by_lua_block { ngx.say(require("tree").name) } }
    }
load:
  connections: 4
  duration: 1s
  warmup: 0
variants:
  - name: main
  - name: pr
`;
// The module logs its tree when a worker loads it: error.log then shows which code ran.
const treeModule = (name: string) => `ngx.log(ngx.WARN, "tree ${name} loaded")\nreturn { name = "${name}" }\n`;

async function tree(name: string): Promise<string> {
  const dir = path.join(tmp, name, 'scenarios');
  await fs.mkdir(path.join(dir, 'lua'), { recursive: true });
  await fs.writeFile(path.join(dir, 'pr-vs-main.yaml'), scenario);
  await fs.writeFile(path.join(dir, 'lua', 'tree.lua'), treeModule(name));
  return dir;
}

describe('run --variant-root', () => {
  it("runs variant main from main's tree and pr from the pull request's, in one invocation", async () => {
    const pr = await tree('pr');
    const main = await tree('main');
    const out = path.join(tmp, 'out');
    const r = await runCli(['run', path.join(pr, 'pr-vs-main.yaml'), '--variant-root', `main=${main}`, '--out', out, '--quiet', '--no-report']);
    // One run per side cannot confirm a change: pass (0) or inconclusive (98), never an error.
    expect([0, 98], r.stderr).toContain(r.code);
    const errorLog = async (variant: string) => fs.readFile(path.join(out, variant, '1', 'nginx', 'error.log'), 'utf8');
    const [mainLog, prLog] = await Promise.all([errorLog('main'), errorLog('pr')]);
    expect(mainLog).toContain('tree main loaded');
    expect(mainLog).not.toContain('tree pr loaded');
    expect(prLog).toContain('tree pr loaded');
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'main', '1', 'run.json'), 'utf8')) as {
      scenario: { openresty: { files: { from: string }[] } };
      luajitNoise: { method: string; reason: string };
    };
    expect(manifest.scenario.openresty.files[0]!.from).toBe(path.join(main, 'lua', 'tree.lua'));
    // A variant run of a Lua config averages over LuaJIT states by default, and the agent starts cleanly.
    expect(manifest.luajitNoise.method).toBe('flush');
    expect(mainLog).not.toMatch(/luajit-noise|\[error\]/);
  }, 120_000);

  it('fails before any run when the other tree lacks a file', async () => {
    const pr = await tree('pr2');
    const empty = path.join(tmp, 'empty');
    await fs.mkdir(empty, { recursive: true });
    const r = await runCli(['run', path.join(pr, 'pr-vs-main.yaml'), '--variant-root', `main=${empty}`, '--out', path.join(tmp, 'out2'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_VARIANT_ROOT');
    expect(r.stderr).toContain(`not found: ${path.join(empty, 'lua', 'tree.lua')}`);
    await expect(fs.stat(path.join(tmp, 'out2'))).rejects.toThrow();
  }, 60_000);
});

describe('the CI example', () => {
  it('runs the bundled pr-vs-main scenario with main, the baseline, read from the checkout of main', async () => {
    const workflow = parse(await fs.readFile(path.join(repoRoot, 'docs/ci/github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: { path?: string } }[] }>;
    };
    const steps = workflow.jobs.ab!.steps;
    expect(steps.filter((s) => s.uses?.startsWith('actions/checkout')).map((s) => s.with?.path)).toEqual(['pr', 'main']);
    const run = steps.map((s) => s.run ?? '').find((r) => r.includes('--variant-root'))!;
    expect(run).toContain('scenarios/pr-vs-main.yaml');
    expect(run).toContain('--variant-root main=../main/scenarios');
    const s = await loadScenario(path.join(repoRoot, 'scenarios/pr-vs-main.yaml'));
    expect(s.variants.map((v) => v.name)).toEqual(['main', 'pr']);
    expect(s.repeat).toBe('auto');
  });
});
