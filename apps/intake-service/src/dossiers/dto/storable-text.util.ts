import { ProblemException, validateBody, type FieldError } from '@onestop/http';

/**
 * U+0000 and unpaired UTF-16 surrogates are valid in a JSON string but Postgres cannot store them (text:
 * "invalid byte sequence 0x00", jsonb: "unsupported Unicode escape sequence"): such a request failed at the INSERT
 * with a 500, and one such line made every chunk of an import fail, for ever. They are refused as field errors.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** The text with every character Postgres cannot store replaced by U+FFFD (for logs of rejected input). */
export function toStorableText(s: string): string {
  return s.replace(new RegExp(UNSTORABLE.source, 'g'), '\ufffd');
}

/** The string fields (and property names) of a parsed JSON value that Postgres cannot store, by field path. */
export function unstorableTextFields(value: unknown, path = ''): FieldError[] {
  const at = (p: string) => p || 'body';
  if (typeof value === 'string') return isStorableText(value) ? [] : [{ field: at(path), message: 'must not contain U+0000 or unpaired surrogate characters' }];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableTextFields(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = path ? `${path}.${k}` : k;
      return isStorableText(k) ? unstorableTextFields(v, p) : [{ field: at(path), message: 'property names must not contain U+0000 or unpaired surrogate characters' }];
    });
  }
  return [];
}

/** `validateBody` (400 naming the fields), then the same 400 for text Postgres cannot store. */
export function validateRequest<T>(schemaId: string, schema: object, body: unknown): T {
  const value = validateBody<T>(schemaId, schema, body);
  const errors = unstorableTextFields(value);
  if (errors.length > 0) throw ProblemException.validation(errors);
  return value;
}
