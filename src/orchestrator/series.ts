/**
 * The A/B series of a scenario with `variants:`: runs the variants interleaved (A B A B …) so
 * that the drift of a shared machine hits every variant alike, and compares each variant after
 * the first against the first. With `repeat: N` it runs N rounds and compares once; with
 * `repeat: auto` it looks at the data after each round from `minRepeats` on, with the
 * group-sequential intervals of src/compare/sequential.ts, and stops as soon as every comparison
 * is decided or the budget (`maxRepeats`, `maxSeconds`) is spent — then it is inconclusive.
 */
import path from 'node:path';
import { compareRuns } from '../compare/compare.js';
import type { Look } from '../compare/sequential.js';
import type { Comparison, OnInconclusive } from '../compare/types.js';
import { writeComparison, type WrittenComparison } from '../compare/write.js';
import { ExitCode, FlamebenchError, invalidInput, isFlamebenchError, type ErrorRecord, toErrorRecord } from '../errors.js';
import { seriesPaths } from '../runs/paths.js';
import type { Scenario } from '../scenario/types.js';
import { expandVariants } from '../scenario/variants.js';
import type { runScenario } from './index.js';

export interface RunVariantsOptions {
  /** reports/<id>: runs go to <outDir>/<variant>/<rep>/, the comparison to <outDir>/compare.*. */
  outDir: string;
  quiet: boolean;
  signal?: AbortSignal;
  /** The runner (runScenario); a parameter so the interleaving can be tested without nginx. */
  run: typeof runScenario;
  junit?: boolean;
  /** Passed through to the runner: skip each run's report.html. */
  noReport?: boolean;
  /** Exit code of an inconclusive verdict: 98 (default), 0 (pass) or 99 (fail). */
  onInconclusive?: OnInconclusive;
  /** Error rate of each one-sided decision; default 0.05. */
  alpha?: number;
  /** Progress lines (default: stderr unless quiet). */
  log?: (line: string) => void;
  /** Clock in ms, for the time budget (tests pass a fake one). */
  now?: () => number;
}

export interface VariantRunRecord {
  variant: string;
  repeat: number;
  dir: string;
  exitCode: number;
  error: ErrorRecord | null;
}

export interface VariantComparison {
  candidate: string;
  comparison: Comparison;
  written: WrittenComparison;
}

/** How the series ended. */
export interface SeriesSummary {
  mode: 'fixed' | 'auto';
  /** Rounds run (runs per variant, failed ones included). */
  rounds: number;
  /** fixed: ran `repeat` rounds; decided: every comparison decided; maxRepeats / maxSeconds: budget spent. */
  stoppedBy: 'fixed' | 'decided' | 'maxRepeats' | 'maxSeconds';
  seconds: number;
}

export interface VariantsOutcome {
  dir: string;
  /** In the order they ran: A1 B1 A2 B2 … */
  runs: VariantRunRecord[];
  /** Each variant after the first against the first. */
  comparisons: VariantComparison[];
  series: SeriesSummary;
  /** 99 if a comparison found a regression, else 98 if one is inconclusive (per onInconclusive), else the worst run exit code that did not stop the series, else 0. */
  exitCode: number;
}


/** Errors that would repeat on every run (no nginx, bad config) or that the user asked for (Ctrl-C) end the series. */
function stopsSeries(e: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return isFlamebenchError(e) && (e.kind === 'environment' || e.kind === 'invalidInput' || e.kind === 'interrupted');
}

/** One candidate's state across the looks of an auto series. */
interface Track {
  name: string;
  /** Pairs at each look so far. */
  pairs: number[];
  decided: boolean;
  last: Comparison | null;
  /** The runs of the last look: a decided comparison is reported on the data it was decided on. */
  looked: { a: string[]; b: string[] } | null;
  /** Whether the last look was the final one (budget spent): its unconfirmed pass must stay a pass in the report. */
  lookedFinal: boolean;
}

export async function runVariants(scenario: Scenario, opts: RunVariantsOptions): Promise<VariantsOutcome> {
  const variants = expandVariants(scenario);
  if (scenario.variants.length < 2) {
    throw invalidInput('E_VARIANTS_TOO_FEW', `scenario "${scenario.name}" declares ${scenario.variants.length} variant(s); a comparison needs two or more`, 'Add a second entry under `variants:`, or run it with `flamebench run`.');
  }
  const log = opts.log ?? ((line: string) => (opts.quiet ? undefined : process.stderr.write(`${line}\n`)));
  const now = opts.now ?? Date.now;
  const auto = scenario.repeat === 'auto';
  const rounds = scenario.repeat === 'auto' ? scenario.maxRepeats : Math.max(1, scenario.repeat);
  const firstLook = auto ? Math.min(Math.max(2, scenario.minRepeats), rounds) : rounds;
  const outDir = path.resolve(opts.outDir);
  const series = seriesPaths(outDir);
  const baseline = variants[0]?.variant as string;
  const runs: VariantRunRecord[] = [];
  const tracks: Track[] = variants.slice(1).map((v) => ({ name: v.variant as string, pairs: [], decided: false, last: null, looked: null, lookedFinal: false }));
  const dirsOf = (name: string) => runs.filter((r) => r.variant === name && r.error === null).map((r) => r.dir);
  const compareOpts = (name: string) => ({
    thresholds: scenario.thresholds,
    thresholdSource: 'scenario' as const,
    ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}),
    ...(opts.onInconclusive ? { onInconclusive: opts.onInconclusive } : {}),
    // One series runs on one machine; a variant may change the nginx binary (nginx -V) on purpose.
    allowCrossMachine: true,
    baselineLabel: series.variant(baseline),
    candidateLabel: series.variant(name),
  });
  const started = now();
  let stoppedBy: SeriesSummary['stoppedBy'] = auto ? 'maxRepeats' : 'fixed';
  let rep = 0;
  while (rep < rounds) {
    rep++;
    for (const v of variants) {
      const name = v.variant as string;
      const dir = series.repeat(name, rep);
      log(`[${auto ? `round ${rep} of at most ${rounds}` : `${runs.length + 1}/${rounds * variants.length}`}] variant ${name}, repeat ${rep} → ${dir}`);
      const failedRun = (e: unknown, at: string): void => {
        if (stopsSeries(e, opts.signal)) throw e;
        const code = isFlamebenchError(e) ? e.exitCode : ExitCode.internal;
        runs.push({ variant: name, repeat: rep, dir: at, exitCode: code, error: toErrorRecord(e) });
        log(`  run failed (${toErrorRecord(e).message}); continuing with the next run`);
      };
      try {
        const outcome = await opts.run(v, {
          reportsDir: outDir,
          outDir: dir,
          quiet: opts.quiet,
          repeat: rep,
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.noReport ? { noReport: true } : {}),
        });
        if (outcome.error) failedRun(outcome.error, outcome.dir);
        else runs.push({ variant: name, repeat: rep, dir: outcome.dir, exitCode: outcome.exitCode, error: null });
      } catch (e) {
        failedRun(e, dir);
      }
    }
    if (!auto || rep < firstLook) continue;
    const elapsed = (now() - started) / 1000;
    // The next round would overrun the time budget if it takes as long as the average so far.
    const outOfTime = elapsed + elapsed / rep > scenario.maxSeconds;
    const final = rep >= rounds || outOfTime;
    for (const t of tracks) {
      if (t.decided) continue;
      const a = dirsOf(baseline);
      const b = dirsOf(t.name);
      const pairs = Math.min(a.length, b.length);
      if (pairs < 2 || (t.pairs.length > 0 && pairs <= (t.pairs[t.pairs.length - 1] as number) && !final)) continue;
      if (t.pairs.length === 0 || pairs > (t.pairs[t.pairs.length - 1] as number)) t.pairs.push(pairs);
      const look: Look = { pairs: t.pairs, maxRepeats: rounds, final };
      t.last = await compareRuns(a, b, { ...compareOpts(t.name), look, probes: false });
      t.looked = { a, b };
      t.lookedFinal = final;
      t.decided = t.last.verdict.status !== 'inconclusive';
      log(`  look ${t.pairs.length} (${pairs} vs ${pairs} runs, ${elapsed.toFixed(0)} s): ${t.name} vs ${baseline} ${t.last.verdict.headline}`);
    }
    if (tracks.every((t) => t.decided)) {
      stoppedBy = 'decided';
      break;
    }
    if (final) {
      stoppedBy = rep >= rounds ? 'maxRepeats' : 'maxSeconds';
      break;
    }
  }
  if (auto && stoppedBy !== 'decided') log(`budget spent (${stoppedBy === 'maxRepeats' ? `${rounds} runs per variant` : `${scenario.maxSeconds} s`}) without a decision: inconclusive`);

  const comparisons: VariantComparison[] = [];
  for (const t of tracks) {
    const a = t.looked?.a ?? dirsOf(baseline);
    const b = t.looked?.b ?? dirsOf(t.name);
    if (a.length === 0 || b.length === 0) {
      throw new FlamebenchError('E_VARIANT_NO_RUNS', `no successful run of variant "${a.length === 0 ? baseline : t.name}" to compare`, `see the run directories under ${outDir}`);
    }
    // The final report uses the look that stopped the series, so it shows the interval that decided.
    const look: Look | undefined = auto && t.pairs.length > 0 ? { pairs: t.pairs, maxRepeats: rounds, final: !t.decided || t.lookedFinal } : undefined;
    const comparison = await compareRuns(a, b, { ...compareOpts(t.name), ...(look ? { look } : {}) });
    const dir = series.comparison(t.name, variants.length - 1);
    const written = await writeComparison(dir, comparison, { junit: Boolean(opts.junit) });
    log(`compare ${baseline} vs ${t.name}: ${comparison.verdict.headline} → ${written.html}`);
    comparisons.push({ candidate: t.name, comparison, written });
  }
  const codes = comparisons.map((c) => c.comparison.verdict.exitCode);
  const worstRun = Math.max(0, ...runs.map((r) => r.exitCode));
  const exitCode = codes.includes(ExitCode.regression) ? ExitCode.regression : codes.includes(ExitCode.inconclusive) ? ExitCode.inconclusive : worstRun;
  return { dir: outDir, runs, comparisons, series: { mode: auto ? 'auto' : 'fixed', rounds: rep, stoppedBy, seconds: (now() - started) / 1000 }, exitCode };
}
