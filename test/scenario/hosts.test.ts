import { describe, expect, it } from 'vitest';
import { checkScenarioText } from '../../src/scenario/index.js';
import { isDistributed, loaderCommand } from '../../src/load/start-loaders.js';

const yaml = (load: string): string => `name: x\nopenresty:\n  config: "server { listen {{listen}}; }"\nload:\n${load}`;

describe('load.hosts and load.loaderCommand', () => {
  it('default to the local loader; accept launch prefixes and a command', () => {
    const c = checkScenarioText(yaml('  connections: 4\n'), 'x.yaml');
    expect(c.problems).toEqual([]);
    expect(c.scenario?.load.hosts).toEqual(['local']);
    expect(isDistributed(c.scenario!.load)).toBe(false);
    const d = checkScenarioText(yaml('  hosts: [[ssh, -T, a@b], local]\n  loaderCommand: [flamebench, loader]\n'), 'x.yaml');
    expect(d.problems).toEqual([]);
    expect(d.scenario?.load.hosts).toEqual([['ssh', '-T', 'a@b'], 'local']);
    expect(isDistributed(d.scenario!.load)).toBe(true);
    expect(loaderCommand(d.scenario!.load)).toEqual(['flamebench', 'loader']);
    // self: this node on this installation's stdio loader entry
    expect(loaderCommand({ loaderCommand: 'self' })[0]).toBe(process.execPath);
    expect(loaderCommand({ loaderCommand: 'self' }).at(-1)).toMatch(/loader-stdio\.(ts|js)$/);
  });

  it('refuse an empty list, an empty prefix and an unknown word, with the line', () => {
    for (const bad of ['  hosts: []\n', '  hosts: [[]]\n', '  hosts: [remote]\n', '  loaderCommand: []\n']) {
      const c = checkScenarioText(yaml(bad), 'x.yaml');
      expect(c.problems.length, bad).toBeGreaterThan(0);
      expect(c.problems[0]?.line).toBe(5);
    }
  });
});
