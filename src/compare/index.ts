/** compare/: statistics over repeats, thresholds, verdict, differential flame graphs, markdown/JUnit/HTML. */
export { compareRuns, compareMetric, type CompareOptions } from './compare.js';
export { writeComparison, type WrittenComparison } from './write.js';
export { resolveRunDirs } from './read.js';
export { parseThresholdRule, DEFAULT_THRESHOLDS } from './thresholds.js';
export { renderMarkdown } from './markdown.js';
export { renderJunit } from './junit.js';
export type * from './types.js';
