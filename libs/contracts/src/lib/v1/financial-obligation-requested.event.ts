import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { arrayOf, bool, object, ref, stringEnum } from '../json-schema.util';
import { FeeCollectionStage } from '../vocabulary';

/** A fee or charge line (DanhSachLePhi). */
export interface FeeLineV1 {
  /** MaPhiLePhi. */
  readonly code: string;
  /** TenPhiLePhi. */
  readonly name: string;
  /** Gia, in VND. */
  readonly amount: number;
  /** HinhThucThu. */
  readonly collectedAt: FeeCollectionStage;
}

export interface FinancialObligationRequestedPayloadV1 extends DossierPayloadBaseV1 {
  readonly requestedAt: IsoDateTime;
  readonly feeLines: readonly FeeLineV1[];
  /** Sum of the fee lines, in VND. */
  readonly totalAmount: number;
  /** The applicant is exempt (đối tượng miễn phí): excluded from online-payment denominators. */
  readonly exempt: boolean;
}

/** Fees or charges were requested (IN_PROCESS → AWAITING_PAYMENT, status 6, unless exempt or zero). */
export type FinancialObligationRequestedV1 = EventEnvelope<
  'FinancialObligationRequested',
  FinancialObligationRequestedPayloadV1
>;
export type PublicFinancialObligationRequestedV1 = FinancialObligationRequestedV1;

export const FinancialObligationRequestedV1 =
  defineEventV1<FinancialObligationRequestedPayloadV1>()({
    type: 'FinancialObligationRequested',
    summary: 'Fees or charges were requested from the applicant (IN_PROCESS → AWAITING_PAYMENT).',
    producedBy: 'result-service',
    properties: {
      requestedAt: ref('Timestamp', 'Request time.'),
      feeLines: arrayOf(
        object(
          {
            code: ref('Code', 'Fee code (MaPhiLePhi).'),
            name: ref('Text', 'Fee name (TenPhiLePhi).'),
            amount: ref('AmountVnd', 'Fee amount (Gia), VND.'),
            collectedAt: stringEnum(
              Object.values(FeeCollectionStage),
              'When it is collected (HinhThucThu).',
            ),
          },
          ['code', 'name', 'amount', 'collectedAt'],
          'A fee line (DanhSachLePhi).',
        ),
        'Fee lines.',
      ),
      totalAmount: ref('AmountVnd', 'Sum of the fee lines, VND.'),
      exempt: bool('The applicant is exempt from the fees.'),
    },
    optional: [],
    classification: {
      requestedAt: FieldClass.Public,
      feeLines: FieldClass.Public,
      totalAmount: FieldClass.Public,
      exempt: FieldClass.Public,
    },
  });
