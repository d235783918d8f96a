import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../action.js';
import { FlamebenchError, invalidInput } from '../../errors.js';
import { runPaths } from '../../runs/paths.js';
import { formatFolded, type Folded, type ParseReport } from '../../stacks/folded.js';
import { relativizeLuaFrames, SYSTEM_LUA_ROOTS } from '../../stacks/lua-paths.js';
import { openInput } from '../../stacks/input.js';
import { pumpText } from '../../stacks/lines.js';
import { collapseStream, type LineCollapser } from '../../stacks/collapser.js';
import type { Readable } from 'node:stream';
import { createPerfCollapser, type PerfCollapseOptions } from '../../stacks/perf.js';
import { createStapCollapser } from '../../stacks/stap.js';
import { collapseJitProfile } from '../../stacks/jitprofile.js';
import { luaSourceReader } from '../../stacks/lua-sources.js';
import { writeStdout } from './folded-input.js';
import { createBpftraceCollapser } from '../../stacks/bpftrace.js';
import { terminalSafe } from '../../util/terminal.js';

/**
 * `flamebench collapse <format> [file]`: FlameGraph's stackcollapse-*.pl verbs. Folded stacks go
 * to stdout and nothing else does; warnings (skipped lines, with a count) go to stderr.
 */

/** The collapser's options under their CLI names (`--perl-compat`). */
type PerfFlags = Omit<PerfCollapseOptions, 'perlCompatible'> & { perlCompat?: boolean };

/** Through the one stdout path (EPIPE from a reader that went away, `| head`, is not an error). */
function writeOut(text: string, encoding: BufferEncoding): Promise<void> {
  return writeStdout(Buffer.from(text, encoding));
}

function warnSkipped(what: string, report: ParseReport): void {
  if (report.skipped === 0) return;
  process.stderr.write(`flamebench collapse ${what}: skipped ${report.skipped} unrecognised line(s)\n`);
  for (const ex of report.examples) process.stderr.write(`  ${terminalSafe(ex)}\n`);
}

/** Opens the input, hands its stream to `read`, waits for `perf script` if one ran; read errors say which input. */
async function readInput<T>(file: string | undefined, read: (stream: Readable) => Promise<T>): Promise<T> {
  const input = await openInput(file);
  let result: T;
  try {
    result = await read(input.stream);
  } catch (e) {
    if (e instanceof FlamebenchError) throw e;
    throw invalidInput('E_INPUT_UNREADABLE', `cannot read ${file ?? 'stdin'}: ${(e as Error).message}`, 'Give a readable file (gzip accepted), or pipe the data on stdin.');
  }
  await input.done();
  return result;
}

async function emit(stacks: Folded, encoding: BufferEncoding): Promise<void> {
  await writeOut(formatFolded(stacks), encoding);
}

/** The input through a collapser: folded stacks to stdout, skipped lines to stderr; the report for the verb's own checks. */
async function collapseInput<R extends ParseReport>(verb: string, file: string | undefined, c: LineCollapser<R>, encoding: 'utf8' | 'latin1'): Promise<R> {
  const { stacks, report } = await readInput(file, (stream) => collapseStream(c, stream, encoding));
  await emit(stacks, encoding);
  warnSkipped(verb, report);
  return report;
}

function registerPerf(collapse: Command): void {
  collapse
    .command('perf')
    .description('`perf script` output (or a perf.data file, or gzip) → folded, as stackcollapse-perf.pl')
    .argument('[file]', 'perf script text, .gz, or perf.data (default: stdin)')
    .option('--pid', 'include PID with process names [1]')
    .option('--tid', 'include TID and PID with process names [1]')
    .option('--kernel', 'annotate kernel functions with a _[k]')
    .option('--jit', 'annotate jit functions with a _[j]')
    .option('--all', 'all annotations (--kernel --jit)')
    .option('--addrs', "include raw addresses where symbols can't be found")
    .option('--event-filter <event>', 'event name filter (default: the first event type seen)')
    .option('--perl-compat', "stackcollapse-perf.pl's exact output, also where it loses data (see below)")
    .addHelpText(
      'after',
      `
Output is identical to FlameGraph's stackcollapse-perf.pl for the same input and options
(--inline and --context, which call addr2line per frame, are not supported), except where the
Perl script loses data; there, unless --perl-compat:
  - the last sample is kept when the input does not end with a blank line;
  - one-line samples (perf record without -g) and headers indented by perf are collapsed;
  - C++ names are cut at their argument list, not at a "(" inside a template or lambda.
[1] perf script must emit both PID and TID for these, eg:
    perf script -F comm,pid,tid,cpu,time,event,ip,sym,dso,trace

Examples:
  perf script | flamebench collapse perf > out.folded
  flamebench collapse perf --pid perf.data | flamebench render > out.svg
  flamebench collapse perf --all perf-script.txt.gz`,
    )
    .action(
      action(async (file: string | undefined, flags: PerfFlags) => {
        if (flags.eventFilter !== undefined && flags.eventFilter.trim() === '') {
          throw invalidInput('E_BAD_OPTION', '--event-filter needs an event name', 'For example --event-filter cpu-clock.');
        }
        const { perlCompat, ...rest } = flags;
        // latin1: one character per byte, so names in any encoding come out byte for byte; bytes go
        // in as they are read (the collapser knows repeated frame lines by their bytes).
        const report = await collapseInput('perf', file, createPerfCollapser({ ...rest, perlCompatible: !!perlCompat }), 'latin1');
        if (report.samples === 0) {
          throw invalidInput(
            'E_NO_STACKS',
            `no sample found in ${file ?? 'stdin'}${report.filteredSamples > 0 ? ` of event "${report.event}"` : ''}`,
            'Expect `perf script` output: a header line per sample ("comm pid time: period event:"), its frames, a blank line.',
          );
        }
        if (report.filteredSamples > 0) {
          process.stderr.write(
            `flamebench collapse perf: kept event "${report.event}" only; dropped ${report.filteredSamples} sample(s) of ${report.filteredEvents.join(', ')} (choose with --event-filter)\n`,
          );
        }
      }),
    );
}


function registerStap(collapse: Command): void {
  collapse
    .command('stap')
    .description('SystemTap sample-bt / sample-bt-off-cpu / ngx-sample-lua-bt output → folded, as stackcollapse-stap.pl')
    .argument('[file]', 'the .bt file (gzip accepted; default: stdin)')
    .option('--fix-lua-bt', 'resolve Lua frames "@file.lua:line" to "module:function" as fix-lua-bt does, reading the sources at the printed paths')
    .option('--lua-root <dir>', 'like --fix-lua-bt, looking for the Lua sources under this directory (printed path, path after /lib/, file name)')
    .addHelpText(
      'after',
      `
Examples:
  ngx-sample-bt -p 8736 -t 5 -u > a.bt && flamebench collapse stap a.bt > a.folded
  ngx-sample-lua-bt -p 9768 --luajit20 -t 5 > tmp.bt && flamebench collapse stap --lua-root /srv/lua tmp.bt`,
    )
    .action(
      action(async (file: string | undefined, flags: { fixLuaBt?: boolean; luaRoot?: string }) => {
        const fix = flags.fixLuaBt || flags.luaRoot !== undefined;
        const report = await collapseInput('stap', file, createStapCollapser(fix ? { fixLuaBt: luaSourceReader(flags.luaRoot) } : {}), 'utf8');
        if (report.unresolvedLua > 0) {
          process.stderr.write(`flamebench collapse stap: ${report.unresolvedLua} Lua frame(s) left unresolved\n`);
          for (const ex of report.unresolvedLuaExamples) process.stderr.write(`  ${terminalSafe(ex)}\n`);
        }
      }),
    );
}

function registerBpftrace(collapse: Command): void {
  collapse
    .command('bpftrace')
    .description('bpftrace map dump with kstack/ustack keys (e.g. @[kstack, ustack, comm] = count()) → folded')
    .argument('[file]', 'bpftrace output (gzip accepted; default: stdin)')
    .option('--map <name>', 'only this map, e.g. @us (default: every map keyed by a stack)')
    .option('--kernel', 'annotate kernel frames with a _[k]')
    .option('--strip-offsets', 'drop "+offset" from symbols, so call sites of one function merge (stackcollapse-bpftrace.pl keeps them)')
    .addHelpText(
      'after',
      `
User stacks need frame pointers; without them they stop after a frame or two and unresolved
addresses become [unknown] (a count of such stacks is printed on stderr).

Both layouts of the stacks are read: frames indented (bpftrace ≥ 0.9) or not (older bpftrace, as in
stackcollapse-bpftrace.pl's example: "@[", one frame per line, "]: 3").

Example:
  bpftrace -e 'profile:hz:99 /pid == 1234/ { @[kstack, ustack, comm] = count(); }' > out.bt
  flamebench collapse bpftrace out.bt | flamebench render > out.svg`,
    )
    .action(
      action(async (file: string | undefined, flags: { map?: string; kernel?: boolean; stripOffsets?: boolean }) => {
        const c = createBpftraceCollapser({
          ...(flags.map !== undefined ? { map: flags.map } : {}),
          annotateKernel: !!flags.kernel,
          keepOffsets: !flags.stripOffsets,
        });
        const report = await collapseInput('bpftrace', file, c, 'utf8');
        if (report.entries === 0) {
          throw invalidInput(
            'E_NO_STACKS',
            `no stack found in ${file ?? 'stdin'}: no map entry keyed by a stack (${report.ignoredEntries} other entr${report.ignoredEntries === 1 ? 'y' : 'ies'})`,
            "Dump a map keyed by kstack/ustack, e.g. @[kstack, ustack, comm] = count(); check --map.",
          );
        }
        if (report.truncatedUserStacks > 0) {
          process.stderr.write(`flamebench collapse bpftrace: ${report.truncatedUserStacks} user stack(s) look cut short (no frame pointers?)\n`);
        }
      }),
    );
}

/** <run>/nginx/prefix for a dump at <run>/raw/<file>, when that directory exists. */
function runPrefixOf(file: string | undefined): string | null {
  if (!file) return null;
  const raw = path.dirname(path.resolve(file));
  if (path.basename(raw) !== 'raw') return null;
  const prefix = runPaths(path.dirname(raw)).prefix;
  return existsSync(prefix) ? prefix : null;
}

function registerJitProfile(collapse: Command): void {
  collapse
    .command('jitprofile')
    .description("LuaJIT jit.profile dumps written by flamebench's lua probe → folded")
    .argument('[file]', 'the dump (gzip accepted; default: stdin)')
    .option('--lua-root <dir>', "show Lua paths relative to this directory (default: a run's nginx/prefix when the dump is in its raw/), as the lua probe does; system Lua dirs always")
    .action(
      action(async (file: string | undefined, flags: { luaRoot?: string }) => {
        let text = '';
        await readInput(file, (stream) => pumpText(stream, (t) => (text += t)));
        const { stacks, report } = collapseJitProfile(text);
        // the same relative paths as the run's stacks/lua.folded (src/probes/lua/driver.ts)
        const root = flags.luaRoot ?? runPrefixOf(file);
        await emit(relativizeLuaFrames(stacks, [...(root ? [path.resolve(root)] : []), ...SYSTEM_LUA_ROOTS]), 'utf8');
        warnSkipped('jitprofile', report);
      }),
    );
}

export function register(program: Command): void {
  const collapse = program
    .command('collapse')
    .description("profiler output → folded stacks on stdout (FlameGraph's stackcollapse-*.pl)")
    .addHelpText(
      'after',
      `
Compose with render and diff, as with FlameGraph:
  perf script | flamebench collapse perf | flamebench render > out.svg`,
    );
  registerPerf(collapse);
  registerStap(collapse);
  registerBpftrace(collapse);
  registerJitProfile(collapse);
}
