import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ProblemException, type FieldError } from './problem';

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true });
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
  return e.message ?? 'is invalid';
}

/**
 * Validates a request body against a JSON Schema (compiled once per id) and returns it typed, or throws a
 * 400 problem listing every field at fault.
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
  if (!validate(body)) {
    const errors: FieldError[] = (validate.errors ?? []).map((e) => ({ field: fieldOf(e), message: messageOf(e) }));
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
