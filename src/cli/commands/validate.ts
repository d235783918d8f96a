import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode, isFlamebenchError } from '../../errors.js';
import { checkScenarioText, expandVariants, formatProblem, openrestyWarnings, readScenarioFile, type ScenarioCheck } from '../../scenario/index.js';
import { terminalSafe } from '../../util/terminal.js';

/** What the file should write another way (file:line:col), then the scenario's own openresty warnings and each variant's (after merging). */
function scenarioWarnings(c: ScenarioCheck): string[] {
  if (!c.scenario) return [];
  const all = [c.scenario, ...expandVariants(c.scenario)].flatMap((v) => openrestyWarnings(v.openresty));
  return [...c.warnings.map(formatProblem), ...new Set(all)];
}

interface ValidateFlags {
  json?: boolean;
}

function checkFile(file: string): ScenarioCheck {
  try {
    return checkScenarioText(readScenarioFile(file), file);
  } catch (e) {
    if (!isFlamebenchError(e)) throw e;
    return { file, problems: [{ file, line: 0, col: 0, path: '/', message: e.message, hint: e.hint }], warnings: [] };
  }
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check scenario files without running them: every problem with file:line:col, path and hint.')
    .argument('<files...>', 'scenario YAML files')
    .option('--json', 'print the resolved scenarios (with defaults) and problems as JSON')
    .addHelpText('after', '\nExit codes: 0 all valid, 2 any invalid.\nExample: flamebench validate scenarios/*.yaml')
    .action(
      action(async (files: string[], flags: ValidateFlags) => {
        const checks = files.map(checkFile);
        const ok = checks.every((c) => c.problems.length === 0);
        if (flags.json) {
          const out = checks.map((c) => ({
            file: c.file,
            valid: c.problems.length === 0,
            scenario: c.scenario ?? null,
            problems: c.problems,
            warnings: scenarioWarnings(c),
          }));
          process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        } else {
          for (const c of checks) {
            if (c.problems.length === 0) {
              process.stdout.write(`ok  ${terminalSafe(c.file)}\n`);
              for (const w of scenarioWarnings(c)) process.stdout.write(`  warning: ${terminalSafe(w)}\n`);
              continue;
            }
            const n = c.problems.length;
            process.stdout.write(`invalid  ${terminalSafe(c.file)}: ${n} problem${n > 1 ? 's' : ''}\n`);
            for (const p of c.problems) process.stdout.write(`  ${terminalSafe(formatProblem(p))}\n`);
          }
        }
        return ok ? ExitCode.ok : ExitCode.invalidInput;
      }),
    );
}
