/** metrics/: the metric catalogue and the threshold grammar shared by scenario/, compare/ and the CLI. */
export * from './catalogue.js';
export * from './condition.js';
