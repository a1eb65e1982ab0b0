import type { JsonSchemaObject } from './json-schema.util';

/**
 * Personal-data classification of event fields (Law 91/2025/QH15 and NĐ 13/2023 before it).
 * - `personal`: identifies or describes a person, or is free text a person wrote or that is written about
 *   their case; stays on the internal topic only.
 * - `public`: may be published on the public projection topic (statistics, National Portal).
 * An object or array-of-objects field may instead be classified field by field (a nested map).
 */
export const FieldClass = { Personal: 'personal', Public: 'public' } as const;
export type FieldClass = (typeof FieldClass)[keyof typeof FieldClass];

type FieldClassOf<V> = V extends readonly (infer E)[]
  ? E extends object
    ? FieldClass | ClassificationOf<E>
    : FieldClass
  : V extends object
    ? FieldClass | ClassificationOf<V>
    : FieldClass;

/** A classification for every key of `T`, optional keys included (checked by the compiler). */
export type ClassificationOf<T> = { readonly [K in keyof T]-?: FieldClassOf<NonNullable<T[K]>> };

/** A classification as data (the shape `ClassificationOf<T>` takes at runtime). */
export interface FieldClassification {
  readonly [field: string]: FieldClass | FieldClassification;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The public projection of a value: keeps only fields classified `public` (recursing into nested maps) and
 * drops personal **and unclassified** fields, so a field added by a newer producer never leaks by default.
 */
export function projectPublic(value: unknown, classification: FieldClassification): unknown {
  if (Array.isArray(value)) return value.map((item) => projectPublic(item, classification));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    const cls = Object.prototype.hasOwnProperty.call(classification, key)
      ? classification[key]
      : undefined;
    if (cls === FieldClass.Public) out[key] = fieldValue;
    else if (cls !== undefined && cls !== FieldClass.Personal)
      out[key] = projectPublic(fieldValue, cls);
  }
  return out;
}

/** Dotted paths of the personal fields (`applicant`, `eResult.link`; arrays are transparent). */
export function personalFieldPaths(classification: FieldClassification, prefix = ''): string[] {
  return Object.entries(classification).flatMap(([key, cls]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (cls === FieldClass.Personal) return [path];
    if (cls === FieldClass.Public) return [];
    return personalFieldPaths(cls, path);
  });
}

/** Dotted paths of every classified leaf field. */
export function classifiedFieldPaths(classification: FieldClassification, prefix = ''): string[] {
  return Object.entries(classification).flatMap(([key, cls]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof cls === 'string' ? [path] : [path, ...classifiedFieldPaths(cls, path)];
  });
}

/**
 * The public variant of an object schema: personal properties become `false` (present ⇒ invalid) and leave
 * `required`; nested classifications recurse into object properties and array items.
 */
export function projectSchema(
  schema: JsonSchemaObject,
  classification: FieldClassification,
): JsonSchemaObject {
  const properties = schema['properties'] as Record<string, JsonSchemaObject> | undefined;
  if (properties === undefined) {
    const items = schema['items'] as JsonSchemaObject | undefined;
    return items === undefined
      ? schema
      : { ...schema, items: projectSchema(items, classification) };
  }
  const personal = new Set<string>();
  const nextProperties: Record<string, JsonSchemaObject | boolean> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    const cls = classification[key];
    if (cls === FieldClass.Personal) {
      personal.add(key);
      nextProperties[key] = false;
    } else if (cls === undefined || cls === FieldClass.Public) {
      nextProperties[key] = propertySchema;
    } else {
      nextProperties[key] = projectSchema(propertySchema, cls);
    }
  }
  const required = (schema['required'] as readonly string[] | undefined) ?? [];
  return {
    ...schema,
    required: required.filter((key) => !personal.has(key)),
    properties: nextProperties,
  };
}
