import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierOverduePayloadV1 extends DossierPayloadBaseV1 {
  /** The due date the watcher checked. */
  readonly dueAt: IsoDateTime;
  readonly detectedAt: IsoDateTime;
}

/** A deadline watcher found the dossier past its due date (status unchanged). */
export type DossierOverdueV1 = EventEnvelope<'DossierOverdue', DossierOverduePayloadV1>;
export type PublicDossierOverdueV1 = DossierOverdueV1;

export const DossierOverdueV1 = defineEventV1<DossierOverduePayloadV1>()({
  type: 'DossierOverdue',
  summary: 'A deadline watcher found the dossier past its due date (status unchanged).',
  producedBy: 'processing-service',
  properties: {
    dueAt: ref('Timestamp', 'The due date checked.'),
    detectedAt: ref('Timestamp', 'Detection time.'),
  },
  optional: [],
  classification: { dueAt: FieldClass.Public, detectedAt: FieldClass.Public },
});
