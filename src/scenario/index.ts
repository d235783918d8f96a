/** Scenario stage: YAML → validated, defaulted Scenario (schema in schema/scenario.schema.json). */
export {
  loadScenario,
  loadScenarioWithWarnings,
  parseScenario,
  parseScenarioWithWarnings,
  checkScenarioText,
  readScenarioFile,
  nodeIo,
  type LoadedScenario,
  type ScenarioCheck,
} from './parse.js';
export { applyVariant, expandVariants, withVariantRoot } from './variants.js';
export { formatProblem, type ScenarioProblem, type ScenarioWarning } from './problems.js';
export type { ScenarioIo } from './sections.js';
export { DEFAULTS, BUILTIN_TEMPLATE_VARIABLES } from './defaults.js';
export { SCHEMA_URL } from './schema.js';
export { isLoopback } from './checks.js';
export { parseDuration, parseMicros, parseCpus } from './units.js';
export { CONNECTIONS_LIMITS, DURATION_LIMITS, type DurationKey } from './schema-source.js';
export type * from './types.js';
export { openrestyWarnings } from './warnings.js';
export { SCENARIO_LIMITS } from './limits.js';
