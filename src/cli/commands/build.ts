import type { Command } from 'commander';
import { action, reportError } from '../action.js';
import { ExitCode, invalidInput, isFlamebenchError } from '../../errors.js';
import { buildProfilingLuajit } from '../../luajit/build.js';
import { findNginx } from '../../nginx/find.js';

interface BuildFlags {
  force?: boolean;
  binary?: string;
  ifPossible?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('build')
    .description('Build a helper flamebench uses. "luajit": the distribution\'s LuaJIT source, at the installed version, with symbols, frame pointers and perftools (scenarios use it with openresty.luajit: auto | profiling).')
    .argument('<what>', 'what to build: luajit')
    .option('--force', 'build again even when the cache has this version')
    .option('--binary <path>', 'the nginx whose Lua module\'s LuaJIT to match (default: as `run` finds it)')
    .option('--if-possible', 'exit 0 with a note when this machine cannot have the build (OpenResty, no Debian package, source archive unreachable): for the bootstrap')
    .option('--json', 'print the build record as JSON')
    .addHelpText(
      'after',
      '\nThe build goes to $FLAMEBENCH_CACHE_DIR, $XDG_CACHE_HOME/flamebench or ~/.cache/flamebench (luajit/<source>-<version>/), outside the repository; the source comes from apt-get source with a private deb-src entry for the archive that serves the installed package.\nExit codes: 0 built (or already there), 3 cannot be built here.',
    )
    .action(
      action(async (what: string, flags: BuildFlags) => {
        if (what !== 'luajit') throw invalidInput('E_BUILD_WHAT', `nothing called "${what}" can be built`, 'flamebench build luajit');
        const say = (line: string) => process.stderr.write(`[build luajit] ${line}\n`);
        try {
          const installation = await findNginx(flags.binary ?? 'auto');
          const { build } = await buildProfilingLuajit(installation, { force: !!flags.force, say });
          if (flags.json) process.stdout.write(`${JSON.stringify(build, null, 2)}\n`);
          return ExitCode.ok;
        } catch (e) {
          if (!flags.ifPossible || !isFlamebenchError(e) || e.kind !== 'environment') throw e;
          reportError(e);
          say('not built: runs use the system LuaJIT (openresty.luajit: auto falls back and says so)');
          return ExitCode.ok;
        }
      }),
    );
}
