/**
 * `flamebench run` on a scenario without variants (or one --variant): one run, or `--repeat N`
 * runs nested as <out>/<1..N>/ (a directory of repeats, as compare and history read it), then
 * the `-t` checks on the median over the repeats. Exit: the first failing run's code, else the
 * checks' (99 violated, 98 not checkable), else 0.
 */
import path from 'node:path';
import { reportError } from './action.js';
import { runSummaryJson } from './summary.js';
import { styleFor } from '../util/style.js';
import { checkAbsolute, checksExitCode, requireAbsolute } from '../compare/absolute.js';
import { readRunForCompare } from '../compare/read.js';
import type { ThresholdCheck } from '../compare/types.js';
import { invalidInput } from '../errors.js';
import { runScenario } from '../orchestrator/index.js';
import { runDirName, runPaths, seriesPaths } from '../runs/paths.js';
import type { Scenario, ThresholdSpec } from '../scenario/types.js';

export interface SingleFlags {
  out?: string;
  reportsDir: string;
  quiet: boolean;
  json: boolean;
  report: boolean;
  repeat?: string;
  label?: string;
  /** The scenario file's warnings (deprecated keys), for run.json. */
  scenarioWarnings: readonly string[];
  thresholds: ThresholdSpec[];
  signal: AbortSignal;
}

/** `--repeat` without variants: a whole number of runs; `auto` decides a comparison, and there is none. */
export function singleRepeats(flag: string | undefined): number {
  if (flag === undefined) return 1;
  const n = Number(flag.trim());
  if (Number.isInteger(n) && n >= 1 && n <= 1000) return n;
  throw invalidInput(
    'E_BAD_FLAG',
    `--repeat ${flag}: a scenario without variants takes a whole number of runs (1 to 1000)`,
    '`auto` repeats A/B pairs until a comparison is decided; here give a number, e.g. --repeat 5, and compare the directory of repeats later.',
  );
}

export async function runSingleCommand(scenario: Scenario, flags: SingleFlags): Promise<number> {
  requireAbsolute(flags.thresholds);
  const repeats = singleRepeats(flags.repeat);
  const reportsDir = path.resolve(flags.reportsDir);
  // Repeats share one parent folder; a single run keeps its usual name (or --out).
  const parent = repeats > 1 ? seriesPaths(flags.out ? flags.out : path.join(reportsDir, runDirName(scenario.name, new Date()))) : null;
  const dirs: string[] = [];
  const summaries: Array<Record<string, unknown>> = [];
  let failure: number | null = null;
  // One run checks its own limits (they go into its run.json and report); a series', on its median, come after it.
  let ownChecks: ThresholdCheck[] | null = null;
  for (let rep = 1; rep <= repeats && failure === null; rep++) {
    if (parent && !flags.quiet) process.stderr.write(`[repeat ${rep}/${repeats}] ${scenario.name} → ${parent.repeat(null, rep)}\n`);
    const outDir = parent ? parent.repeat(null, rep) : flags.out ? path.resolve(flags.out) : undefined;
    try {
      const outcome = await runScenario(scenario, {
        reportsDir,
        ...(outDir ? { outDir } : {}),
        ...(parent ? { repeat: rep } : {}),
        ...(flags.label !== undefined ? { label: flags.label } : {}),
        scenarioWarnings: flags.scenarioWarnings,
        ...(parent ? {} : { thresholds: flags.thresholds }),
        quiet: flags.quiet,
        signal: flags.signal,
        noReport: !flags.report,
      });
      if (outcome.error) {
        // A run that failed after its directory existed: the directory keeps what was measured.
        failure = reportError(outcome.error);
        process.stderr.write(`partial results: ${outcome.dir}\n`);
        if (flags.json) summaries.push(await runSummaryJson(outcome.dir));
        continue;
      }
      dirs.push(outcome.dir);
      if (!parent) ownChecks = outcome.checks;
      if (outcome.exitCode !== 0) failure = outcome.exitCode;
      if (flags.json) summaries.push(await runSummaryJson(outcome.dir));
      else process.stdout.write(`report: ${runPaths(outcome.dir).report}\n`);
    } catch (e) {
      failure = reportError(e);
    }
  }
  if (parent && !flags.json) process.stdout.write(`repeats: ${parent.dir}\n`);

  // Checks only on runs that completed: a failed run already has its own exit code.
  const checks: ThresholdCheck[] =
    failure !== null || flags.thresholds.length === 0 ? [] : (ownChecks ?? checkAbsolute(await Promise.all(dirs.map(readRunForCompare)), flags.thresholds));
  const exitCode = failure ?? checksExitCode(checks);
  if (flags.json) {
    const body = repeats > 1 ? { dir: parent?.dir, runs: summaries } : (summaries[0] ?? {});
    process.stdout.write(`${JSON.stringify({ ...body, ...(flags.thresholds.length ? { checks } : {}), exitCode }, null, 2)}\n`);
  } else if (checks.length > 0) {
    process.stdout.write(formatChecks(checks, styleFor(process.stdout)));
  }
  return exitCode;
}

/** One line per check: mark, metric, rule, why; then the outcome. */
export function formatChecks(checks: readonly ThresholdCheck[], style: ReturnType<typeof styleFor>): string {
  const lines = checks.map((c) => {
    const mark = c.status === 'inconclusive' ? style.warn(style.color ? '?' : '[inconclusive]') : style.mark(c.status === 'pass');
    return `  ${mark} ${c.metric} ${c.rule}: ${c.reason}`;
  });
  const failed = checks.filter((c) => c.status === 'fail').length;
  const open = checks.filter((c) => c.status === 'inconclusive').length;
  const outcome = failed > 0 ? style.bad(`${failed} of ${checks.length} threshold(s) failed`) : open > 0 ? style.warn(`${open} threshold(s) could not be checked`) : style.ok(`all ${checks.length} threshold(s) met`);
  return `thresholds:\n${lines.join('\n')}\n${outcome}\n`;
}
