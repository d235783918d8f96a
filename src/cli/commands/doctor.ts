import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { formatDoctor, runDoctor } from '../../probes/doctor.js';
import { stopLeftovers } from '../../runs/live-runs.js';
import { terminalSafe } from '../../util/terminal.js';

interface DoctorFlags {
  json?: boolean;
  binary?: string;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: nginx/openresty and its Lua module, the loader, and every probe kind (available or not, why, and the fix).')
    .option('--json', 'print the report as JSON')
    .option('--binary <path>', 'check this nginx/openresty binary instead of searching for one')
    .addHelpText('after', '\nMounts tracefs when it is missing and flamebench runs as root.\nExit codes: 0 the core (nginx + loader) works, 3 it does not.')
    .action(
      action(async (flags: DoctorFlags) => {
        // Leftovers of a killed flamebench run (nginx, perf) would skew every later measurement.
        for (const left of stopLeftovers()) {
          process.stderr.write(
            `stopped ${left.killed.length} leftover process(es) of a killed flamebench run (pid ${left.ownerPid}, ${terminalSafe(left.runDir)})${left.killed.length ? `: ${left.killed.map((k) => `${k.pid} (${k.role})`).join(', ')}` : ''}\n`,
          );
        }
        const report = await runDoctor(flags.binary ? { binary: flags.binary } : {});
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
        return report.coreOk ? ExitCode.ok : ExitCode.environment;
      }),
    );
}
