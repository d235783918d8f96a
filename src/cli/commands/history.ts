import type { Command } from 'commander';
import { action } from '../action.js';
import { renderHistory } from '../../compare/history.js';

export function register(program: Command): void {
  program
    .command('history')
    .description('Trend of rps, p99 latency and worker CPU per request across runs (e.g. one per release), as one HTML file')
    .argument('<dirs...>', 'run directories (or directories of repeats), in the order to plot')
    .option('-o, --out <file>', 'HTML file to write', 'reports/history.html')
    .action(
      action(async (dirs: string[], flags: { out: string }) => {
        const file = await renderHistory(dirs, { out: flags.out });
        process.stdout.write(`history: ${file}\n`);
        return 0;
      }),
    );
}
