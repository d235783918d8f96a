import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('CLI help and usage', () => {
  it('every subcommand --help ends with the exit codes', async () => {
    for (const cmd of [['run'], ['compare'], ['history'], ['collapse', 'perf'], ['export', 'pprof']]) {
      const r = await runCli([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(/Exit codes:\n {2}0 {4}success[\s\S]* {2}99 {3}regression or failed threshold/);
    }
  }, 120_000);

  it('collapse without a subcommand prints its usage and exits 2', async () => {
    const r = await runCli(['collapse']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/Usage: flamebench collapse/);
  });

  it('run --repeat auto on a scenario without variants is invalid input', async () => {
    const r = await runCli(['run', 'scenarios/hello.yaml', '--repeat', 'auto']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without variants takes a whole number/);
  });

  it('run refuses a relative threshold and an unknown probe before starting anything', async () => {
    const rel = await runCli(['run', 'scenarios/hello.yaml', '-t', 'rps=-5%']);
    expect(rel.code).toBe(2);
    expect(rel.stderr).toMatch(/relative.*nothing to compare with/);
    const probe = await runCli(['run', 'scenarios/hello.yaml', '--probes', 'cpu,flames']);
    expect(probe.code).toBe(2);
    expect(probe.stderr).toMatch(/"flames" is neither a probe kind nor a probe id/);
  });
});
