/**
 * Validates the raw YAML data against schema/scenario.schema.json and turns ajv's errors into
 * problems a person can act on: the offending key or value, a plain message, and a hint taken
 * from the schema itself (allowed values, examples, the closest known key).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { closest, parsePointer, type RawProblem } from './problems.js';
import { thresholdExprPattern } from './schema-source.js';

const TIME_EXPR = new RegExp(thresholdExprPattern('time'), 'u');
const PCT_EXPR = new RegExp(thresholdExprPattern('percent'), 'u');

/** The same relative path works from src/scenario (tsx, vitest) and dist/scenario (built). */
export const SCHEMA_URL = new URL('../../schema/scenario.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

export function loadSchemaJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function getValidator(): ValidateFunction {
  if (!validator) {
    // strictRequired is off because `required: [kind]` sits next to the discriminator, whose
    // branches declare `kind`; everything else stays strict so schema typos fail loudly.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true, strict: true, strictRequired: false });
    validator = ajv.compile(loadSchemaJson());
  }
  return validator;
}

export function validateAgainstSchema(data: unknown): RawProblem[] {
  const validate = getValidator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const out: RawProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = toProblem(e);
    if (!p) continue;
    // Unknown keys are ignored by the conversion; a missing key at the root leaves nothing to drop.
    const dataPath = parsePointer(e.instancePath);
    if (e.keyword !== 'additionalProperties' && !(e.keyword === 'required' && dataPath.length === 0)) p.invalidates = dataPath;
    const k = `${p.path.join('/')}|${p.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

interface SchemaNode {
  title?: string;
  /** A key under its old name: accepted, never suggested. */
  deprecated?: boolean;
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
}

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);
const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', null: 'null' };

function examplesHint(s: SchemaNode | undefined): string {
  const ex = s?.examples;
  if (!ex || ex.length === 0) return firstSentence(s?.description);
  return `e.g. ${ex
    .slice(0, 3)
    .map((x) => show(x))
    .join(', ')}`;
}

function firstSentence(d: string | undefined): string {
  if (!d) return '';
  const m = /^(.*?[.:])(\s|$)/.exec(d);
  return (m ? m[1]! : d).replace(/[.:]$/, '');
}

function toProblem(e: ErrorObject): RawProblem | undefined {
  const path = parsePointer(e.instancePath);
  const parent = e.parentSchema as SchemaNode | undefined;
  const inThresholds = e.schemaPath.includes('/thresholds/');
  switch (e.keyword) {
    // if/then/else and oneOf only repeat what the branch's own errors say.
    case 'if':
    case 'oneOf':
    case 'anyOf':
      return undefined;
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.entries(parent?.properties ?? {})
        .filter(([k, s]) => k !== '$schema' && !s.deprecated)
        .map(([k]) => k);
      const guess = closest(key, known);
      let hint = guess ? `did you mean "${guess}"?` : `allowed keys: ${known.join(', ')}`;
      if (inThresholds && parent?.patternProperties) hint += guess ? '' : ', or probe:<id>';
      return { path: [...path, key], at: 'key', message: `unknown key "${key}"`, hint };
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const desc = parent?.properties?.[key]?.description;
      return { path, at: 'value', message: `missing required key "${key}"`, hint: firstSentence(desc) };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const guess = typeof e.data === 'string' ? closest(e.data, allowed.map(String)) : undefined;
      return {
        path,
        at: 'value',
        message: `${show(e.data)} is not an allowed value`,
        hint: `${guess ? `did you mean "${guess}"? ` : ''}allowed: ${allowed.map(show).join(', ')}`,
      };
    }
    case 'discriminator': {
      const params = e.params as { error: string; tag: string; tagValue: unknown };
      const kinds = (parent?.oneOf ?? []).map((b) => (b.properties?.[params.tag] as { const?: unknown } | undefined)?.const).filter((k) => k !== undefined);
      if (params.error === 'mapping') {
        const guess = typeof params.tagValue === 'string' ? closest(params.tagValue, kinds.map(String)) : undefined;
        return {
          path: [...path, params.tag],
          at: 'value',
          message: `unknown ${params.tag} ${show(params.tagValue)}`,
          hint: `${guess ? `did you mean "${guess}"? ` : ''}allowed: ${kinds.map(show).join(', ')}`,
        };
      }
      return { path, at: 'value', message: `"${params.tag}" must be a string`, hint: `one of ${kinds.map(show).join(', ')}` };
    }
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      const types = (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPE_WORDS[x] ?? x);
      return { path, at: 'value', message: `must be ${types.join(' or ')}, not ${typeName(e.data)}`, hint: examplesHint(parent) };
    }
    case 'pattern': {
      const what = parent?.title ?? (inThresholds ? 'threshold' : 'value');
      let hint = examplesHint(parent);
      if (inThresholds && typeof e.data === 'string' && /^\s*[<>](?!=)/.test(e.data)) {
        hint = `bounds are inclusive: write "${e.data.trim().replace(/^([<>])\s*/, '$1= ')}"`;
      } else if (inThresholds && typeof e.data === 'string' && (TIME_EXPR.test(e.data) || PCT_EXPR.test(e.data))) {
        hint = `that unit does not fit this metric; ${hint}`;
      }
      return { path, at: 'value', message: `${show(e.data)} is not a valid ${what}`, hint };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      return { path, at: 'value', message: `must be ${comparison} ${limit} (got ${show(e.data)})`, hint: firstSentence(parent?.description) };
    }
    default:
      return { path, at: 'value', message: e.message ?? `fails ${e.keyword}`, hint: firstSentence(parent?.description) };
  }
}
