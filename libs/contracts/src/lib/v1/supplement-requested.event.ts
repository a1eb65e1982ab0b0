import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface SupplementRequestedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayYeuCauBoSung. */
  readonly requestedAt: IsoDateTime;
  /** Deadline given to the applicant, when any. */
  readonly applicantDeadline?: IsoDateTime;
  /** 1 for the first request on this dossier, 2 for the second, ... (F766 counts > 1 as late). */
  readonly requestCount: number;
}
export interface SupplementRequestedPayloadV1 extends SupplementRequestedPublicPayloadV1 {
  /** What to supplement (NoiDungBoSung, Mẫu 02). Free text about the case: personal. */
  readonly content: string;
}

/** The applicant was asked to supplement the dossier (RECEIVED/IN_PROCESS → SUPPLEMENT_REQUESTED, status 5). */
export type SupplementRequestedV1 = EventEnvelope<
  'SupplementRequested',
  SupplementRequestedPayloadV1
>;
export type PublicSupplementRequestedV1 = EventEnvelope<
  'SupplementRequested',
  SupplementRequestedPublicPayloadV1
>;

export const SupplementRequestedV1 = defineEventV1<
  SupplementRequestedPayloadV1,
  SupplementRequestedPublicPayloadV1
>()({
  type: 'SupplementRequested',
  summary: 'The applicant was asked to supplement the dossier (→ SUPPLEMENT_REQUESTED).',
  producedBy: 'processing-service',
  properties: {
    requestedAt: ref('Timestamp', 'Request time (NgayYeuCauBoSung).'),
    content: ref('Text', 'What to supplement (NoiDungBoSung, Mẫu 02).'),
    applicantDeadline: ref('Timestamp', 'Deadline given to the applicant.'),
    requestCount: {
      type: 'integer',
      minimum: 1,
      description: 'Ordinal of this request on the dossier.',
    },
  },
  optional: ['applicantDeadline'],
  classification: {
    requestedAt: FieldClass.Public,
    content: FieldClass.Personal,
    applicantDeadline: FieldClass.Public,
    requestCount: FieldClass.Public,
  },
});
