import path from 'node:path';
import { runVariants } from '../orchestrator/series.js';
import { createRunDir, ensureDir } from '../runs/run-dir.js';
import { runScenario } from '../orchestrator/index.js';
import { parseOnInconclusive } from './on-inconclusive.js';
import type { Scenario } from '../scenario/types.js';

export interface VariantsFlags {
  out?: string;
  reportsDir: string;
  quiet: boolean;
  report: boolean;
  json?: boolean;
  onInconclusive?: string;
  signal: AbortSignal;
  label?: string;
  /** The scenario file's warnings (deprecated keys), for every run's run.json. */
  scenarioWarnings: readonly string[];
}

/** `flamebench run` on a scenario with variants: interleaved runs, then the comparison and its verdict. */
export async function runVariantsCommand(scenario: Scenario, flags: VariantsFlags): Promise<number> {
  // Created exclusively, so that two series started in the same second never share a folder.
  const outDir = flags.out ? path.resolve(flags.out) : await createRunDir(path.resolve(flags.reportsDir), scenario.name, new Date());
  if (flags.out) await ensureDir(outDir);
  const outcome = await runVariants(scenario, {
    outDir,
    quiet: flags.quiet,
    signal: flags.signal,
    run: (s, o) => runScenario(s, { ...o, scenarioWarnings: flags.scenarioWarnings, ...(flags.label !== undefined ? { label: flags.label } : {}) }),
    noReport: !flags.report,
    onInconclusive: parseOnInconclusive(flags.onInconclusive),
  });
  if (flags.json) {
    const summary = {
      dir: outcome.dir,
      runs: outcome.runs,
      comparisons: outcome.comparisons.map((c) => ({
        candidate: c.candidate,
        verdict: c.comparison.verdict,
        html: c.written.html,
        json: c.written.json,
      })),
      series: outcome.series,
      exitCode: outcome.exitCode,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    for (const c of outcome.comparisons) process.stdout.write(`${c.comparison.verdict.headline}\ncompare: ${c.written.html}\n`);
  }
  return outcome.exitCode;
}
