import type { Command } from 'commander';
import { action } from '../action.js';
import { FlamebenchError } from '../../errors.js';

// Placeholder while the 'render' command is being built; replaced by its owner.
export function register(program: Command): void {
  program
    .command('render')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new FlamebenchError('internal', 'E_NOT_BUILT', "'render' is not built yet");
      }),
    );
}
