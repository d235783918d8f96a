import path from 'node:path';
import type { Command } from 'commander';
import { action, reportError } from '../action.js';
import { ExitCode } from '../../errors.js';
import { runScenario, type RunOutcome } from '../../run/index.js';
import { loadScenario } from '../../scenario/index.js';
import { installSignalHandlers } from '../signals.js';
import { runSummaryJson } from '../summary.js';
import { applyRunOverrides, collect, type RunOverrideFlags } from '../overrides.js';

interface RunFlags extends RunOverrideFlags {
  out?: string;
  reportsDir: string;
  quiet?: boolean;
  json?: boolean;
  report: boolean;
  onInconclusive?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a scenario: start nginx, load it, sample stacks, write a run directory with report.html')
    .argument('<scenario>', 'scenario YAML file')
    .option('-o, --out <dir>', 'run directory to write (default: <reports-dir>/<timestamp>-<name>)')
    .option('--reports-dir <dir>', 'parent folder for run directories', 'reports')
    .option('--duration <seconds>', 'override load.duration (measured window, seconds)')
    .option('--warmup <seconds>', 'override load.warmup (seconds)')
    .option('--connections <n>', 'override load.connections')
    .option('--variant <name>', 'run only this variant of the scenario')
    .option('--variant-root <name=dir>', "variant NAME reads the scenario's files and configFile from DIR (e.g. a checkout of main); repeatable", collect)
    .option('--repeat <n|auto>', 'variants: runs per variant, or auto (A/B pairs until the verdict is decided; the default)')
    .option('--on-inconclusive <policy>', 'variants: exit code of an inconclusive verdict: inconclusive (98, default), pass (0) or fail (99)')
    .option('--no-report', 'do not write report.html')
    .option('-q, --quiet', 'no progress output')
    .option('--json', 'print the run summary as JSON on stdout')
    .action(
      action(async (file: string, flags: RunFlags) => {
        const scenario = applyRunOverrides(await loadScenario(file), flags);
        const quiet = Boolean(flags.quiet || flags.json);
        const signals = installSignalHandlers(quiet);
        try {
          if (scenario.variants.length > 0 && !flags.variant) {
            const { runVariantsCommand } = await import('../variants.js');
            return await runVariantsCommand(scenario, { ...flags, quiet, signal: signals.signal });
          }
          let outcome: RunOutcome;
          try {
            outcome = await runScenario(scenario, {
              reportsDir: path.resolve(flags.reportsDir),
              ...(flags.out ? { outDir: path.resolve(flags.out) } : {}),
              quiet,
              signal: signals.signal,
              noReport: !flags.report,
            });
          } catch (e) {
            const code = reportError(e);
            const dir = (e as { runDir?: string }).runDir;
            if (dir) process.stderr.write(`partial results: ${dir}\n`);
            if (flags.json && dir) process.stdout.write(`${JSON.stringify(await runSummaryJson(dir), null, 2)}\n`);
            return code;
          }
          if (flags.json) process.stdout.write(`${JSON.stringify(await runSummaryJson(outcome.dir), null, 2)}\n`);
          else process.stdout.write(`report: ${path.join(outcome.dir, 'report.html')}\n`);
          return outcome.exitCode;
        } finally {
          signals.dispose();
        }
      }),
    );
}

export { ExitCode };
