import type { Command } from 'commander';
import { action } from '../action.js';
import { renderHistory } from '../../compare/history.js';

interface HistoryFlags {
  out: string;
  json?: boolean;
  label: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command('history')
    .description('Trend of every metric (rps, latency, worker CPU, errors…) across runs, e.g. one per release, as one HTML file')
    .argument('<dirs...>', 'run directories (or directories of repeats), in the order to plot')
    .option('-o, --out <file>', 'HTML file to write', 'reports/history.html')
    .option('--label <text>', "label of the next directory, in order (repeatable); default: the run's --label, else git describe, else the directory name", collect, [])
    .option('--json', 'print the points as JSON on stdout (the HTML is still written)')
    .addHelpText(
      'after',
      `
For trend tools: flamebench export benchmark-action <dir> (github-action-benchmark) and
flamebench export bencher <dir> (Bencher Metric Format).`,
    )
    .action(
      action(async (dirs: string[], flags: HistoryFlags) => {
        const { file, points } = await renderHistory(dirs, { out: flags.out, labels: flags.label });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ file, points }, null, 2)}\n`);
          process.stderr.write(`history: ${file}\n`);
        } else process.stdout.write(`history: ${file}\n`);
        return 0;
      }),
    );
}
