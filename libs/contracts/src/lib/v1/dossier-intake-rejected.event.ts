import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierIntakeRejectedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayTuChoi. */
  readonly rejectedAt: IsoDateTime;
}
export interface DossierIntakeRejectedPayloadV1 extends DossierIntakeRejectedPublicPayloadV1 {
  /** Reason given on the refusal form (Mẫu 03). Free text about the case: personal. */
  readonly reason: string;
}

/** The one-stop unit refused to accept a submitted dossier (SUBMITTED → INTAKE_REJECTED, status 3). */
export type DossierIntakeRejectedV1 = EventEnvelope<
  'DossierIntakeRejected',
  DossierIntakeRejectedPayloadV1
>;
export type PublicDossierIntakeRejectedV1 = EventEnvelope<
  'DossierIntakeRejected',
  DossierIntakeRejectedPublicPayloadV1
>;

export const DossierIntakeRejectedV1 = defineEventV1<
  DossierIntakeRejectedPayloadV1,
  DossierIntakeRejectedPublicPayloadV1
>()({
  type: 'DossierIntakeRejected',
  summary: 'The one-stop unit refused to accept a submitted dossier (SUBMITTED → INTAKE_REJECTED).',
  producedBy: 'intake-service',
  properties: {
    rejectedAt: ref('Timestamp', 'Refusal time (NgayTuChoi).'),
    reason: ref('Text', 'Reason on the refusal form (Mẫu 03).'),
  },
  optional: [],
  classification: { rejectedAt: FieldClass.Public, reason: FieldClass.Personal },
});
