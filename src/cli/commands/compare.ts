import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../action.js';
import { invalidInput } from '../../errors.js';
import { resolveBaseline, saveBaseline } from '../../compare/baseline.js';
import { compareRuns, parseThresholdRule, renderMarkdown, resolveRunDirs, writeComparison } from '../../compare/index.js';
import { readRunForCompare } from '../../compare/read.js';
import { parseOnInconclusive } from '../on-inconclusive.js';
import type { ThresholdSpec } from '../../scenario/types.js';

interface CompareFlags {
  out?: string;
  junit?: boolean;
  json?: boolean;
  threshold: string[];
  baseline?: string;
  saveBaseline?: string;
  reportsDir: string;
  alpha: string;
  onInconclusive?: string;
  allowCrossMachine?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'Compare a candidate run (or a dir of repeats) with a baseline: statistics, thresholds, verdict (exit 99 on regression), compare.{json,md,html}',
    )
    .argument('[runs...]', '<baseline> <candidate>, or <candidate> with --baseline, or <run-dir> with --save-baseline')
    .option('-o, --out <dir>', 'where to write compare.* (default: <reports-dir>/compare-<baseline>-vs-<candidate>)')
    .option('--junit', 'also write compare.junit.xml (one testcase per threshold check)')
    .option('--json', 'print compare.json on stdout instead of the markdown summary')
    .option('-t, --threshold <rule>', 'threshold, repeatable; replaces the scenario\'s: cpuUsPerRequest=+5%  rps=-5%  "rps: drop <= 5%"  latencyP99Us<=5ms  errors==0', collect, [])
    .option('-b, --baseline <dir-or-name>', 'baseline run dir, dir of repeats, or a name saved with --save-baseline')
    .option('--save-baseline <name>', 'save the given run dir (or dir of repeats) as the named baseline, then exit')
    .option('--reports-dir <dir>', 'reports folder (baselines live in <reports-dir>/baselines/<name>)', 'reports')
    .option('--alpha <p>', 'error rate of each one-sided decision (regression / pass); intervals are 1 - 2*alpha', '0.05')
    .option('--on-inconclusive <policy>', 'exit code of an inconclusive verdict: inconclusive (98, default), pass (0) or fail (99)')
    .option('--allow-cross-machine', 'judge even when the sides ran on different machines (CPU model, kernel, cores, nginx -V); otherwise inconclusive')
    .addHelpText(
      'after',
      `
Each side is one run directory or a directory whose subdirectories are runs (repeats).
Per relative threshold, the interval of the change (Welch t on log values) decides: wholly beyond
the limit = regression, wholly on the allowed side = pass, wholly beyond the limit mirrored =
improvement. An interval across the limit passes (unconfirmed) if its estimate is within the
limit, and is inconclusive if the estimate is beyond it; 1 vs 1 runs cannot be tested at all.
Absolute thresholds apply to the candidate's median. Sides from different machines are
inconclusive unless --allow-cross-machine. Thresholds: --threshold flags, else the candidate
scenario's thresholds, else the defaults rps=-5% and cpuUsPerRequest=+5%.
Exit codes: 0 pass or improvement, 99 regression, 98 inconclusive (see --on-inconclusive),
2 invalid input.`,
    )
    .action(
      action(async (runs: string[], flags: CompareFlags) => {
        if (flags.saveBaseline) {
          if (runs.length !== 1) throw invalidInput('E_USAGE', '--save-baseline takes exactly one run dir (or dir of repeats)', 'flamebench compare --save-baseline main reports/<run>');
          const saved = await saveBaseline(flags.reportsDir, flags.saveBaseline, runs[0] as string);
          process.stdout.write(`saved baseline "${flags.saveBaseline}" (${saved.runs.length} run${saved.runs.length === 1 ? '' : 's'}): ${saved.dir}\n`);
          return 0;
        }
        let baselineInput: string;
        let candidateInput: string;
        if (flags.baseline) {
          if (runs.length !== 1) throw invalidInput('E_USAGE', 'with --baseline, pass exactly one candidate run dir', 'flamebench compare --baseline main reports/<run>');
          baselineInput = await resolveBaseline(flags.reportsDir, flags.baseline);
          candidateInput = runs[0] as string;
        } else {
          if (runs.length !== 2) throw invalidInput('E_USAGE', `expected <baseline> <candidate>, got ${runs.length} argument(s)`, 'flamebench compare reports/<baseline-run> reports/<candidate-run>');
          [baselineInput, candidateInput] = runs as [string, string];
        }
        const alpha = Number(flags.alpha);
        if (!(alpha > 0 && alpha < 0.5)) throw invalidInput('E_BAD_ALPHA', `--alpha ${flags.alpha} is not between 0 and 0.5`, 'e.g. --alpha 0.05');
        const baselineDirs = await resolveRunDirs(baselineInput);
        const candidateDirs = await resolveRunDirs(candidateInput);

        let thresholds: ThresholdSpec[];
        let source: 'cli' | 'scenario';
        if (flags.threshold.length > 0) {
          thresholds = flags.threshold.map(parseThresholdRule);
          source = 'cli';
        } else {
          const first = await readRunForCompare(candidateDirs[0] as string);
          thresholds = first.manifest.scenario?.thresholds ?? [];
          source = 'scenario';
        }
        const onInconclusive = parseOnInconclusive(flags.onInconclusive);
        const comparison = await compareRuns(baselineDirs, candidateDirs, {
          thresholds,
          thresholdSource: source,
          alpha,
          onInconclusive,
          allowCrossMachine: Boolean(flags.allowCrossMachine),
          baselineLabel: path.resolve(baselineInput),
          candidateLabel: path.resolve(candidateInput),
        });
        const out = flags.out ?? path.join(flags.reportsDir, `compare-${safe(path.basename(path.resolve(baselineInput)))}-vs-${safe(path.basename(path.resolve(candidateInput)))}`);
        const written = await writeComparison(out, comparison, { junit: Boolean(flags.junit) });
        if (flags.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
        else {
          process.stdout.write(renderMarkdown(comparison));
          process.stdout.write(`\nreport: ${written.html}\n`);
        }
        for (const w of comparison.warnings) process.stderr.write(`warning: ${w}\n`);
        return comparison.verdict.exitCode;
      }),
    );
}
