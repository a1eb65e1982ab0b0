import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref, stringEnum } from '../json-schema.util';
import { Channel, type ApplicantType } from '../vocabulary';
import { APPLICANT_SCHEMA_V1, APPLICANT_TYPE_SCHEMA, type ApplicantV1 } from './applicant.event';

export interface DossierSubmittedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayNopHoSo. */
  readonly submittedAt: IsoDateTime;
  readonly channel: Channel;
  readonly applicantType: ApplicantType;
  /** Sector code (mã lĩnh vực), when the submission names it. */
  readonly sectorCode?: string;
}
export interface DossierSubmittedPayloadV1 extends DossierSubmittedPublicPayloadV1 {
  readonly applicant: ApplicantV1;
}

/** A dossier was submitted online or by post and awaits intake (∅ → SUBMITTED, national status 1). */
export type DossierSubmittedV1 = EventEnvelope<'DossierSubmitted', DossierSubmittedPayloadV1>;
export type PublicDossierSubmittedV1 = EventEnvelope<
  'DossierSubmitted',
  DossierSubmittedPublicPayloadV1
>;

export const DossierSubmittedV1 = defineEventV1<
  DossierSubmittedPayloadV1,
  DossierSubmittedPublicPayloadV1
>()({
  type: 'DossierSubmitted',
  summary: 'A dossier was submitted online or by post and awaits intake (∅ → SUBMITTED).',
  producedBy: 'intake-service',
  properties: {
    submittedAt: ref('Timestamp', 'Submission time (NgayNopHoSo).'),
    channel: stringEnum(Object.values(Channel), 'Submission channel (KenhThucHien).'),
    applicantType: APPLICANT_TYPE_SCHEMA,
    sectorCode: ref('Code', 'Sector code (mã lĩnh vực), e.g. G03-GD10.'),
    applicant: APPLICANT_SCHEMA_V1,
  },
  optional: ['sectorCode'],
  classification: {
    submittedAt: FieldClass.Public,
    channel: FieldClass.Public,
    applicantType: FieldClass.Public,
    sectorCode: FieldClass.Public,
    applicant: FieldClass.Personal,
  },
});
