/** Request bodies of result-service commands: TypeScript shape + JSON Schema (validateBody, OpenAPI). */
import { DOCUMENT_NUMBER_PATTERN, FREE_TEXT_PATTERN } from '@onestop/contracts';

/** Free text (FREE_TEXT_PATTERN of @onestop/contracts): not blank, no NUL, no lone surrogate (ADR 0308, 0309). */
const text = (max = 2000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: FREE_TEXT_PATTERN });
const code = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' };
const obj = (properties: Record<string, object>, required: string[] = [], extra: object = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
  ...extra,
});

export interface ResolveDto {
  kind: 'PAPER' | 'ELECTRONIC';
  /** Electronic results: digitally signed and legally valid. */
  legallyValid?: boolean;
  /** Link to the signed file (required for electronic results). */
  fileUrl?: string;
  resultCode?: string;
}
export const RESOLVE_SCHEMA = obj(
  {
    kind: { type: 'string', enum: ['PAPER', 'ELECTRONIC'] },
    legallyValid: { type: 'boolean' },
    fileUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
    /**
     * Published (DossierResolved.resultCode): the result's document number (số/ký hiệu, `15/2026/QĐ-UBND`): letters,
     * digits and `. _ / -`, at least one digit, never a CCCD/CMND or phone number, bare or in groups (ADR 0308).
     */
    resultCode: {
      type: 'string',
      maxLength: 64,
      pattern: DOCUMENT_NUMBER_PATTERN,
      description: "the result document's number (số/ký hiệu, e.g. 15/2026/QĐ-UBND): letters, digits and . _ / -, with a digit; never a name, an ID-card or phone number (it is published)",
    },
  },
  ['kind'],
  {
    allOf: [
      { if: { properties: { kind: { const: 'ELECTRONIC' } } }, then: { required: ['kind', 'fileUrl', 'legallyValid'] } },
      // legallyValid describes an electronic result (QĐ 766: e-result with legal value); `true` on a paper result was
      // stored as false without a word: refused, naming the field
      { if: { properties: { kind: { const: 'PAPER' } }, required: ['kind'] }, then: { properties: { legallyValid: { const: false } } } },
    ],
  },
);

export interface PaymentDto {
  method: 'ONLINE' | 'CASH' | 'TRANSFER';
  gateway?: 'NATIONAL_PORTAL' | 'PROVINCIAL_GATEWAY';
  /** Codes of fee lines the applicant is exempt from (đối tượng miễn phí). */
  exemptFeeCodes?: string[];
  reference?: string;
}
export const PAYMENT_SCHEMA = obj(
  {
    method: { type: 'string', enum: ['ONLINE', 'CASH', 'TRANSFER'] },
    gateway: { type: 'string', enum: ['NATIONAL_PORTAL', 'PROVINCIAL_GATEWAY'] },
    exemptFeeCodes: { type: 'array', items: code, maxItems: 50, uniqueItems: true },
    reference: text(100),
  },
  ['method'],
  { if: { properties: { method: { const: 'ONLINE' } } }, then: { required: ['method', 'gateway'] } },
);

export interface ReturnDto {
  mode: 'COUNTER' | 'POST' | 'ONLINE';
  address?: string;
  trackingCode?: string;
}
export const RETURN_SCHEMA = obj(
  { mode: { type: 'string', enum: ['COUNTER', 'POST', 'ONLINE'] }, address: text(500), trackingCode: text(100) },
  ['mode'],
  { if: { properties: { mode: { const: 'POST' } } }, then: { required: ['mode', 'address'] } },
);

export interface RatingDto {
  rating: 'VERY_SATISFIED' | 'SATISFIED' | 'DISSATISFIED';
  comment?: string;
}
export const RATING_SCHEMA = obj({ rating: { type: 'string', enum: ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'] }, comment: text() }, ['rating']);
