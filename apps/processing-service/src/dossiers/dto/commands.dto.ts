/**
 * Request bodies of the processing commands: TypeScript shape + JSON Schema (validated with ajv through
 * `validateBody` from @onestop/http; the same schemas feed the OpenAPI document).
 */
const text = (max = 2000) => ({ type: 'string', minLength: 1, maxLength: max });
const code = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' };
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
  /** Sum of the lines (computed when absent). */
  amount?: number;
}
export const FINANCIAL_OBLIGATION_SCHEMA = obj(
  {
    feeLines: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: obj(
        {
          code,
          name: text(200),
          amount: { type: 'integer', minimum: 0 },
          collectedAt: { type: 'string', enum: ['INTAKE', 'SUPPLEMENT', 'RESULT'] },
        },
        ['code', 'name', 'amount'],
      ),
    },
    exempt: { type: 'boolean' },
    description: text(500),
    amount: { type: 'integer', minimum: 0 },
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
export const WITHDRAWAL_SCHEMA = obj({ requestRef: text(100), reason: text() }, ['requestRef']);
