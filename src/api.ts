/**
 * flamebench's programmatic API: `import { runScenario } from 'flamebench'`. The same functions
 * the CLI calls, with their types; docs/api.md has one example each. Everything else in src/
 * is internal and may change.
 */

// Scenarios: YAML → validated, defaulted Scenario (errors list every problem with line and column).
// The *WithWarnings forms also return what the file should write another way (deprecated keys), with file:line:col.
export { loadScenario, loadScenarioWithWarnings, parseScenario, parseScenarioWithWarnings, applyVariant, formatProblem } from './scenario/index.js';
export type { LoadedScenario, ScenarioWarning } from './scenario/index.js';
export type { Scenario, LoadSpec, ProbeSpec, ThresholdSpec, VariantSpec } from './scenario/types.js';

// One run end to end: nginx, load, probes, run directory, report.html.
export { runScenario } from './orchestrator/index.js';
export type { RunOptions, RunOutcome } from './orchestrator/index.js';
export type { RunManifest, LoadResult, ProbeMeta, SteadyState, RunLabel } from './runs/types.js';

// Comparing runs (or directories of repeats): statistics, thresholds, verdict.
export { compareRuns, resolveRunDirs, parseThresholdRule, renderMarkdown, renderJunit, writeComparison } from './compare/index.js';
export type { CompareOptions, Comparison, ThresholdCheck } from './compare/index.js';
export { checkAbsolute, checksExitCode } from './compare/absolute.js';
export { readRunForCompare } from './compare/read.js';
export { historyPoints, type HistoryPoint } from './compare/history.js';

// Folded stacks: collapse `perf script` text, parse/format folded files.
export { collapsePerf, parseFolded, formatFolded, totalWeight } from './stacks/index.js';
export type { Folded, PerfCollapseOptions, PerfCollapseResult } from './stacks/index.js';

// Flame graphs: folded stacks → standalone interactive SVG.
export { renderSvg as renderFlameGraph } from './flamegraph/index.js';
export type { FlameGraphOptions } from './flamegraph/index.js';

// Reports and exports.
export { renderRunReport } from './report/index.js';
export { toSpeedscope, type SpeedscopeFile } from './export/speedscope.js';
export { encodePprof } from './export/pprof.js';
export { readExportSource, type ExportSource } from './export/read.js';
export type { ExportProfile } from './export/profile.js';
export { toBenchmarkAction, toBencher } from './export/trend.js';

// The metric catalogue and the threshold grammar.
export { METRIC_CATALOGUE, parseCondition } from './metrics/index.js';
export type { MetricName, MetricInfo } from './metrics/index.js';

// Errors and exit codes.
export { FlamebenchError, ExitCode, isFlamebenchError } from './errors.js';
export type { ErrorKind } from './errors.js';
