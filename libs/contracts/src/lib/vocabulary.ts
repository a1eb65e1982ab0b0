/**
 * The shared vocabulary of the dossier lifecycle (domain.md §1). Wire values: stable strings that appear
 * in events, APIs and storage. Changing a value is a breaking change of the event contract.
 */

/** Internal lifecycle state of a dossier (domain.md §1.3). */
export const DossierStatus = {
  Submitted: 'SUBMITTED',
  Received: 'RECEIVED',
  IntakeRejected: 'INTAKE_REJECTED',
  InProcess: 'IN_PROCESS',
  SupplementRequested: 'SUPPLEMENT_REQUESTED',
  AwaitingPayment: 'AWAITING_PAYMENT',
  Suspended: 'SUSPENDED',
  Refused: 'REFUSED',
  Withdrawn: 'WITHDRAWN',
  Resolved: 'RESOLVED',
  Returned: 'RETURNED',
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];
export const DOSSIER_STATUSES: readonly DossierStatus[] = Object.values(DossierStatus);

/** National portal (DVCQG) status code TrangThaiHoSo 1–10 for each internal state (domain.md §1.2–1.3). */
export const NATIONAL_STATUS_CODE: Readonly<Record<DossierStatus, number>> = {
  SUBMITTED: 1,
  RECEIVED: 2,
  INTAKE_REJECTED: 3,
  IN_PROCESS: 4,
  SUPPLEMENT_REQUESTED: 5,
  AWAITING_PAYMENT: 6,
  WITHDRAWN: 7,
  SUSPENDED: 8,
  REFUSED: 8,
  RESOLVED: 9,
  RETURNED: 10,
};

/** Submission channel, KenhThucHien (domain.md §1.1): 1 direct, 2 online, 3 postal. */
export const Channel = { Direct: 'DIRECT', Online: 'ONLINE', Postal: 'POSTAL' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNEL_CODE: Readonly<Record<Channel, number>> = { DIRECT: 1, ONLINE: 2, POSTAL: 3 };

/** How the result is handed over (HinhThucTra). */
export const DeliveryMode = { Counter: 'COUNTER', Online: 'ONLINE', Post: 'POST' } as const;
export type DeliveryMode = (typeof DeliveryMode)[keyof typeof DeliveryMode];

/** Unit of a legal time limit (LoaiThoiGianThucHien / DonViTinh). */
export const TimeLimitUnit = {
  WorkingHours: 'WORKING_HOURS',
  WorkingDays: 'WORKING_DAYS',
  CalendarDays: 'CALENDAR_DAYS',
  Months: 'MONTHS',
} as const;
export type TimeLimitUnit = (typeof TimeLimitUnit)[keyof typeof TimeLimitUnit];

/** What happens to the clock when a supplement is requested (domain.md §2.3). */
export const SupplementPolicy = { Restart: 'RESTART', Pause: 'PAUSE' } as const;
export type SupplementPolicy = (typeof SupplementPolicy)[keyof typeof SupplementPolicy];

/** Citizen rating (TD): Rất hài lòng / Hài lòng / Không hài lòng. */
export const Rating = {
  VerySatisfied: 'VERY_SATISFIED',
  Satisfied: 'SATISFIED',
  Dissatisfied: 'DISSATISFIED',
} as const;
export type Rating = (typeof Rating)[keyof typeof Rating];

/** Applicant type, LoaiDoiTuong: 1 citizen, 2 enterprise, 3 state body, 4 organisation/other. */
export const ApplicantType = {
  Citizen: 'CITIZEN',
  Enterprise: 'ENTERPRISE',
  StateBody: 'STATE_BODY',
  Organisation: 'ORGANISATION',
} as const;
export type ApplicantType = (typeof ApplicantType)[keyof typeof ApplicantType];

/** Payment method for fees (truc-tuyen / tien-mat / chuyen-khoan). */
export const PaymentMethod = { Online: 'ONLINE', Cash: 'CASH', Transfer: 'TRANSFER' } as const;
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod];

/** When a fee line is collected, HinhThucThu (domain.md §1.5): 1 at intake, 2 at supplementation, 4 at result return. */
export const FeeCollectionStage = {
  Intake: 'INTAKE',
  Supplement: 'SUPPLEMENT',
  Result: 'RESULT',
} as const;
export type FeeCollectionStage = (typeof FeeCollectionStage)[keyof typeof FeeCollectionStage];
export const FEE_COLLECTION_STAGE_CODE: Readonly<Record<FeeCollectionStage, number>> = {
  INTAKE: 1,
  SUPPLEMENT: 2,
  RESULT: 4,
};

/**
 * Where an online payment went through, DuocThanhToanTrucTuyen (domain.md §1.5): 1 the National Portal's
 * payment platform, 2 a provincial payment gateway.
 */
export const OnlinePaymentGateway = {
  NationalPortal: 'NATIONAL_PORTAL',
  ProvincialGateway: 'PROVINCIAL_GATEWAY',
} as const;
export type OnlinePaymentGateway = (typeof OnlinePaymentGateway)[keyof typeof OnlinePaymentGateway];

/**
 * Source of data reused instead of asking the applicant again (QĐ 766 indicators 4.3–4.5): the national
 * population database (CSDL quốc gia về dân cư), the citizen's document repository (kho quản lý dữ liệu điện
 * tử của tổ chức, cá nhân, "kho DMQG"), another national/specialised database, or an earlier dossier.
 */
export const DataReuseSource = {
  PopulationDatabase: 'POPULATION_DATABASE',
  CitizenRepository: 'CITIZEN_REPOSITORY',
  NationalDatabase: 'NATIONAL_DATABASE',
  PreviousDossier: 'PREVIOUS_DOSSIER',
} as const;
export type DataReuseSource = (typeof DataReuseSource)[keyof typeof DataReuseSource];

/**
 * A CCCD/CMND or phone number written in groups — `0977.111.222`, `001-077-005-555`, `+84 977 111 222` — inside a
 * string: 9–12 digits separated by at most one space (also a no-break space), dot, underscore, dash (also the
 * en / em dashes and hyphens a word processor or phone keyboard puts in, U+2010–U+2015) or middle dot, starting with `0` (every CCCD and
 * Vietnamese mobile or landline number) or `84` (the country code), and not part of a longer digit sequence (a dossier
 * code). Amounts (`100.000.000`) and document numbers (`15/2026/QĐ-UBND`, `GKS-2026-000123`) do not match; nor does an
 * old 9-digit CMND not starting with 0 written in groups (a bare one is refused by the "9 digits in a row" rules).
 * The source of a regular expression (Unicode mode) for JSON Schema patterns; see `containsPersonalNumber`.
 */
export const PERSONAL_NUMBER_PATTERN = '(?<!\\d)(?<!\\d[ ._\\-\\u00A0\\u00B7\\u2010-\\u2015])(?=0|84)(?:\\d[ ._\\-\\u00A0\\u00B7\\u2010-\\u2015]?){8,11}\\d(?![ ._\\-\\u00A0\\u00B7\\u2010-\\u2015]?\\d)';
const PERSONAL_NUMBER = new RegExp(PERSONAL_NUMBER_PATTERN, 'u');

/** True when `s` holds a CCCD/CMND or phone number, in one run of digits (9 or more) or written in groups. */
export function containsPersonalNumber(s: string): boolean {
  s = s.replace(/\p{Cf}/gu, ''); // a zero-width character inside the number does not hide it
  return /\d{9}/.test(s) || PERSONAL_NUMBER.test(s);
}

/**
 * Free text typed by an officer (a reason, a note, a supplement request's content): at least one character that is
 * neither white space nor an invisible format character such as U+200B (a blank reason on an official form is no reason), no NUL (U+0000, which Postgres cannot store) and
 * no lone UTF-16 surrogate (valid JSON, not a character; ADR 0308, 0309). ajv matches patterns in Unicode mode.
 */
export const FREE_TEXT_PATTERN = '^(?=[\\s\\S]*[^\\s\\p{Cf}])[^\\u0000\\uD800-\\uDFFF]*$';

/**
 * A whole reference of 9–12 digits and nothing else: in one run (`001099012345`), or starting with 0 or 84 with a
 * separator (space, dot, dash, underscore or slash) between any two of them (`001099/012345`). A reference made only
 * of such digits is a CCCD/CMND or phone number far more often than a document's number (those carry letters or a
 * year: `15/2026/QĐ-UBND`; a procedure code `1.004227.000` starts with 1); used anchored (after `^`) below.
 */
const DIGITS_ONLY_NUMBER = '\\d{9,12}$|(?=0|84)(?:\\d[ ._/-]?){8,11}\\d$';

/**
 * A reference published on the public topic where an old system may hold any identifier (an imported
 * inter-agency `stepId`, a fee line `code`): letters, digits and `. _ / -`, no spaces, at most 64 characters (the
 * contract's `Code`), and not a bare 9–12 digit number (a CCCD/CMND or phone number) nor one written in groups
 * (`001.166.007.777`, `PERSONAL_NUMBER_PATTERN`). UUIDs pass (whatever digits their groups hold).
 */
export const PUBLIC_REFERENCE_PATTERN = `^(?:[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|(?!${DIGITS_ONLY_NUMBER})(?!.*${PERSONAL_NUMBER_PATTERN})[\\p{L}\\p{N}][\\p{L}\\p{N}._/-]{0,63})$`;

/**
 * The number of an official document published on the public topic (a result's số/ký hiệu, `15/2026/QĐ-UBND`,
 * `GKS-2026-000123`): `PUBLIC_REFERENCE_PATTERN` with at least one digit (a number, not a word or a name).
 */
export const DOCUMENT_NUMBER_PATTERN = `^(?=.*\\p{N})${PUBLIC_REFERENCE_PATTERN.slice(1)}`;

/**
 * The reference number of an applicant's withdrawal request (số đơn / số văn bản, e.g. `15/2025/ĐRHS`, `RUT-0042`), as
 * the lifecycle services accept it: `PUBLIC_REFERENCE_PATTERN`, at least one digit (a number: `Hoàng-Văn-Nam` is a
 * name), and no run of 9 or more digits anywhere (a CCCD/CMND or phone number inside it, `Lan-0912345678`,
 * `CCCD-001099012345`), nor one written in groups (`001-077-005-555`). `DossierWithdrawn.requestRef` travels on the
 * **public** topic, so free text such as the applicant's name is refused at the API (400 `requestRef`); the
 * free-text `reason` stays internal (audit log). Used by intake (withdrawal of a submitted online dossier, imported
 * withdrawals) and processing (withdrawal of a received one); ADR 0308.
 */
export const WITHDRAWAL_REQUEST_REF_PATTERN = `^(?=.*\\p{N})(?!${DIGITS_ONLY_NUMBER})(?!.*\\d{9})(?!.*${PERSONAL_NUMBER_PATTERN})[\\p{L}\\p{N}][\\p{L}\\p{N}._/-]{0,63}$`;
