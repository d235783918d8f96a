/**
 * The stacks stage: the folded model and the parsers that produce it.
 * Entry points: collapsePerf / collapsePerfStream (perf script, = stackcollapse-perf.pl),
 * collapseStap (SystemTap toolkit, = stackcollapse-stap.pl + fix-lua-bt), collapseBpftrace.
 */
export * from './folded.js';
export { collapsePerf, collapsePerfStream, createPerfCollapser } from './perf.js';
export type { PerfCollapseOptions, PerfCollapseResult, PerfCollapser, PerfParseReport } from './perf.js';
export { collapseStap, collapseStapStream, createStapCollapser, stapFrame } from './stap.js';
export type { StapCollapseOptions, StapParseReport } from './stap.js';
export { createLuaBtFixer, luaFunctionAt, luaModuleName } from './lua-bt.js';
export type { LuaSourceReader } from './lua-bt.js';
export { collapseBpftrace, collapseBpftraceStream, createBpftraceCollapser } from './bpftrace.js';
export type { BpftraceCollapseOptions, BpftraceParseReport } from './bpftrace.js';
export { openInput, sniff } from './input.js';
export type { InputKind, OpenedInput } from './input.js';
