/**
 * Small builders for the JSON Schemas (draft-07, the dialect AsyncAPI 3.0 schemas are a superset of) that
 * define the event contract. Schemas are plain data: the same objects feed ajv at runtime, the committed
 * `libs/contracts/schemas/*.json` files and the AsyncAPI document.
 */

import { PERSONAL_NUMBER_PATTERN } from './vocabulary';

/** A JSON Schema: an object, or `true`/`false` (anything / nothing). */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  readonly [keyword: string]: unknown;
}

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/**
 * ISO-8601 / RFC 3339 date-time with an explicit offset (`Z` or `±HH:MM`) and an upper-case `T`. ajv-formats'
 * `date-time` also checks the calendar (no 31 February) and requires the offset; the pattern removes the
 * lower-case and space separators RFC 3339 tolerates.
 */
export const TIMESTAMP_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

/** Shared scalar definitions, referenced as `#/definitions/<Name>` (AsyncAPI: `#/components/schemas/<Name>`). */
export const SCHEMA_DEFINITIONS = {
  Timestamp: {
    type: 'string',
    format: 'date-time',
    pattern: TIMESTAMP_PATTERN,
    description: 'ISO-8601 date-time with an explicit offset, e.g. 2025-11-23T09:30:00+07:00.',
  },
  NullableTimestamp: {
    type: ['string', 'null'],
    format: 'date-time',
    pattern: TIMESTAMP_PATTERN,
    description: 'ISO-8601 date-time with an explicit offset, or null when there is none.',
  },
  Uuid: { type: 'string', format: 'uuid', description: 'RFC 4122 UUID.' },
  DossierId: {
    type: 'string',
    pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*-\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])-\\d{4,}$',
    maxLength: 64,
    description:
      'Dossier code (mã hồ sơ) {receiving unit code}-{yyMMdd}-{NNNN}, e.g. 000.00.15.H56-230719-0001.',
  },
  UnitCode: {
    type: 'string',
    // and never a CCCD/CMND or phone number written in groups (`001-077-005-555`): agency codes are public
    pattern: `^(?!.*${PERSONAL_NUMBER_PATTERN})[A-Za-z0-9]+([.\\-][A-Za-z0-9]+)*$`,
    maxLength: 35,
    description:
      'Electronic agency code (mã định danh điện tử, QĐ 20/2020/QĐ-TTg), an opaque dotted string, e.g. 000.00.15.H56.',
  },
  ProcedureCode: {
    type: 'string',
    pattern: '^\\d\\.\\d{6}(\\.[A-Za-z0-9]+)*$',
    maxLength: 64,
    description:
      'Procedure code (mã TTHC) of the national TTHC database, e.g. 1.000948 or 1.000948.H38.',
  },
  Code: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    // no white space (a code is not free text) and no CCCD/CMND or phone number, bare or in groups: codes travel on
    // the public topic and become statistics dimensions (`S:<sectorCode>`), which must never hold personal data
    // a UUID (processing's step ids) always passes: its hex groups can look like a grouped number (`0412-4863-9123`)
    pattern: `^(?:[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|(?!\\d{9,12}$)(?!.*${PERSONAL_NUMBER_PATTERN})\\S+)$`,
    description: 'An opaque catalogue code: no white space, not an ID or phone number.',
  },
  LegacyCode: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    // A legacy system's dossier number `{agency}-{yyMMdd}-{NNNN}` whose agency part has a dot or a letter
    // (`000.00.15.H06-240718-8002`): its digits are an agency, a date and a sequence, not a phone number, which the
    // `Code` rule would read in `06-240718-8002` (the old provinces H01–H09). Anywhere in it: no run of 9 digits and no
    // number written in groups of dots or underscores (`A.0912.345.678-…`); any other shape is held to the `Code` rule.
    pattern: `^(?:[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|(?!.*\\d{9})(?!.*(?<!\\d)(?<!\\d[._])(?=0|84)(?:\\d[._]?){8,11}\\d(?![._]?\\d))(?:(?=[^-]*[.A-Za-z])[A-Za-z0-9]+(?:\\.[A-Za-z0-9]+)*-\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])-\\d{4,8}|(?!.*${PERSONAL_NUMBER_PATTERN})\\S+))$`,
    description: "A dossier's number in the legacy system it was imported from (e.g. 000.00.15.H56-230719-0001): no white space, not an ID or phone number.",
  },
  Text: { type: 'string', minLength: 1, maxLength: 4000, description: 'Free text.' },
  AmountVnd: { type: 'integer', minimum: 0, description: 'Amount in Vietnamese đồng (VND).' },
} as const satisfies Record<string, JsonSchemaObject>;

export type SchemaDefinitionName = keyof typeof SCHEMA_DEFINITIONS;

/** A reference to a shared definition. */
export function ref(name: SchemaDefinitionName, description?: string): JsonSchemaObject {
  // draft-07 ignores siblings of $ref; wrap in allOf so a field-specific description survives.
  return description === undefined
    ? { $ref: `#/definitions/${name}` }
    : { description, allOf: [{ $ref: `#/definitions/${name}` }] };
}

export function stringEnum(values: readonly string[], description: string): JsonSchemaObject {
  return { type: 'string', enum: [...values], description };
}

export function bool(description: string): JsonSchemaObject {
  return { type: 'boolean', description };
}

/** An object schema; `required` lists the keys that must be present (others are optional). */
export function object(
  properties: Readonly<Record<string, JsonSchemaObject>>,
  required: readonly string[],
  description?: string,
): JsonSchemaObject {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    required: [...required],
    properties: { ...properties },
  };
}

export function arrayOf(
  items: JsonSchemaObject,
  description: string,
  minItems = 0,
): JsonSchemaObject {
  return { type: 'array', description, minItems, items };
}

/** Names of the shared definitions a schema refers to, transitively. */
export function referencedDefinitions(schema: unknown): SchemaDefinitionName[] {
  const found = new Set<SchemaDefinitionName>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) {
        const name = value.slice('#/definitions/'.length) as SchemaDefinitionName;
        if (!found.has(name)) {
          found.add(name);
          visit(SCHEMA_DEFINITIONS[name]);
        }
      } else {
        visit(value);
      }
    }
  };
  visit(schema);
  return [...found].sort();
}

/** Deep copy of a schema with every `#/definitions/X` reference rewritten by `rewrite`. */
export function rewriteRefs(schema: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rewriteRefs(item, rewrite));
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, rewrite(value)]
        : [key, rewriteRefs(value, rewrite)],
    ),
  );
}
