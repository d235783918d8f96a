#!/usr/bin/env node
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { toolVersion } from '../util/version.js';
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
  .addHelpText(
    'after',
    `
Exit codes:
  0    success (run completed, comparison passed)
  1    internal error (a bug)
  2    invalid input (scenario, flags, files)
  3    environment problem (no nginx, port busy, not permitted)
  4    run failed midway (what was measured is kept, status "partial")
  6    output could not be written (disk full, read-only); what fitted is kept
  99   regression or failed threshold
  130  interrupted (Ctrl-C); partial results are kept`,
  );
// commander's own usage errors (unknown option, missing argument) are invalid input.
program.exitOverride((err) => {
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
await program.parseAsync(process.argv);
