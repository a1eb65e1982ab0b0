/**
 * Request bodies of the processing commands: TypeScript shape + JSON Schema (validated with ajv through
 * `validateBody` from @onestop/http; the same schemas feed the OpenAPI document).
 */
import { FREE_TEXT_PATTERN, PERSONAL_NUMBER_PATTERN, PUBLIC_REFERENCE_PATTERN, WITHDRAWAL_REQUEST_REF_PATTERN } from '@onestop/contracts';

/** Free text (FREE_TEXT_PATTERN of @onestop/contracts): not blank, no NUL, no lone surrogate (ADR 0308, 0309). */
const text = (max = 2000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: FREE_TEXT_PATTERN });
/**
 * A fee line's name (TenPhiLePhi) is published on the public topic: the catalogue name of the fee, never the
 * applicant's contact or ID number. No run of 9 or more digits (phone, CCCD/CMND), none written in groups
 * (`SĐT 0966.777.888`, PERSONAL_NUMBER_PATTERN) and no e-mail address (ADR 0308).
 */
const feeName = { ...text(200), pattern: `^(?!.*\\d{9})(?!.*${PERSONAL_NUMBER_PATTERN})(?!.*@)${FREE_TEXT_PATTERN.slice(1)}` };
const code = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' };
/** A fee line's code (MaPhiLePhi), published: a reference, not a personal number (PUBLIC_REFERENCE_PATTERN). */
const feeCode = { type: 'string', maxLength: 64, pattern: PUBLIC_REFERENCE_PATTERN };
const timestamp = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});

export interface TransferDto {
  agencyId: string;
  officerId?: string;
  stepDueAt?: string;
}
export const TRANSFER_SCHEMA = obj({ agencyId: code, officerId: code, stepDueAt: timestamp }, ['agencyId']);

export interface AssignDto {
  officerId: string;
}
export const ASSIGN_SCHEMA = obj({ officerId: code }, ['officerId']);

export interface StartStepDto {
  agencyId: string;
  dueAt: string;
  description?: string;
}
export const START_STEP_SCHEMA = obj({ agencyId: code, dueAt: timestamp, description: text(500) }, ['agencyId', 'dueAt']);

export interface CompleteStepDto {
  outcome?: string;
}
export const COMPLETE_STEP_SCHEMA = obj({ outcome: text(500) });

export interface SupplementRequestDto {
  content: string;
  applicantDeadline?: string;
}
export const SUPPLEMENT_REQUEST_SCHEMA = obj({ content: text(), applicantDeadline: timestamp }, ['content']);

export interface SupplementReceiptDto {
  note?: string;
}
export const SUPPLEMENT_RECEIPT_SCHEMA = obj({ note: text(500) });

export interface FeeLineDto {
  code: string;
  name: string;
  amount: number;
  collectedAt?: 'INTAKE' | 'SUPPLEMENT' | 'RESULT';
}
export interface FinancialObligationDto {
  feeLines: FeeLineDto[];
  exempt?: boolean;
  description?: string;
  /** Sum of the lines, as a cross-check (the total is always computed from the lines). */
  amount?: number;
}
/**
 * Largest amount of one fee line, VND (10 000 billion đồng, far above any lệ phí / phí / tax of a procedure): 50 lines
 * still sum to an exact JavaScript integer and fit result-service's columns, so an obligation accepted here is never
 * a message its consumers cannot store (ADR 0308).
 */
export const MAX_FEE_LINE_AMOUNT_VND = 10_000_000_000_000;
const feeAmount = { type: 'integer', minimum: 0, maximum: MAX_FEE_LINE_AMOUNT_VND };
export const FINANCIAL_OBLIGATION_SCHEMA = obj(
  {
    feeLines: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: obj(
        {
          code: feeCode,
          name: feeName,
          amount: feeAmount,
          collectedAt: { type: 'string', enum: ['INTAKE', 'SUPPLEMENT', 'RESULT'] },
        },
        ['code', 'name', 'amount'],
      ),
    },
    exempt: { type: 'boolean' },
    description: text(500),
    /** Optional cross-check: must equal the sum of the lines (422 `amount` otherwise). */
    amount: { type: 'integer', minimum: 0, maximum: 50 * MAX_FEE_LINE_AMOUNT_VND },
  },
  ['feeLines'],
);

export interface SuspensionDto {
  reason: string;
}
export const SUSPENSION_SCHEMA = obj({ reason: text() }, ['reason']);

export interface ResumptionDto {
  reason?: string;
}
export const RESUMPTION_SCHEMA = obj({ reason: text() });

export interface ApologyDto {
  reason: string;
  newDueAt: string;
}
export const APOLOGY_SCHEMA = obj({ reason: text(), newDueAt: timestamp }, ['reason', 'newDueAt']);

export interface RefusalDto {
  reason: string;
}
export const REFUSAL_SCHEMA = obj({ reason: text() }, ['reason']);

export interface WithdrawalDto {
  requestRef: string;
  reason?: string;
}
/**
 * `requestRef` travels on the public topic: a reference number only, never free text, and no run of 9 or more digits
 * anywhere (`Lan-0912345678`, `CCCD-001099012345`): the shared pattern of intake and processing (ADR 0308).
 */
export const WITHDRAWAL_SCHEMA = obj(
  {
    requestRef: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: WITHDRAWAL_REQUEST_REF_PATTERN,
      description: "the withdrawal request's reference number (e.g. RUT-2026-015): letters, digits and . _ / -, with a digit; never a name, an ID-card or phone number (it is published)",
    },
    reason: text(),
  },
  ['requestRef'],
);
