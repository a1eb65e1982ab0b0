import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface ApologyIssuedPublicPayloadV1 extends DossierPayloadBaseV1 {
  readonly issuedAt: IsoDateTime;
  /** The appointment being extended. */
  readonly originalDueAt: IsoDateTime;
  /** The new appointment. Statistics keep classifying against the legal due date. */
  readonly newDueAt: IsoDateTime;
}
export interface ApologyIssuedPayloadV1 extends ApologyIssuedPublicPayloadV1 {
  /** Reason for the delay (Mẫu 04). Free text about the case: personal. */
  readonly reason: string;
}

/** An apology letter with a new appointment was issued (xin lỗi, hẹn lại; status unchanged). */
export type ApologyIssuedV1 = EventEnvelope<'ApologyIssued', ApologyIssuedPayloadV1>;
export type PublicApologyIssuedV1 = EventEnvelope<'ApologyIssued', ApologyIssuedPublicPayloadV1>;

export const ApologyIssuedV1 = defineEventV1<
  ApologyIssuedPayloadV1,
  ApologyIssuedPublicPayloadV1
>()({
  type: 'ApologyIssued',
  summary: 'An apology letter with a new appointment was issued (Mẫu 04; status unchanged).',
  producedBy: 'processing-service',
  properties: {
    issuedAt: ref('Timestamp', 'Issue time of the letter.'),
    reason: ref('Text', 'Reason for the delay.'),
    originalDueAt: ref('Timestamp', 'The appointment being extended.'),
    newDueAt: ref('Timestamp', 'The new appointment.'),
  },
  optional: [],
  classification: {
    issuedAt: FieldClass.Public,
    reason: FieldClass.Personal,
    originalDueAt: FieldClass.Public,
    newDueAt: FieldClass.Public,
  },
});
