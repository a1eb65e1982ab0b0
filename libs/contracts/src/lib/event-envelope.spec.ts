import { defineEventV1, type DossierPayloadBaseV1 } from './event-envelope.event';
import { FieldClass } from './field-classification.util';

interface ExamplePayload extends DossierPayloadBaseV1 {
  readonly at: string;
  readonly note?: string;
}

const spec = {
  type: 'Example',
  summary: 'An example.',
  producedBy: 'test',
  properties: { at: { type: 'string' }, note: { type: 'string' } },
  optional: ['note'],
  classification: { at: FieldClass.Public, note: FieldClass.Personal },
} as const;

describe('defineEventV1', () => {
  it('should add the base fields and require every field not listed as optional', () => {
    const definition = defineEventV1<ExamplePayload>()(spec);
    expect(definition.payloadSchema['required']).toEqual([
      'dossierId',
      'receivingUnitId',
      'procedureCode',
      'at',
    ]);
    expect(definition.classification).toEqual({
      dossierId: 'public',
      receivingUnitId: 'public',
      procedureCode: 'public',
      at: 'public',
      note: 'personal',
    });
    expect(definition.is({ type: 'Example' })).toBe(true);
    expect(definition.is({ type: 'Other' })).toBe(false);
  });

  it('should not compile without a classification or a schema for every field', () => {
    // The directives below fail the typecheck if the compiler stops catching these mistakes.
    // @ts-expect-error `note` is not classified
    defineEventV1<ExamplePayload>()({ ...spec, classification: { at: FieldClass.Public } });
    // @ts-expect-error `note` has no schema
    defineEventV1<ExamplePayload>()({ ...spec, properties: { at: { type: 'string' } } });
    // @ts-expect-error `at` is required, so it cannot be listed as optional
    defineEventV1<ExamplePayload>()({ ...spec, optional: ['at'] });
    expect(true).toBe(true);
  });
});
