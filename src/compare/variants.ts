import path from 'node:path';
import { FlamebenchError, invalidInput, isFlamebenchError, type ErrorRecord, toErrorRecord } from '../errors.js';
import type { runScenario } from '../run/index.js';
import type { Scenario } from '../scenario/types.js';
import { expandVariants } from '../scenario/variants.js';
import { compareRuns } from './compare.js';
import type { Comparison } from './types.js';
import { writeComparison, type WrittenComparison } from './write.js';

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
  /** Progress lines (default: stderr unless quiet). */
  log?: (line: string) => void;
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

export interface VariantsOutcome {
  dir: string;
  /** In the order they ran: A1 B1 A2 B2 … */
  runs: VariantRunRecord[];
  /** Each variant after the first against the first. */
  comparisons: VariantComparison[];
  /** 99 if any comparison failed, else the worst run exit code that did not stop the series, else 0. */
  exitCode: number;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** Errors that would repeat on every run (no nginx, bad config) or that the user asked for (Ctrl-C) end the series. */
function stopsSeries(e: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return isFlamebenchError(e) && (e.kind === 'environment' || e.kind === 'invalidInput' || e.kind === 'interrupted');
}

/**
 * Runs the scenario's variants interleaved (A B A B …, `repeat` rounds), so that the drift of a
 * shared machine hits every variant alike, then compares each variant after the first against
 * the first. Two variants: <outDir>/compare.*; more: <outDir>/compare-<variant>/compare.*.
 */
export async function runVariants(scenario: Scenario, opts: RunVariantsOptions): Promise<VariantsOutcome> {
  const variants = expandVariants(scenario);
  if (scenario.variants.length < 2) {
    throw invalidInput('E_VARIANTS_TOO_FEW', `scenario "${scenario.name}" declares ${scenario.variants.length} variant(s); a comparison needs two or more`, 'Add a second entry under `variants:`, or run it with `flamebench run`.');
  }
  const log = opts.log ?? ((line: string) => (opts.quiet ? undefined : process.stderr.write(`${line}\n`)));
  const rounds = Math.max(1, scenario.repeat);
  const outDir = path.resolve(opts.outDir);
  const runs: VariantRunRecord[] = [];
  for (let rep = 1; rep <= rounds; rep++) {
    for (const v of variants) {
      const name = v.variant as string;
      const dir = path.join(outDir, safe(name), String(rep));
      log(`[${runs.length + 1}/${rounds * variants.length}] variant ${name}, repeat ${rep}/${rounds} → ${dir}`);
      try {
        const outcome = await opts.run(v, {
          reportsDir: outDir,
          outDir: dir,
          quiet: opts.quiet,
          repeat: rep,
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.noReport ? { noReport: true } : {}),
        });
        runs.push({ variant: name, repeat: rep, dir: outcome.dir, exitCode: outcome.exitCode, error: null });
      } catch (e) {
        if (stopsSeries(e, opts.signal)) throw e;
        const code = isFlamebenchError(e) ? e.exitCode : 1;
        runs.push({ variant: name, repeat: rep, dir, exitCode: code, error: toErrorRecord(e) });
        log(`  run failed (${toErrorRecord(e).message}); continuing with the next run`);
      }
    }
  }

  const dirsOf = (name: string) => runs.filter((r) => r.variant === name && r.error === null).map((r) => r.dir);
  const baseline = variants[0]?.variant as string;
  const comparisons: VariantComparison[] = [];
  for (const v of variants.slice(1)) {
    const name = v.variant as string;
    const a = dirsOf(baseline);
    const b = dirsOf(name);
    if (a.length === 0 || b.length === 0) {
      throw new FlamebenchError('runFailed', 'E_VARIANT_NO_RUNS', `no successful run of variant "${a.length === 0 ? baseline : name}" to compare`, `see the run directories under ${outDir}`);
    }
    const comparison = await compareRuns(a, b, {
      thresholds: scenario.thresholds,
      thresholdSource: 'scenario',
      baselineLabel: path.join(outDir, safe(baseline)),
      candidateLabel: path.join(outDir, safe(name)),
    });
    const dir = variants.length === 2 ? outDir : path.join(outDir, `compare-${safe(name)}`);
    const written = await writeComparison(dir, comparison, { junit: Boolean(opts.junit) });
    log(`compare ${baseline} vs ${name}: ${comparison.verdict.status.toUpperCase()} → ${written.html}`);
    comparisons.push({ candidate: name, comparison, written });
  }
  const failedVerdict = comparisons.some((c) => c.comparison.verdict.status === 'fail');
  const worstRun = Math.max(0, ...runs.map((r) => r.exitCode));
  return { dir: outDir, runs, comparisons, exitCode: failedVerdict ? 99 : worstRun };
}
