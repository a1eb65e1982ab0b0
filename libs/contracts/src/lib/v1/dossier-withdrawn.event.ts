import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierWithdrawnPayloadV1 extends DossierPayloadBaseV1 {
  readonly finishedAt: IsoDateTime;
  /** Reference number of the applicant's withdrawal request. */
  readonly requestRef: string;
}

/** The applicant withdrew the dossier (any non-terminal → WITHDRAWN, status 7, terminal). */
export type DossierWithdrawnV1 = EventEnvelope<'DossierWithdrawn', DossierWithdrawnPayloadV1>;
export type PublicDossierWithdrawnV1 = DossierWithdrawnV1;

export const DossierWithdrawnV1 = defineEventV1<DossierWithdrawnPayloadV1>()({
  type: 'DossierWithdrawn',
  summary: 'The applicant withdrew the dossier (→ WITHDRAWN, terminal).',
  producedBy: 'processing-service',
  properties: {
    finishedAt: ref('Timestamp', 'Withdrawal time.'),
    requestRef: ref('Code', 'Reference number of the withdrawal request.'),
  },
  optional: [],
  classification: { finishedAt: FieldClass.Public, requestRef: FieldClass.Public },
});
