import { projectSchema, type FieldClassification } from './field-classification.util';
import {
  JSON_SCHEMA_DIALECT,
  SCHEMA_DEFINITIONS,
  referencedDefinitions,
  ref,
  type JsonSchemaObject,
} from './json-schema.util';
import { EVENT_DEFINITIONS_V1, type EventTypeV1 } from './v1/event-catalog.util';

/** Which topic form of an event: internal (with personal data) or public (projection). */
export const EventVariant = { Internal: 'internal', Public: 'public' } as const;
export type EventVariant = (typeof EventVariant)[keyof typeof EventVariant];

export const ENVELOPE_REQUIRED_FIELDS = [
  'id',
  'type',
  'version',
  'occurredAt',
  'producer',
  'correlationId',
  'key',
  'payload',
] as const;

/** `$id` of the committed schema of an event type. */
export function eventSchemaId(type: EventTypeV1, variant: EventVariant): string {
  return variant === EventVariant.Internal
    ? `urn:onestop:event:${type}:v1`
    : `urn:onestop:event:${type}:v1:public`;
}

/** The payload schema of a type, in the given variant (public: personal properties are `false`). */
export function payloadSchemaV1(type: EventTypeV1, variant: EventVariant): JsonSchemaObject {
  const definition = EVENT_DEFINITIONS_V1[type];
  return variant === EventVariant.Internal
    ? definition.payloadSchema
    : projectSchema(definition.payloadSchema, definition.classification as FieldClassification);
}

/**
 * The full JSON Schema (draft-07) of one v1 event: envelope with `type`/`version` pinned and the payload;
 * self-contained (`definitions` holds the shared scalars it refers to).
 */
export function eventSchemaV1(type: EventTypeV1, variant: EventVariant): JsonSchemaObject {
  const definition = EVENT_DEFINITIONS_V1[type];
  const isPublic = variant === EventVariant.Public;
  const body: JsonSchemaObject = {
    type: 'object',
    required: [...ENVELOPE_REQUIRED_FIELDS],
    properties: {
      id: ref('Uuid', 'Unique event id; consumers deduplicate on it.'),
      type: { const: type, description: 'Event type.' },
      version: { const: 1, description: 'Major version of the contract of this type.' },
      occurredAt: ref('Timestamp', 'When the fact happened (business time).'),
      producer: {
        type: 'string',
        pattern: '^[a-z][a-z0-9-]*$',
        maxLength: 64,
        description: 'Producing service, e.g. intake-service.',
      },
      correlationId: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        description: 'Request or flow id.',
      },
      causationId: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        description: 'Id of the cause.',
      },
      key: ref('DossierId', 'Kafka key; equals payload.dossierId.'),
      imported: { type: 'boolean', description: 'Produced by a historical import.' },
      payload: payloadSchemaV1(type, variant),
    },
  };
  const definitions = Object.fromEntries(
    referencedDefinitions(body).map((name) => [name, SCHEMA_DEFINITIONS[name]]),
  );
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: eventSchemaId(type, variant),
    title: isPublic ? `Public${type}V1` : `${type}V1`,
    description: isPublic
      ? `${definition.summary} Public projection: no personal data.`
      : `${definition.summary} Internal topic form: includes personal data.`,
    ...body,
    definitions,
  };
}
