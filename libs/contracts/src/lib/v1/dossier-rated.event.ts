import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref, stringEnum } from '../json-schema.util';
import { Rating } from '../vocabulary';

export interface DossierRatedPublicPayloadV1 extends DossierPayloadBaseV1 {
  readonly ratedAt: IsoDateTime;
  readonly rating: Rating;
}
export interface DossierRatedPayloadV1 extends DossierRatedPublicPayloadV1 {
  /** The citizen's own words: personal. */
  readonly comment?: string;
}

/** The applicant rated the service (after RESOLVED/RETURNED; status unchanged). */
export type DossierRatedV1 = EventEnvelope<'DossierRated', DossierRatedPayloadV1>;
export type PublicDossierRatedV1 = EventEnvelope<'DossierRated', DossierRatedPublicPayloadV1>;

export const DossierRatedV1 = defineEventV1<DossierRatedPayloadV1, DossierRatedPublicPayloadV1>()({
  type: 'DossierRated',
  summary: 'The applicant rated the service (status unchanged).',
  producedBy: 'result-service',
  properties: {
    ratedAt: ref('Timestamp', 'Rating time.'),
    rating: stringEnum(Object.values(Rating), 'Rất hài lòng / Hài lòng / Không hài lòng.'),
    comment: ref('Text', "The citizen's comment."),
  },
  optional: ['comment'],
  classification: {
    ratedAt: FieldClass.Public,
    rating: FieldClass.Public,
    comment: FieldClass.Personal,
  },
});
