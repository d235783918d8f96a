/**
 * The programmatic API as a user gets it: test/api-consumer/ is a separate package depending on
 * `flamebench` via file:../.. . It is copied into a temp dir, `npm install --offline` links
 * flamebench there (a file: dependency on a folder is a symlink: no registry is asked), the
 * consumer is type-checked against the published declarations (dist/api.d.ts) and run with node.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const run = promisify(execFile);
let tmp: string;

beforeAll(async () => {
  // The package's entry is dist/: build it from the current sources.
  await run('npm', ['run', '--silent', 'build'], { cwd: repoRoot, timeout: 180_000 });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-api-consumer-'));
  for (const f of ['package.json', 'consumer.ts', 'tsconfig.json']) await fs.copyFile(path.join(repoRoot, 'test/api-consumer', f), path.join(tmp, f));
  const pkg = JSON.parse(await fs.readFile(path.join(tmp, 'package.json'), 'utf8'));
  pkg.dependencies.flamebench = `file:${repoRoot}`;
  await fs.writeFile(path.join(tmp, 'package.json'), JSON.stringify(pkg));
  const ts = JSON.parse(await fs.readFile(path.join(tmp, 'tsconfig.json'), 'utf8'));
  ts.compilerOptions.typeRoots = [path.join(repoRoot, 'node_modules/@types')];
  await fs.writeFile(path.join(tmp, 'tsconfig.json'), JSON.stringify(ts));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: tmp, timeout: 120_000 });
}, 300_000);
afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe("import { … } from 'flamebench'", () => {
  it('type-checks against dist/api.d.ts (strict, lib check on) and runs: collapse, flame graph, scenario, compare, speedscope', async () => {
    await run(path.join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: tmp, timeout: 120_000 });
    const fixtures = path.join(repoRoot, 'test/fixtures');
    const { stdout } = await run(process.execPath, [
      'out/consumer.js',
      path.join(fixtures, 'offcpu/perf-script-switch.txt'),
      path.join(repoRoot, 'scenarios/hello.yaml'),
      path.join(fixtures, 'run-sample'),
      path.join(fixtures, 'run-sample'),
    ], { cwd: tmp });
    const out = JSON.parse(stdout);
    expect(out.stacks).toBeGreaterThan(0);
    expect(out).toMatchObject({ svg: true, scenario: 'hello', speedscopeProfiles: 1, regressionCode: 99, runScenario: 'function' });
    // One run against itself: 1 vs 1 cannot be tested.
    expect(out.verdict).toBe('inconclusive');
  }, 180_000);

  it('keeps internals private: a deep import is refused by the exports map', async () => {
    const deep = run(process.execPath, ['--input-type=module', '-e', "await import('flamebench/dist/run/execute.js')"], { cwd: tmp });
    await expect(deep).rejects.toMatchObject({ stderr: expect.stringMatching(/ERR_PACKAGE_PATH_NOT_EXPORTED/) });
  });

  it('a type error in a consumer is caught: runScenario wants RunOptions', async () => {
    await fs.writeFile(path.join(tmp, 'bad.ts'), "import { runScenario, type Scenario } from 'flamebench';\ndeclare const s: Scenario;\nawait runScenario(s, { quiet: 'yes' });\n");
    const ts = JSON.parse(await fs.readFile(path.join(tmp, 'tsconfig.json'), 'utf8'));
    await fs.writeFile(path.join(tmp, 'tsconfig.bad.json'), JSON.stringify({ ...ts, files: ['bad.ts'], compilerOptions: { ...ts.compilerOptions, noEmit: true } }));
    const r = run(path.join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.bad.json'], { cwd: tmp });
    await expect(r).rejects.toMatchObject({ stdout: expect.stringMatching(/bad\.ts.*error TS\d+/) });
  }, 120_000);
});
