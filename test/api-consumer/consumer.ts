/**
 * A user's script: imports flamebench by name, only through its public entry. Type-checked
 * against dist/api.d.ts and run with node by test/api/consumer.test.ts. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import {
  ExitCode,
  collapsePerf,
  compareRuns,
  loadScenario,
  parseThresholdRule,
  renderFlameGraph,
  resolveRunDirs,
  runScenario,
  toSpeedscope,
  type Comparison,
  type Folded,
  type RunOutcome,
  type Scenario,
} from 'flamebench';

const [perfScript, scenarioFile, runA, runB] = process.argv.slice(2) as [string, string, string, string];

const { stacks } = collapsePerf(readFileSync(perfScript, 'latin1'));
const folded: Folded = stacks;
const svg: string = renderFlameGraph(folded, { title: 'from the API' });
const scenario: Scenario = await loadScenario(scenarioFile);
const comparison: Comparison = await compareRuns(await resolveRunDirs(runA), await resolveRunDirs(runB), {
  thresholds: [parseThresholdRule('rps=-5%')],
});
const speedscope = toSpeedscope([{ name: 'perf', unit: 'samples', frequencyHz: null, stacks: folded }], { name: 'api', exporter: 'consumer' });
// runScenario is typed here but not run: the test's real run goes through the CLI.
const run: (s: Scenario, o: { reportsDir: string; quiet: boolean }) => Promise<RunOutcome> = runScenario;

process.stdout.write(
  `${JSON.stringify({
    stacks: folded.size,
    svg: svg.startsWith('<?xml') || svg.startsWith('<svg'),
    scenario: scenario.name,
    verdict: comparison.verdict.status,
    speedscopeProfiles: speedscope.profiles.length,
    regressionCode: ExitCode.regression,
    runScenario: typeof run,
  })}\n`,
);
