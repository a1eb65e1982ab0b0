import {
  EventValidationException,
  EventValidationExceptionCode,
} from './event-validation.exception';
import {
  personalFieldPaths,
  projectPublic,
  type FieldClassification,
} from './field-classification.util';
import {
  EVENT_DEFINITIONS_V1,
  isEventTypeV1,
  type DossierEventV1,
  type EventTypeV1,
  type PublicEventOfTypeV1,
} from './v1/event-catalog.util';

/** Envelope fields copied to the public projection (all of them: none is personal). */
const PUBLIC_ENVELOPE_FIELDS = [
  'id',
  'type',
  'version',
  'occurredAt',
  'producer',
  'correlationId',
  'causationId',
  'key',
  'imported',
] as const;

/** The field classification of a v1 event type, as data. */
export function classificationOf(type: EventTypeV1): FieldClassification {
  return EVENT_DEFINITIONS_V1[type].classification as FieldClassification;
}

/** Dotted payload paths of the personal fields of a type, e.g. `['applicant']`, `['eResult.link']`. */
export function personalPayloadFields(type: EventTypeV1): string[] {
  return personalFieldPaths(classificationOf(type));
}

/**
 * The public projection of an internal event: same envelope (same `id`, so deduplication works across both
 * topics), payload reduced to the fields classified public. Personal and unclassified fields are dropped.
 */
export function toPublicEvent<E extends DossierEventV1>(event: E): PublicEventOfTypeV1<E['type']> {
  if (!isEventTypeV1(event.type)) {
    throw new EventValidationException(
      EventValidationExceptionCode.UnknownType,
      `unknown event type ${JSON.stringify(event.type)}`,
      '$.type',
    );
  }
  const out: Record<string, unknown> = {};
  const source = event as unknown as Record<string, unknown>;
  for (const field of PUBLIC_ENVELOPE_FIELDS) {
    if (source[field] !== undefined) out[field] = source[field];
  }
  out['payload'] = projectPublic(event.payload, classificationOf(event.type));
  return out as unknown as PublicEventOfTypeV1<E['type']>;
}
