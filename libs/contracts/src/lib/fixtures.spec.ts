import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EventValidationExceptionCode } from './event-validation.exception';
import { classifiedFieldPaths, type FieldClassification } from './field-classification.util';
import { payloadSchemaV1, EventVariant } from './event-schema.util';
import { parseEvent, parsePublicEvent, safeParsePublicEvent } from './parse-event.util';
import { classificationOf, personalPayloadFields, toPublicEvent } from './public-projection.util';
import { EVENT_TYPES_V1, type DossierEventV1, type EventTypeV1 } from './v1/event-catalog.util';

// Committed fixtures are the compatibility lock of v1: they are written by hand, never regenerated. If a
// change to the code makes one of them fail, the change is breaking: make it additive or publish a v2.
const FIXTURES_DIR = join(__dirname, '../../fixtures/v1');

function loadFixture(type: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${type}.json`), 'utf8')) as unknown;
}

const fixtures: ReadonlyArray<readonly [EventTypeV1, unknown]> = EVENT_TYPES_V1.map(
  (type) => [type, loadFixture(type)] as const,
);

/** Dotted paths of every key in a value (arrays are transparent). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, prefix)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...keyPaths(child, path)];
  });
}

/** Values at a dotted path (arrays are transparent). */
function valuesAt(value: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (value === null || typeof value !== 'object' || head === undefined) return [];
  const child = (value as Record<string, unknown>)[head];
  if (child === undefined) return [];
  return rest.length === 0 ? [child] : valuesAt(child, rest.join('.'));
}

/** Every string leaf inside a value. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringLeaves);
}

/**
 * Dotted paths of the properties a schema declares, descending into objects and array items only where the
 * classification is itself a nested map (a field classified as a whole covers what is below it).
 */
function declaredPaths(
  schema: unknown,
  classification: FieldClassification | undefined,
  prefix = '',
): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  if (node['items'] !== undefined) return declaredPaths(node['items'], classification, prefix);
  const properties = node['properties'] as Record<string, unknown> | undefined;
  if (properties === undefined) return [];
  return Object.entries(properties).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const cls = classification?.[key];
    return typeof cls === 'object' ? [path, ...declaredPaths(child, cls, path)] : [path];
  });
}

/** Classified paths, with a wholly classified object also covering everything below it. */
function isCovered(path: string, classification: FieldClassification): boolean {
  const [head, ...rest] = path.split('.');
  const cls = head === undefined ? undefined : classification[head];
  if (cls === undefined) return false;
  if (typeof cls === 'string') return true;
  return rest.length === 0 || isCovered(rest.join('.'), cls);
}

describe('v1 fixtures', () => {
  it('should have exactly one committed fixture per event type', () => {
    const files = readdirSync(FIXTURES_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...EVENT_TYPES_V1].sort());
  });

  it.each(fixtures)('should parse the committed %s fixture', (type, fixture) => {
    const event = parseEvent(fixture);
    expect(event.type).toBe(type);
    expect(event.version).toBe(1);
    expect(event.key).toBe(event.payload.dossierId);
  });

  it.each(fixtures)('should classify every payload field of the %s fixture', (type, fixture) => {
    const classification = classificationOf(type);
    const unclassified = keyPaths((fixture as DossierEventV1).payload).filter(
      (path) => !isCovered(path, classification),
    );
    expect(unclassified).toEqual([]);
  });

  it.each(EVENT_TYPES_V1)('should classify exactly the fields the %s schema declares', (type) => {
    const classification = classificationOf(type);
    const declared = declaredPaths(payloadSchemaV1(type, EventVariant.Internal), classification);
    expect(declared.sort()).toEqual(classifiedFieldPaths(classification).sort());
  });

  it.each(fixtures)(
    'should leave no personal field in the public projection of %s',
    (type, fixture) => {
      const event = parseEvent(fixture);
      const projected = toPublicEvent(event);
      const personalPaths = personalPayloadFields(type);
      for (const path of personalPaths) expect(valuesAt(projected.payload, path)).toEqual([]);
      // No personal value survives anywhere, under any key.
      const personalValues = personalPaths
        .flatMap((path) => valuesAt(event.payload, path))
        .flatMap(stringLeaves)
        .filter((value) => value.length >= 4);
      const publicText = JSON.stringify(projected);
      for (const value of personalValues) expect(publicText).not.toContain(value);
      // The projection is a valid public-topic event with the same identity.
      expect(parsePublicEvent(projected)).toBe(projected);
      expect(projected.id).toBe(event.id);
      expect(projected.key).toBe(event.key);
    },
  );

  it.each(fixtures)('should keep every public field in the projection of %s', (type, fixture) => {
    const event = parseEvent(fixture);
    const projected = toPublicEvent(event) as unknown as DossierEventV1;
    const personal = new Set(personalPayloadFields(type));
    const kept = keyPaths(event.payload).filter(
      (path) => ![...personal].some((p) => path === p || path.startsWith(`${p}.`)),
    );
    expect(keyPaths(projected.payload).sort()).toEqual(kept.sort());
    // Leaf values are copied unchanged (objects are compared through their leaves).
    const leaves = kept.filter((path) =>
      valuesAt(event.payload, path).every(
        (value) =>
          value === null ||
          typeof value !== 'object' ||
          (Array.isArray(value) && value.every((item) => typeof item !== 'object')),
      ),
    );
    for (const path of leaves)
      expect(valuesAt(projected.payload, path)).toEqual(valuesAt(event.payload, path));
    const { payload: _p, ...envelope } = event;
    const { payload: _q, ...projectedEnvelope } = projected;
    expect(projectedEnvelope).toEqual(envelope);
  });

  it('should contain personal data in the fixtures that carry personal fields (so the projection test bites)', () => {
    const withPersonal = fixtures.filter(([type, fixture]) =>
      personalPayloadFields(type).some(
        (path) => valuesAt((fixture as DossierEventV1).payload, path).length > 0,
      ),
    );
    expect(withPersonal.map(([type]) => type)).toEqual([
      'DossierSubmitted',
      'DossierReceived',
      'DossierIntakeRejected',
      'SupplementRequested',
      'ProcessingSuspended',
      'ProcessingResumed',
      'ApologyIssued',
      'DossierRefused',
      'DossierResolved',
      'DossierRated',
    ]);
  });

  it.each(fixtures.filter(([type]) => personalPayloadFields(type).length > 0))(
    'should reject the internal %s event as a public-topic event',
    (_type, fixture) => {
      const result = safeParsePublicEvent(fixture);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.code).toBe(EventValidationExceptionCode.PersonalDataOnPublicTopic);
    },
  );

  it('should drop unknown fields from the projection while parseEvent tolerates them', () => {
    const reserved = new Set(['__proto__', 'constructor', 'prototype']);
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !reserved.has(key)),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
          { minKeys: 1, maxKeys: 4 },
        ),
        ([type, fixture], extra) => {
          const event = fixture as DossierEventV1;
          const classification = classificationOf(type);
          const unknownExtra = Object.fromEntries(
            Object.entries(extra).filter(([key]) => classification[key] === undefined),
          );
          const widened = { ...event, payload: { ...unknownExtra, ...event.payload } };
          const parsed = parseEvent(widened);
          const projected = toPublicEvent(parsed).payload as unknown as Record<string, unknown>;
          for (const key of Object.keys(unknownExtra))
            expect(Object.hasOwn(projected, key)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
