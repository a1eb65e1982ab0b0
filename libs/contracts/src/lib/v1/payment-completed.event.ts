import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { bool, ref, stringEnum } from '../json-schema.util';
import { OnlinePaymentGateway, PaymentMethod } from '../vocabulary';

export interface PaymentCompletedPayloadV1 extends DossierPayloadBaseV1 {
  readonly paidAt: IsoDateTime;
  readonly method: PaymentMethod;
  /** DuocThanhToanTrucTuyen ∈ {1, 2}: paid through an online payment platform (indicator 3.6). */
  readonly paidOnline: boolean;
  /** Amount paid, VND. */
  readonly amount: number;
  /** Which online platform (1 National Portal, 2 provincial gateway), when paid online. */
  readonly gateway?: OnlinePaymentGateway;
  /**
   * The legal due date from now on, shifted by the wait for payment (absent in events written before it was
   * added, and when the dossier has no due date): views that keep the due date (statistics, intake) follow it.
   */
  readonly newDueAt?: IsoDateTime | null;
}

/** The applicant paid the fees (AWAITING_PAYMENT → IN_PROCESS). */
export type PaymentCompletedV1 = EventEnvelope<'PaymentCompleted', PaymentCompletedPayloadV1>;
export type PublicPaymentCompletedV1 = PaymentCompletedV1;

export const PaymentCompletedV1 = defineEventV1<PaymentCompletedPayloadV1>()({
  type: 'PaymentCompleted',
  summary: 'The applicant paid the requested fees (AWAITING_PAYMENT → IN_PROCESS).',
  producedBy: 'result-service',
  properties: {
    paidAt: ref('Timestamp', 'Payment time.'),
    method: stringEnum(Object.values(PaymentMethod), 'Payment method.'),
    paidOnline: bool('Paid through an online payment platform (DuocThanhToanTrucTuyen 1 or 2).'),
    amount: ref('AmountVnd', 'Amount paid, VND.'),
    gateway: stringEnum(Object.values(OnlinePaymentGateway), 'Online payment platform used.'),
    newDueAt: ref('NullableTimestamp', 'The legal due date after the wait for payment (NgayHenTraMoi).'),
  },
  optional: ['gateway', 'newDueAt'],
  classification: {
    paidAt: FieldClass.Public,
    method: FieldClass.Public,
    paidOnline: FieldClass.Public,
    amount: FieldClass.Public,
    gateway: FieldClass.Public,
    newDueAt: FieldClass.Public,
  },
});
