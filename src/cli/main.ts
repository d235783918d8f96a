#!/usr/bin/env node
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { toolVersion } from '../util/version.js';
import { exitCodesHelp } from './exit-codes.js';
import { register as registerRun } from './commands/run.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerDoctor } from './commands/doctor.js';
import { register as registerReport } from './commands/report.js';
import { register as registerRender } from './commands/render.js';
import { register as registerDiff } from './commands/diff.js';
import { register as registerCollapse } from './commands/collapse.js';
import { register as registerCompare } from './commands/compare.js';

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

for (const register of [
  registerRun,
  registerValidate,
  registerDoctor,
  registerReport,
  registerRender,
  registerDiff,
  registerCollapse,
  registerCompare,
]) {
  register(program);
}

(await import('./commands/history.js')).register(program);
(await import('./commands/export.js')).register(program);
await program.parseAsync(process.argv);
