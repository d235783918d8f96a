import { describe, expect, it } from 'vitest';
import { applyRunOverrides } from '../../src/cli/overrides.js';
import { ExitCode, FlamebenchError } from '../../src/errors.js';
import { testScenario } from '../helpers/scenario.js';

/** Flags pass the same bounds as the YAML keys they override (issue 11, rows 3, 11 and 16). */
function refusal(flags: Parameters<typeof applyRunOverrides>[1]): string {
  try {
    applyRunOverrides(testScenario(), flags);
  } catch (e) {
    expect(e).toBeInstanceOf(FlamebenchError);
    expect((e as FlamebenchError).exitCode).toBe(ExitCode.invalidInput);
    expect((e as FlamebenchError).code).toBe('E_BAD_FLAG');
    return (e as FlamebenchError).message;
  }
  throw new Error(`accepted ${JSON.stringify(flags)}`);
}

describe('run flag overrides', () => {
  it('apply valid values, with or without a unit', () => {
    const s = applyRunOverrides(testScenario(), { duration: '3', warmup: '500ms', connections: '128' });
    expect(s.load).toMatchObject({ duration: 3, warmup: 0.5, connections: 128 });
    expect(applyRunOverrides(testScenario(), { connections: '100000' }).load.connections).toBe(100_000);
  });

  it('refuse connections beyond the schema maximum, and fractions', () => {
    expect(refusal({ connections: '1000000000' })).toBe('--connections must be a whole number from 1 to 100000, got "1000000000"');
    expect(refusal({ connections: '2.5' })).toMatch(/whole number.*"2.5"/);
    expect(refusal({ connections: '0' })).toMatch(/from 1 to 100000/);
    expect(refusal({ connections: '1e3' })).toMatch(/whole number/);
  });

  it('refuse durations out of the YAML bounds (1e308 s overflowed to a 0 s window)', () => {
    expect(refusal({ duration: '1e308' })).toBe('--duration must be a duration from 100ms to 24h, got "1e308"');
    expect(refusal({ duration: '0.0001ms' })).toMatch(/from 100ms to 24h/);
    expect(refusal({ warmup: '2h' })).toMatch(/--warmup must be a duration from 0 to 1h/);
    expect(refusal({ duration: 'ten' })).toMatch(/--duration/);
  });

  it('--loader-host replaces load.hosts: local, words, or a JSON array; an empty or malformed one is refused', () => {
    const s = applyRunOverrides(testScenario(), { loaderHost: ['local', 'ssh -T  loader@10.0.0.2', '["kubectl","exec","-i","pod/l 0","--"]'] });
    expect(s.load.hosts).toEqual(['local', ['ssh', '-T', 'loader@10.0.0.2'], ['kubectl', 'exec', '-i', 'pod/l 0', '--']]);
    expect(applyRunOverrides(testScenario(), { loaderHost: [] }).load.hosts).toEqual(testScenario().load.hosts);
    expect(refusal({ loaderHost: ['  '] })).toMatch(/--loader-host is empty/);
    expect(refusal({ loaderHost: ['["ssh",1]'] })).toMatch(/not a JSON array of strings/);
  });
});
