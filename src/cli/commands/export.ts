import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../action.js';
import { invalidInput } from '../../errors.js';
import { historyPoints } from '../../compare/history.js';
import { encodePprof } from '../../export/pprof.js';
import { readExportSource, type ExportSource } from '../../export/read.js';
import { toSpeedscope } from '../../export/speedscope.js';
import { toBenchmarkAction, toBencher } from '../../export/trend.js';
import { writeFileAtomic } from '../../runs/atomic.js';
import { runPaths } from '../../runs/paths.js';
import type { StackUnit } from '../../runs/types.js';
import { toolVersion } from '../../util/version.js';

interface ProfileFlags {
  out?: string;
  probe?: string;
  unit?: string;
}

function unitFlag(v: string | undefined): StackUnit | undefined {
  if (v === undefined) return undefined;
  if (v === 'samples' || v === 'microseconds') return v;
  if (v === 'us' || v === 'µs') return 'microseconds';
  throw invalidInput('E_BAD_FLAG', `--unit ${v}: expected samples or microseconds (us)`, 'On-CPU probes count samples; off-CPU probes weigh waits in microseconds.');
}

/** A profile export: its input (a run or a folded file), where it writes, which probe, and the unit of a bare folded file's counts. */
function profileCommand(exp: Command, name: string, o: { description: string; input: string; out: string }): Command {
  return exp
    .command(name)
    .description(o.description)
    .argument('<run|folded>', o.input)
    .option('-o, --out <path>', o.out)
    .option('--probe <id>', 'only this probe of the run')
    .option('--unit <unit>', 'unit of a folded file\'s counts: samples or microseconds (default: its .meta.json, else samples)');
}

/** The profiles a profile export reads, as --probe and --unit choose them. */
async function profileSource(input: string, flags: ProfileFlags): Promise<ExportSource> {
  const unit = unitFlag(flags.unit);
  return readExportSource(input, { ...(unit ? { unit } : {}), ...(flags.probe ? { probe: flags.probe } : {}) });
}

/** Where the speedscope file goes when -o is not given: beside the folded file, or in the run directory. */
function defaultSpeedscopeOut(input: string): string {
  const abs = path.resolve(input);
  return abs.endsWith('.folded') ? abs.replace(/\.folded$/, '.speedscope.json') : runPaths(abs).speedscope;
}

async function writeOut(file: string, data: string | Buffer): Promise<void> {
  if (file === '-') process.stdout.write(data);
  else await writeFileAtomic(file, data);
}

function skippedWarnings(src: ExportSource): void {
  for (const [name, n] of Object.entries(src.skipped)) if (n > 0) process.stderr.write(`warning: ${name}: ${n} line(s) were not folded stacks and were skipped\n`);
}

export function register(program: Command): void {
  const exp = program
    .command('export')
    .description('Profiles and numbers in other tools\' formats: speedscope, pprof (Pyroscope, Grafana, go tool pprof), github-action-benchmark, Bencher');

  profileCommand(exp, 'speedscope', {
    description: 'folded stacks → a speedscope file (open at https://www.speedscope.app or `npx speedscope <file>`)',
    input: 'a run directory (every probe with stacks, one profile each) or a .folded file',
    out: 'file to write, - for stdout (default: <run>/stacks/profiles.speedscope.json, or beside the folded file)',
  }).action(
    action(async (input: string, flags: ProfileFlags) => {
      const src = await profileSource(input, flags);
      const file = toSpeedscope(src.profiles, { name: src.name, exporter: `flamebench@${toolVersion()}` });
      const out = flags.out ?? defaultSpeedscopeOut(input);
      await writeOut(out, `${JSON.stringify(file)}\n`);
      skippedWarnings(src);
      if (out !== '-') process.stderr.write(`speedscope: ${path.resolve(out)} (${src.profiles.map((p) => p.name).join(', ')})\n`);
      return 0;
    }),
  );

  profileCommand(exp, 'pprof', {
    description: 'folded stacks → gzipped pprof protobuf, one file per probe (Pyroscope, Grafana, go tool pprof)',
    input: 'a run directory (one .pb.gz per probe) or a .folded file',
    out: 'file to write (one profile; - for stdout), or a directory (several); default: beside the folded file, or <run>/stacks/<probe>.pb.gz',
  }).action(
    action(async (input: string, flags: ProfileFlags) => {
      const src = await profileSource(input, flags);
      const fromFolded = !(await isDir(input));
      const single = src.profiles.length === 1;
      if (flags.out === '-' && !single) throw invalidInput('E_USAGE', `-o - takes one profile; ${src.name} has ${src.profiles.length}`, 'Choose one with --probe <id>.');
      const outDirGiven = flags.out !== undefined && flags.out !== '-' && (!single || (await isDir(flags.out)));
      const opts = src.durationNanos ? { durationNanos: src.durationNanos } : {};
      for (const p of src.profiles) {
        const out = outDirGiven
          ? path.join(flags.out as string, `${p.name}.pb.gz`)
          : (flags.out ?? (fromFolded ? path.resolve(input).replace(/(\.folded)?$/, '.pb.gz') : runPaths(input).pprof(p.name)));
        await writeOut(out, encodePprof(p, opts));
        if (out !== '-') process.stderr.write(`pprof: ${path.resolve(out)} (${p.name}, ${p.unit})\n`);
      }
      skippedWarnings(src);
      return 0;
    }),
  );

  exp
    .command('benchmark-action')
    .description("a run (or the median of a dir of repeats) as github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter JSON, on stdout")
    .argument('<dir>', 'run directory or directory of repeats')
    .option('--bigger', 'the bigger-is-better metrics (rps) for tool: customBiggerIsBetter; default: the smaller-is-better ones (latency, CPU, errors)')
    .option('--label <text>', 'label of the point (default: the run\'s --label, else git describe)')
    .action(
      action(async (dir: string, flags: { bigger?: boolean; label?: string }) => {
        const [point] = await historyPoints([dir], flags.label ? [flags.label] : []);
        process.stdout.write(`${JSON.stringify(toBenchmarkAction(point!, flags.bigger ? 'bigger' : 'smaller'), null, 2)}\n`);
        return 0;
      }),
    );

  exp
    .command('bencher')
    .description('runs (or dirs of repeats) in Bencher Metric Format (BMF) JSON on stdout, one benchmark per scenario/variant: bencher run --adapter json')
    .argument('<dirs...>', 'run directories or directories of repeats')
    .action(
      action(async (dirs: string[]) => {
        process.stdout.write(`${JSON.stringify(toBencher(await historyPoints(dirs)), null, 2)}\n`);
        return 0;
      }),
    );
}

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null))?.isDirectory() ?? false;
}
