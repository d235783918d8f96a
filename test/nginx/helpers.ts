import type { OpenrestySpec, Scenario } from '../../src/scenario/types.js';
import { tempRunDir as tempDir, testScenario } from '../helpers/scenario.js';

/** A resolved scenario as the scenario stage would produce it, with only `openresty` varying. */
export function scenarioWith(openresty: Partial<OpenrestySpec>): Scenario {
  return testScenario({ name: 'target-test', openresty });
}

/** A fresh run directory under /tmp (reachable by the unprivileged nginx worker user). */
export function tempRunDir(): string {
  return tempDir('flamebench-target-');
}
