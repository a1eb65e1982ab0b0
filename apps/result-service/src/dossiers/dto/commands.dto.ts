/** Request bodies of result-service commands: TypeScript shape + JSON Schema (validateBody, OpenAPI). */
/**
 * Free text: any characters but NUL (U+0000), which Postgres cannot store in text/jsonb, and a lone UTF-16 surrogate
 * (`"\\ud83d"`, half of an emoji: valid JSON, not a character; jsonb refuses it and text would store U+FFFD). Both
 * used to give 500 (ADR 0308, 0309). ajv matches patterns in Unicode mode: an emoji is one code point, not a surrogate.
 */
const FREE_TEXT = '[^\\u0000\\uD800-\\uDFFF]*';
const text = (max = 2000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: `^${FREE_TEXT}$` });
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
    /** Published (DossierResolved.resultCode): a document number, not a bare 9–12 digit phone/CCCD number (ADR 0308). */
    resultCode: { type: 'string', pattern: '^(?!\\d{9,12}$)[A-Za-z0-9._-]{1,64}$' },
  },
  ['kind'],
  { if: { properties: { kind: { const: 'ELECTRONIC' } } }, then: { required: ['kind', 'fileUrl', 'legallyValid'] } },
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
