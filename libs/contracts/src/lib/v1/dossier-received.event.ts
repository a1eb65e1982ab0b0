import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { arrayOf, bool, object, ref, stringEnum } from '../json-schema.util';
import { Channel, SupplementPolicy, TimeLimitUnit, type ApplicantType } from '../vocabulary';
import { APPLICANT_SCHEMA_V1, APPLICANT_TYPE_SCHEMA, type ApplicantV1 } from './applicant.event';

/** A legal time limit: value + unit (ThoiGianThucHien + LoaiThoiGianThucHien). */
export interface TimeLimitV1 {
  readonly value: number;
  readonly unit: TimeLimitUnit;
}

/** One component (thành phần hồ sơ) of the dossier with the QĐ 766 digitisation flags (TaiLieuNop). */
export interface DossierComponentV1 {
  /** MaThanhPhanHoSo. */
  readonly code: string;
  readonly name?: string;
  /** DuocSoHoa: the component file was digitised. */
  readonly digitised: boolean;
  /** DuocTaiSuDung: reused from digitised data instead of a new paper copy. */
  readonly reused: boolean;
  /** DuocLayTuKhoDMQG: taken from the citizen's document repository. */
  readonly fromCitizenRepository: boolean;
}

export interface DossierReceivedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayTiepNhan: a complete, valid dossier was accepted; the clock starts. */
  readonly receivedAt: IsoDateTime;
  /** NgayNopHoSo when known (online/postal submissions); equals receivedAt at the counter. */
  readonly submittedAt?: IsoDateTime;
  readonly channel: Channel;
  /** NgayHenTra: appointment for the result; null when `noAppointment`. */
  readonly dueAt: IsoDateTime | null;
  /** True for procedures resolved without an appointment (e.g. on the spot). */
  readonly noAppointment: boolean;
  /** Legal due date computed from the time limit; apologies never move it (docs/event-contract.md). */
  readonly originalDueAt: IsoDateTime | null;
  readonly timeLimit: TimeLimitV1;
  readonly supplementPolicy: SupplementPolicy;
  /** Sector code (mã lĩnh vực), e.g. G03-GD10. */
  readonly sectorCode: string;
  /** Competent unit that resolves the dossier (may differ from the receiving unit). */
  readonly resolvingUnitId: string;
  readonly applicantType: ApplicantType;
  readonly components: readonly DossierComponentV1[];
  /** TaiKhoanDuocXacThucVoiVNeID: the applicant's account was authenticated with VNeID. */
  readonly identityVerifiedWithVneid: boolean;
  /** The procedure charges a fee or charge for this case. */
  readonly feeRequired: boolean;
  /** The procedure's result is a paper document (denominator of the e-result indicator 4.1). */
  readonly paperResultRequired: boolean;
  /** Regulation set in force at receipt, e.g. `ND118-2025`. */
  readonly regulationVersion: string;
  /** Version of the published procedure (quyết định công bố), when tracked. */
  readonly procedureVersion?: string;
  /**
   * The dossier's number in the legacy one-stop system it was imported from (MaHoSo there), when it had another:
   * lets the National Portal and the province match a dossier the old system had already published.
   */
  readonly legacyCode?: string;
}
export interface DossierReceivedPayloadV1 extends DossierReceivedPublicPayloadV1 {
  readonly applicant: ApplicantV1;
}

/** The one-stop unit accepted the dossier and issued the receipt (→ RECEIVED, national status 2). */
export type DossierReceivedV1 = EventEnvelope<'DossierReceived', DossierReceivedPayloadV1>;
export type PublicDossierReceivedV1 = EventEnvelope<
  'DossierReceived',
  DossierReceivedPublicPayloadV1
>;

export const DossierReceivedV1 = defineEventV1<
  DossierReceivedPayloadV1,
  DossierReceivedPublicPayloadV1
>()({
  type: 'DossierReceived',
  summary:
    'The one-stop unit accepted a complete dossier and issued the receipt (SUBMITTED/∅ → RECEIVED).',
  producedBy: 'intake-service',
  properties: {
    receivedAt: ref('Timestamp', 'Receipt time (NgayTiepNhan); the clock starts.'),
    submittedAt: ref('Timestamp', 'Submission time (NgayNopHoSo), when known.'),
    channel: stringEnum(Object.values(Channel), 'Submission channel (KenhThucHien).'),
    dueAt: ref(
      'NullableTimestamp',
      'Appointment for the result (NgayHenTra); null when noAppointment.',
    ),
    noAppointment: bool('True when no appointment is given.'),
    originalDueAt: ref(
      'NullableTimestamp',
      'Legal due date from the time limit; apologies never move it.',
    ),
    timeLimit: object(
      {
        value: { type: 'number', exclusiveMinimum: 0, description: 'Amount of the limit.' },
        unit: stringEnum(Object.values(TimeLimitUnit), 'Unit of the limit.'),
      },
      ['value', 'unit'],
      'Legal time limit of the procedure for this case and channel.',
    ),
    supplementPolicy: stringEnum(Object.values(SupplementPolicy), 'Clock rule on supplementation.'),
    sectorCode: ref('Code', 'Sector code (mã lĩnh vực), e.g. G03-GD10.'),
    resolvingUnitId: ref('UnitCode', 'Competent unit that resolves the dossier.'),
    applicantType: APPLICANT_TYPE_SCHEMA,
    components: arrayOf(
      object(
        {
          code: ref('Code', 'Component code (MaThanhPhanHoSo).'),
          name: ref('Text', 'Component name.'),
          digitised: bool('DuocSoHoa: the component file was digitised.'),
          reused: bool('DuocTaiSuDung: reused from digitised data.'),
          fromCitizenRepository: bool(
            'DuocLayTuKhoDMQG: taken from the citizen document repository.',
          ),
        },
        ['code', 'digitised', 'reused', 'fromCitizenRepository'],
        'A dossier component (TaiLieuNop).',
      ),
      'Dossier components with their digitisation flags.',
    ),
    identityVerifiedWithVneid: bool('TaiKhoanDuocXacThucVoiVNeID.'),
    feeRequired: bool('The procedure charges a fee for this case.'),
    paperResultRequired: bool('The result is a paper document (indicator 4.1 denominator).'),
    regulationVersion: ref('Code', 'Regulation set in force at receipt, e.g. ND118-2025.'),
    procedureVersion: ref('Code', 'Version of the published procedure.'),
    legacyCode: ref('LegacyCode', 'Number of the dossier in the legacy system it was imported from (imported dossiers only).'),
    applicant: APPLICANT_SCHEMA_V1,
  },
  optional: ['submittedAt', 'procedureVersion', 'legacyCode'],
  classification: {
    receivedAt: FieldClass.Public,
    submittedAt: FieldClass.Public,
    channel: FieldClass.Public,
    dueAt: FieldClass.Public,
    noAppointment: FieldClass.Public,
    originalDueAt: FieldClass.Public,
    timeLimit: FieldClass.Public,
    supplementPolicy: FieldClass.Public,
    sectorCode: FieldClass.Public,
    resolvingUnitId: FieldClass.Public,
    applicantType: FieldClass.Public,
    components: FieldClass.Public,
    identityVerifiedWithVneid: FieldClass.Public,
    feeRequired: FieldClass.Public,
    paperResultRequired: FieldClass.Public,
    regulationVersion: FieldClass.Public,
    procedureVersion: FieldClass.Public,
    legacyCode: FieldClass.Public,
    applicant: FieldClass.Personal,
  },
});
