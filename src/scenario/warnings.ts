import { BUILTIN_TEMPLATE_VARIABLES } from './defaults.js';
import type { OpenrestySpec } from './types.js';

/**
 * Things a valid scenario does that do not do what they seem to. A user variable named like a
 * built-in ({{port}}, {{host}}, …) is replaced by the built-in when the config is rendered.
 */
export function openrestyWarnings(spec: Pick<OpenrestySpec, 'variables'>): string[] {
  const builtins = new Set<string>(BUILTIN_TEMPLATE_VARIABLES);
  return Object.keys(spec.variables)
    .filter((k) => builtins.has(k))
    .map((k) => `openresty.variables.${k} is ignored: {{${k}}} is a built-in and the built-in wins (rename the variable${k === 'port' ? '; the port nginx listens on is openresty.port' : ''})`);
}
