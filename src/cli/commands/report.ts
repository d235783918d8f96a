import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { action } from '../action.js';
import { renderRunReport } from '../../report/index.js';

/** `flamebench report <run-dir>`: rebuilds report.html from the run directory alone. */
export function register(program: Command): void {
  program
    .command('report')
    .description('(Re)build report.html of a run directory from what is on disk; prints its path')
    .argument('<run-dir>', 'a run directory written by `flamebench run` (holds run.json)')
    .option('--open-path', 'print a file:// URL (clickable in most terminals) instead of a plain path')
    .addHelpText('after', '\nExit codes: 0 written, 2 not a run directory (the message names the missing file).')
    .action(
      action(async (runDir: string, opts: { openPath?: boolean }) => {
        const file = await renderRunReport(runDir);
        process.stdout.write(`${opts.openPath ? pathToFileURL(file).href : file}\n`);
      }),
    );
}
