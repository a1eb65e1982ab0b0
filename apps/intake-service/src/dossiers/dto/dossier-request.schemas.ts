import { ApplicantType, WITHDRAWAL_REQUEST_REF_PATTERN } from '@onestop/contracts';

/**
 * JSON Schemas of the request bodies: ajv validates them (400 with field paths) and Swagger shows them.
 * Unknown properties are rejected so a typo never silently drops data.
 */
const TIMESTAMP = { type: 'string', format: 'date-time', description: 'ISO-8601 with offset; never in the future.' };
const UNIT_CODE = { type: 'string', minLength: 1, maxLength: 35, pattern: '^[A-Za-z0-9]+([.\\-][A-Za-z0-9]+)*$', description: 'One-stop unit code (mã định danh), e.g. 000.00.15.H56.' };
/** The time an officer answers a submission (accept / reject): it cannot predate the submission (400). */
const ANSWER_TIMESTAMP = { ...TIMESTAMP, description: 'ISO-8601 with offset; never in the future nor before the submission.' };
const PROCEDURE_CODE = { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\d\\.\\d{6}(\\.[A-Za-z0-9]+)*$', description: 'Procedure code (mã TTHC), e.g. 1.000948.' };

export const APPLICANT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'fullName', 'idNumber', 'phone'],
  properties: {
    type: { type: 'string', enum: Object.values(ApplicantType) },
    // printed on the receipt: a name of blanks only is no name (round 4)
    fullName: { type: 'string', minLength: 1, maxLength: 200, pattern: '[^\\s\\p{Cf}]' },
    idNumber: { type: 'string', pattern: '^[A-Za-z0-9./-]{6,32}$' },
    phone: { type: 'string', pattern: '^\\+?[0-9 .-]{8,20}$' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    address: { type: 'string', minLength: 1, maxLength: 500, pattern: '[^\\s\\p{Cf}]' },
    vneidVerified: { type: 'boolean' },
  },
} as const;

export const COMPONENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 64 },
    copies: { type: 'integer', minimum: 1, maximum: 100 },
    digitised: { type: 'boolean', description: 'Scanned at intake (DuocSoHoa).' },
    reused: { type: 'boolean', description: 'Reused from digitised data (DuocTaiSuDung).' },
    fromRepository: { type: 'boolean', description: 'Taken from the citizen repository (DuocLayTuKhoDMQG).' },
    fileRef: { type: 'string', minLength: 1, maxLength: 500 },
  },
} as const;

const COMPONENTS = { type: 'array', minItems: 1, maxItems: 100, items: COMPONENT_SCHEMA } as const;

/** How the citizen chooses to receive the result (HinhThucTra; the codes of ResultReturned.deliveryMode). */
const RESULT_DELIVERY = {
  type: 'string',
  enum: ['COUNTER', 'POST', 'ONLINE'],
  description: 'How the citizen receives the result: COUNTER (default: at the one-stop desk), POST (public postal service to applicant.address, then required) or ONLINE (electronic result on the portal). Printed on the receipt.',
} as const;

export const RECEIVE_DOSSIER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'unitCode', 'procedureCode', 'applicant', 'components'],
  properties: {
    channel: { type: 'string', enum: ['DIRECT', 'POSTAL'] },
    unitCode: UNIT_CODE,
    procedureCode: PROCEDURE_CODE,
    applicant: APPLICANT_SCHEMA,
    components: COMPONENTS,
    receivedAt: TIMESTAMP,
    submittedAt: TIMESTAMP,
    resultDelivery: RESULT_DELIVERY,
  },
} as const;

export const SUBMIT_ONLINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['unitCode', 'procedureCode', 'applicant', 'components'],
  properties: {
    unitCode: UNIT_CODE,
    procedureCode: PROCEDURE_CODE,
    applicant: APPLICANT_SCHEMA,
    components: COMPONENTS,
    submittedAt: TIMESTAMP,
    externalRef: { type: 'string', minLength: 1, maxLength: 100, description: "The portal's id of the submission." },
    resultDelivery: RESULT_DELIVERY,
  },
} as const;

export const ACCEPT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { receivedAt: ANSWER_TIMESTAMP },
} as const;

export const REJECT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  // the reason printed on the refusal (Mẫu 03): not blank
  properties: { reason: { type: 'string', minLength: 3, maxLength: 2000, pattern: '[^\\s\\p{Cf}]' }, rejectedAt: ANSWER_TIMESTAMP },
} as const;

/** Withdrawal of a submitted (not yet received) online dossier at the applicant's request; same body as processing's. */
export const WITHDRAW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['requestRef'],
  properties: {
    // travels on the public topic (DossierWithdrawn.requestRef): a reference number, never the applicant's name or
    // phone (ADR 0308); the free-text reason stays in this service's audit log
    requestRef: { type: 'string', minLength: 1, maxLength: 64, pattern: WITHDRAWAL_REQUEST_REF_PATTERN },
    reason: { type: 'string', minLength: 1, maxLength: 2000, pattern: '[^\\s\\p{Cf}]' },
  },
} as const;

export const RECORD_COMPONENTS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['components'],
  properties: { components: COMPONENTS },
} as const;
