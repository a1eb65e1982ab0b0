import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierDueSoonPayloadV1 extends DossierPayloadBaseV1 {
  /** The due date the watcher checked. */
  readonly dueAt: IsoDateTime;
  readonly detectedAt: IsoDateTime;
}

/** A deadline watcher found the dossier due within 24 hours (status unchanged). */
export type DossierDueSoonV1 = EventEnvelope<'DossierDueSoon', DossierDueSoonPayloadV1>;
export type PublicDossierDueSoonV1 = DossierDueSoonV1;

export const DossierDueSoonV1 = defineEventV1<DossierDueSoonPayloadV1>()({
  type: 'DossierDueSoon',
  summary: 'A deadline watcher found the dossier due within 24 hours (status unchanged).',
  producedBy: 'processing-service',
  properties: {
    dueAt: ref('Timestamp', 'The due date checked.'),
    detectedAt: ref('Timestamp', 'Detection time.'),
  },
  optional: [],
  classification: { dueAt: FieldClass.Public, detectedAt: FieldClass.Public },
});
