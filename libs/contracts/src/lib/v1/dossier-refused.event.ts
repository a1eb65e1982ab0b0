import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierRefusedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** End of processing. */
  readonly finishedAt: IsoDateTime;
}
export interface DossierRefusedPayloadV1 extends DossierRefusedPublicPayloadV1 {
  /** Reason on the stop notice (Mẫu 05). Free text about the case: personal. */
  readonly reason: string;
}

/** Processing was stopped and the dossier returned (dừng giải quyết; → REFUSED, status 8, terminal). */
export type DossierRefusedV1 = EventEnvelope<'DossierRefused', DossierRefusedPayloadV1>;
export type PublicDossierRefusedV1 = EventEnvelope<'DossierRefused', DossierRefusedPublicPayloadV1>;

export const DossierRefusedV1 = defineEventV1<
  DossierRefusedPayloadV1,
  DossierRefusedPublicPayloadV1
>()({
  type: 'DossierRefused',
  summary: 'Processing was stopped and the dossier returned with a reason (→ REFUSED, terminal).',
  producedBy: 'processing-service',
  properties: {
    finishedAt: ref('Timestamp', 'End of processing.'),
    reason: ref('Text', 'Reason (Mẫu 05).'),
  },
  optional: [],
  classification: { finishedAt: FieldClass.Public, reason: FieldClass.Personal },
});
