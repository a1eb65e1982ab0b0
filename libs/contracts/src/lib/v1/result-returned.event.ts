import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref, stringEnum } from '../json-schema.util';
import { DeliveryMode } from '../vocabulary';

export interface ResultReturnedPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayTra. */
  readonly returnedAt: IsoDateTime;
  readonly deliveryMode: DeliveryMode;
}

/** The result was handed to the applicant (RESOLVED → RETURNED, status 10). */
export type ResultReturnedV1 = EventEnvelope<'ResultReturned', ResultReturnedPayloadV1>;
export type PublicResultReturnedV1 = ResultReturnedV1;

export const ResultReturnedV1 = defineEventV1<ResultReturnedPayloadV1>()({
  type: 'ResultReturned',
  summary: 'The result was handed to the applicant (RESOLVED → RETURNED).',
  producedBy: 'result-service',
  properties: {
    returnedAt: ref('Timestamp', 'Hand-over time (NgayTra).'),
    deliveryMode: stringEnum(
      Object.values(DeliveryMode),
      'How the result was delivered (HinhThucTra).',
    ),
  },
  optional: [],
  classification: { returnedAt: FieldClass.Public, deliveryMode: FieldClass.Public },
});
