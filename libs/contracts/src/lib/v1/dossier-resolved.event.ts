import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { bool, object, ref } from '../json-schema.util';

/** Electronic result (kết quả điện tử), public part. */
export interface EResultPublicV1 {
  /** An electronic copy of the result was issued (indicator 4.1 numerator). */
  readonly issued: boolean;
  /** The e-result is digitally signed and legally valid. */
  readonly legallyValid: boolean;
}
export interface EResultV1 extends EResultPublicV1 {
  /** Download link (DuongDanTepTinKetQua). It opens a personal document: personal. */
  readonly link?: string;
}

export interface DossierResolvedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayKetThucXuLy. */
  readonly finishedAt: IsoDateTime;
  readonly eResult: EResultPublicV1;
  /** MaGiayToKetQua, when the result document has a number. */
  readonly resultCode?: string;
  /** The appointment in force at resolution (includes apology extensions); null without appointment. */
  readonly dueAt: IsoDateTime | null;
  /** The legal due date at resolution (receipt, re-based by supplementation; never by apology). */
  readonly originalDueAt: IsoDateTime | null;
  /** The result is a paper document (e-result indicator denominator). */
  readonly paperResultRequired: boolean;
}
export interface DossierResolvedPayloadV1 extends DossierResolvedPublicPayloadV1 {
  readonly eResult: EResultV1;
}

/** The result is ready (IN_PROCESS → RESOLVED, status 9; the clock stops). */
export type DossierResolvedV1 = EventEnvelope<'DossierResolved', DossierResolvedPayloadV1>;
export type PublicDossierResolvedV1 = EventEnvelope<
  'DossierResolved',
  DossierResolvedPublicPayloadV1
>;

export const DossierResolvedV1 = defineEventV1<
  DossierResolvedPayloadV1,
  DossierResolvedPublicPayloadV1
>()({
  type: 'DossierResolved',
  summary: 'The result is ready; the clock stops (IN_PROCESS → RESOLVED).',
  producedBy: 'result-service',
  properties: {
    finishedAt: ref('Timestamp', 'End of processing (NgayKetThucXuLy).'),
    eResult: object(
      {
        issued: bool('An electronic copy of the result was issued.'),
        link: {
          type: 'string',
          format: 'uri',
          maxLength: 2048,
          description: 'Download link of the e-result.',
        },
        legallyValid: bool('The e-result is digitally signed and legally valid.'),
      },
      ['issued', 'legallyValid'],
      'Electronic result (kết quả điện tử).',
    ),
    resultCode: ref('Code', 'Result document number (MaGiayToKetQua).'),
    dueAt: ref('NullableTimestamp', 'Appointment in force at resolution.'),
    originalDueAt: ref('NullableTimestamp', 'Legal due date at resolution.'),
    paperResultRequired: bool('The result is a paper document.'),
  },
  optional: ['resultCode'],
  classification: {
    finishedAt: FieldClass.Public,
    eResult: {
      issued: FieldClass.Public,
      legallyValid: FieldClass.Public,
      link: FieldClass.Personal,
    },
    resultCode: FieldClass.Public,
    dueAt: FieldClass.Public,
    originalDueAt: FieldClass.Public,
    paperResultRequired: FieldClass.Public,
  },
});
