#!/usr/bin/env node
/**
 * The CLI entry. It loads only the module of the subcommand it is given: `collapse` and `render`
 * are drop-ins for FlameGraph's Perl scripts in shell pipelines, where a start-up of 0.25 s (the
 * cost of loading every command's dependencies: ajv, yaml, handlebars, autocannon…) is longer
 * than the work itself. So the one place in the codebase that does not import statically is this
 * table of literal `import('./commands/x.js')` calls — literal, so bundlers and tsc still see
 * every module. `--help` without a subcommand loads them all, to list them.
 */
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { toolVersion } from '../util/version.js';
import { exitCodesHelp } from './exit-codes.js';

type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  run: () => import('./commands/run.js'),
  validate: () => import('./commands/validate.js'),
  doctor: () => import('./commands/doctor.js'),
  report: () => import('./commands/report.js'),
  render: () => import('./commands/render.js'),
  diff: () => import('./commands/diff.js'),
  collapse: () => import('./commands/collapse.js'),
  compare: () => import('./commands/compare.js'),
  history: () => import('./commands/history.js'),
  build: () => import('./commands/build.js'),
  export: () => import('./commands/export.js'),
  loader: () => import('./commands/loader.js'),
  k8s: () => import('./commands/k8s.js'),
};

const program = new Command();
program
  .name('flamebench')
  .description('Load-test-and-profile harness for OpenResty and nginx.')
  .version(toolVersion())
  .showHelpAfterError('(add --help for usage)')
  // 'afterAll': every subcommand's --help ends with the exit codes too.
  .addHelpText('afterAll', exitCodesHelp());
// commander's own usage errors (unknown option, missing argument) are invalid input.
program.exitOverride((err) => {
  // Help shown because something was missing (e.g. `collapse` without its subcommand) is a usage error.
  if (err.code === 'commander.help' && err.exitCode !== 0) process.exit(ExitCode.invalidInput);
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
    process.exit(ExitCode.ok);
  }
  process.exit(ExitCode.invalidInput);
});

/** The subcommand is the first argument that is not an option (the root command takes no option with a value). */
const first = process.argv.slice(2).find((a) => !a.startsWith('-'));
const load = first !== undefined ? COMMANDS[first] : undefined;
if (load !== undefined) {
  (await load()).register(program);
} else if (!process.argv.slice(2).some((a) => a === '-V' || a === '--version')) {
  // Help, a typo or nothing: every command, so commander can list them or suggest one.
  for (const name of Object.keys(COMMANDS)) (await (COMMANDS[name] as () => Promise<{ register: Register }>)()).register(program);
}
await program.parseAsync(process.argv);
