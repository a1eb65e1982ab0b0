import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ProblemException, type FieldError } from './problem';

// verbose: an error carries its schema, so a pattern error can be worded with the field's description
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true, verbose: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** "/applicant/idNumber" → "applicant.idNumber"; "/components/2/code" → "components[2].code". */
export function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || 'body';
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'is not an allowed property';
  if (e.keyword === 'required') return 'is required';
  // ajv says "must be equal to constant": say which value (round 8: a paper result's `legallyValid: true`)
  if (e.keyword === 'const') return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} here`;
  // a regular expression alone tells an officer nothing (black-box round 10): the field's description says what is
  // accepted; the expression stays, after it, for developers
  if (e.keyword === 'pattern') {
    const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
    const pattern = String((e.params as { pattern: string }).pattern);
    return typeof description === 'string' ? `is not in the accepted form: ${description}` : `is not in the accepted form (pattern ${pattern})`;
  }
  return e.message ?? 'is invalid';
}

/**
 * Puts every string value of a parsed JSON body in Unicode NFC, with full-width digits as ASCII digits and without
 * invisible format characters (Unicode Cf), in place
 * (object keys are left as they are).
 * Vietnamese typed on some systems arrives decomposed (NFD: `ơ` as `o` + U+031B): the same name or reference would
 * otherwise be stored, compared, deduplicated and published as two different texts. Lone surrogates pass unchanged
 * (the schemas refuse them where it matters).
 */
export function normaliseText<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normaliseText(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = normaliseText(o[k]);
  } else if (typeof value === 'string') {
    // full-width digits (an East Asian input method's ０９７７…) are digits: folded to ASCII so that the number checks see
    // them; invisible format characters (U+200B zero-width space, U+FEFF, U+00AD soft hyphen, bidi marks: Unicode Cf)
    // are dropped: they carry nothing a form needs, and inside a number (`0010\u200b99012345`) they hid it from the
    // personal-number checks, or made a name of nothing but invisible characters look filled in (black-box round 7)
    return value
      .normalize('NFC')
      .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
      .replace(/\p{Cf}/gu, '') as T;
  }
  return value;
}

/**
 * Validates a request body against a JSON Schema (compiled once per id) and returns it typed, or throws a
 * 400 problem listing every field at fault. Its strings are put in NFC first (`normaliseText`).
 */
export function validateBody<T>(schemaId: string, schema: object, body: unknown): T {
  let validate = compiled.get(schemaId);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schemaId, validate);
  }
  if (body === undefined || body === null || typeof body !== 'object') {
    throw ProblemException.validation([{ field: 'body', message: 'a JSON object is required' }]);
  }
  normaliseText(body);
  if (!validate(body)) {
    // an `if`/`then` rule reports the specific error (the field at fault) plus `must match "then" schema` on the parent:
    // the latter names no field, so it is left out unless it is all there is
    const all = validate.errors ?? [];
    const specific = all.filter((e) => e.keyword !== 'if');
    const errors: FieldError[] = (specific.length > 0 ? specific : all).map((e) => ({ field: fieldOf(e), message: messageOf(e) }));
    throw ProblemException.validation(dedupe(errors));
  }
  return body as T;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.field}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
