import type { Command } from 'commander';
import { action } from '../action.js';
import { invalidInput } from '../../errors.js';
import { renderDiffSvg } from '../../flamegraph/index.js';
import { diffFolded, formatDiffFolded } from '../../stacks/diff.js';
import { readFolded, warnSkipped, writeStdout } from './folded-input.js';
import { addRenderOptions, bufferEncoding, encodeSvg, toRenderOptions, type RenderFlags } from './render.js';

interface DiffFlags extends RenderFlags {
  normalize?: boolean;
  stripHex?: boolean;
  svg?: boolean;
}

export function register(program: Command): void {
  addRenderOptions(
    program
      .command('diff')
      .argument('<before>', 'folded stacks of the before-profile')
      .argument('<after>', 'folded stacks of the after-profile')
      .description(
        'Diff two folded profiles (difffolded.pl drop-in): prints `stack before after` for the union of their stacks, ' +
          'or with --svg a differential flame graph (widths from after, red grew, blue shrank, grey within noise).',
      )
      .option('-n, --normalize', 'scale the before counts to the after total (difffolded.pl -n)')
      .option('-s, --strip-hex', 'replace hex addresses by 0x... so moved code still matches (difffolded.pl -s)')
      .option('--svg', 'write the differential flame graph instead of the three-column text')
      .option('--negate', 'with --svg: widths from the before-profile, to show what shrank or vanished'),
  ).action(
    action(async (beforeFile: string, afterFile: string, flags: DiffFlags) => {
      const opts = flags.svg ? toRenderOptions(flags) : undefined;
      if (beforeFile === '-' && afterFile === '-') throw invalidInput('E_BAD_ARGS', 'before and after cannot both be stdin');
      const before = await readFolded(beforeFile);
      warnSkipped(before.report, beforeFile);
      const after = await readFolded(afterFile);
      warnSkipped(after.report, afterFile);
      const diff = diffFolded(before.stacks, after.stacks, {
        normalize: flags.normalize ?? false,
        stripHex: flags.stripHex ?? false,
      });
      if (diff.size === 0) {
        throw invalidInput('E_NO_STACKS', `no stack counts found in ${beforeFile} or ${afterFile}`, 'Expect lines of `frame;frame;frame count`.');
      }
      await writeStdout(
        opts ? encodeSvg(renderDiffSvg(diff, { ...opts, negate: flags.negate ?? false }), bufferEncoding(flags.encoding)) : formatDiffFolded(diff),
      );
    }),
  );
}
