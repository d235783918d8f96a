import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { formatProblem, loadScenarioWithWarnings } from '../../scenario/index.js';
import { terminalSafe } from '../../util/terminal.js';
import { installSignalHandlers } from '../signals.js';
import { checkLabel, overrideProbes, parseThresholdFlags } from '../run-flags.js';
import { runSingleCommand } from '../single.js';
import { applyRunOverrides, collect, type RunOverrideFlags } from '../overrides.js';

interface RunFlags extends RunOverrideFlags {
  out?: string;
  reportsDir: string;
  quiet?: boolean;
  json?: boolean;
  report: boolean;
  onInconclusive?: string;
  probes?: string;
  threshold: string[];
  label?: string;
}


export function register(program: Command): void {
  program
    .command('run')
    .description('Run a scenario: start nginx, load it, sample stacks, write a run directory with report.html')
    .argument('<scenario>', 'scenario YAML file')
    .option('-o, --out <dir>', 'run directory to write (default: <reports-dir>/<timestamp>-<name>)')
    .option('--reports-dir <dir>', 'parent folder for run directories', 'reports')
    .option('--duration <time>', 'override load.duration (measured window): 10s, 500ms, 2m or seconds')
    .option('--warmup <time>', 'override load.warmup: 2s, 500ms or seconds')
    .option('--connections <n>', 'override load.connections')
    .option('--loader-host <prefix>', 'where a loader runs, repeatable (replaces load.hosts): local, or a launch prefix such as "ssh -T user@host", "ip netns exec ns1" or a JSON array; connections are split across them', collect, [])
    .option('--probes <list>', 'probes to run instead of the scenario\'s: kinds or probe ids, comma-separated (cpu,lua), or none')
    .option('-t, --threshold <rule>', 'absolute limit checked after the run (exit 99 when violated), repeatable: errors==0  latencyP99Us<=5ms  rps>=20000; with variants: replaces the scenario\'s thresholds', collect, [])
    .option('--label <text>', 'what this run measures (a release, a commit), kept in run.json for history and trend exports')
    .option('--variant <name>', 'run only this variant of the scenario')
    .option('--variant-root <name=dir>', "variant NAME reads the scenario's files and configFile from DIR (e.g. a checkout of main); repeatable", collect)
    .option('--repeat <n|auto>', 'runs per variant, or auto (A/B pairs until the verdict is decided; the default); without variants: N runs in <out>/<1..N>/, thresholds on their median')
    .option('--on-inconclusive <policy>', 'variants: exit code of an inconclusive verdict: inconclusive (98, default), pass (0) or fail (99)')
    .option('--no-report', 'do not write report.html')
    .option('-q, --quiet', 'no progress output')
    .option('--json', 'print the run summary as JSON on stdout')
    .addHelpText(
      'after',
      `
Without a terminal (CI logs, | cat) a progress line is printed every few seconds: phase,
elapsed, rps, p99, worker CPU. Colour follows NO_COLOR / FORCE_COLOR.`,
    )
    .action(
      action(async (file: string, flags: RunFlags) => {
        const loaded = await loadScenarioWithWarnings(file);
        // Said before the run starts (also with --quiet: a warning is not progress); run.json keeps them.
        const scenarioWarnings = loaded.warnings.map(formatProblem);
        for (const w of scenarioWarnings) process.stderr.write(`warning: ${terminalSafe(w)}\n`);
        const scenario = overrideProbes(applyRunOverrides(loaded.scenario, flags), flags.probes);
        const thresholds = parseThresholdFlags(flags.threshold);
        const label = checkLabel(flags.label);
        const quiet = Boolean(flags.quiet || flags.json);
        const signals = installSignalHandlers(quiet);
        try {
          if (scenario.variants.length > 0 && !flags.variant) {
            const { runVariantsCommand } = await import('../variants.js');
            const withThresholds = thresholds.length > 0 ? { ...scenario, thresholds } : scenario;
            return await runVariantsCommand(withThresholds, { ...flags, quiet, signal: signals.signal, scenarioWarnings, ...(label !== undefined ? { label } : {}) });
          }
          return await runSingleCommand(scenario, {
            ...flags,
            quiet,
            json: Boolean(flags.json),
            thresholds,
            scenarioWarnings,
            signal: signals.signal,
            ...(label !== undefined ? { label } : {}),
          });
        } finally {
          signals.dispose();
        }
      }),
    );
}

export { ExitCode };
