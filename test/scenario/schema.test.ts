import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL } from '../../src/scenario/index.js';
import { buildSchema, SCHEMA_ID } from '../../src/scenario/schema-source.js';

type Node = Record<string, unknown>;
const committed = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Node;

/** Every schema under `properties` / `patternProperties`, with its JSON pointer. */
function properties(node: unknown, at = '', out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if ((k === 'properties' || k === 'patternProperties') && v && typeof v === 'object') {
        for (const [name, sub] of Object.entries(v as Node)) out.push([`${at}/${k}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, sub as Node]);
      }
      if (k !== 'examples' && k !== 'default') properties(v, `${at}/${k}`, out);
    }
  }
  return out;
}

describe('schema/scenario.schema.json', () => {
  it('is what src/scenario/schema-source.ts generates (regenerate: npx tsx src/scenario/schema-source.ts > schema/scenario.schema.json)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildSchema())));
  });

  it('is a standalone draft 2020-12 schema with $id, title and description', () => {
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(committed.$id).toBe(SCHEMA_ID);
    expect(typeof committed.title).toBe('string');
    expect(typeof committed.description).toBe('string');
    expect(JSON.stringify(committed)).not.toMatch(/"\$ref":"(?!#)/);
  });

  const props = properties(committed);
  it('has many properties to describe', () => {
    expect(props.length).toBeGreaterThan(80);
  });

  it.each(props.map(([p, s]) => [p, s] as const))('%s has a description and examples that validate', (ptr, s) => {
    expect(typeof s.description, `${ptr} description`).toBe('string');
    expect(Array.isArray(s.examples) && (s.examples as unknown[]).length > 0, `${ptr} examples`).toBe(true);
    const ajv = new Ajv2020({ allowUnionTypes: true, discriminator: true, strict: false });
    ajv.addSchema(committed);
    const validate = ajv.getSchema(`${SCHEMA_ID}#${ptr}`)!;
    for (const ex of s.examples as unknown[]) expect(validate(ex), `${ptr} example ${JSON.stringify(ex)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    if ('default' in s) expect(validate(s.default), `${ptr} default`).toBe(true);
  });
});
