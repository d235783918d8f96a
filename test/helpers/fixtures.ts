import path from 'node:path';

/**
 * Test data from other projects (FlameGraph, inferno), copied into test/fixtures/<origin>/ with a
 * README naming project, commit and licence: a clone with nothing beside it has all it needs.
 * FLAMEBENCH_FIXTURES may point at another folder with the same layout (more or newer data);
 * it is never required.
 */
export const FIXTURES = process.env.FLAMEBENCH_FIXTURES ?? path.resolve(import.meta.dirname, '../fixtures');

/** FlameGraph's perf inputs and stackcollapse-perf.pl outputs (see its README). */
export const FLAMEGRAPH_PERF = path.join(FIXTURES, 'flamegraph-perf');

/** inferno's difffolded inputs and expected outputs (see its README). */
export const DIFF_FOLDED = path.join(FIXTURES, 'diff-folded');
