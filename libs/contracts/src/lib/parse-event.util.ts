import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CONTRACT_DATE_TIME_FORMAT } from './date-time-format.util';
import { EventVariant, eventSchemaV1 } from './event-schema.util';
import { SCHEMA_DEFINITIONS, TIMESTAMP_PATTERN } from './json-schema.util';
import {
  EventValidationException,
  EventValidationExceptionCode,
} from './event-validation.exception';
import {
  EVENT_TYPES_V1,
  isEventTypeV1,
  type DossierEventV1,
  type EventTypeV1,
  type PublicDossierEventV1,
} from './v1/event-catalog.util';

/** Any event this contract version reads, internal form (discriminated by `type`). */
export type ParsedEvent = DossierEventV1;
/** Any event this contract version reads, public-topic form. */
export type ParsedPublicEvent = PublicDossierEventV1;

export type SafeParseResult<E> =
  | { readonly ok: true; readonly event: E }
  | {
      readonly ok: false;
      readonly code: EventValidationExceptionCode;
      readonly reason: string;
      readonly path: string;
      readonly error: EventValidationException;
    };

/** Major versions this build reads, per type. */
export const SUPPORTED_VERSIONS: Readonly<Record<EventTypeV1, readonly number[]>> =
  Object.fromEntries(EVENT_TYPES_V1.map((type) => [type, [1]])) as unknown as Record<
    EventTypeV1,
    readonly number[]
  >;

// One ajv instance; each (variant, type) validator is compiled on first use and then reused, so the per-
// message cost is one map lookup plus the compiled validator.
const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false, messages: true });
addFormats(ajv);
// same answers as ajv-formats' date-time, cheaper on the timestamps events carry (date-time-format.util.ts)
ajv.addFormat('date-time', CONTRACT_DATE_TIME_FORMAT);
const validators = new Map<string, ValidateFunction>();

function validatorFor(type: EventTypeV1, variant: EventVariant): ValidateFunction {
  const cacheKey = `${variant}:${type}`;
  let validate = validators.get(cacheKey);
  if (validate === undefined) {
    validate = ajv.compile(eventSchemaV1(type, variant));
    validators.set(cacheKey, validate);
  }
  return validate;
}

/** Compiles every validator now (e.g. at service start) instead of on the first message of each type. */
export function warmUpEventValidators(): void {
  for (const type of EVENT_TYPES_V1) {
    validatorFor(type, EventVariant.Internal);
    validatorFor(type, EventVariant.Public);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `/payload/components/0/code` → `$.payload.components[0].code`. */
export function jsonPointerToPath(pointer: string, extra?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/');
  if (extra !== undefined) segments.push(extra);
  let path = '$';
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** The shared definitions' patterns, by source, with their name and description: a reason a reader can act on. */
const PATTERN_DEFINITIONS = new Map<string, string>(
  Object.entries(SCHEMA_DEFINITIONS).flatMap(([name, d]) =>
    'pattern' in d && 'description' in d && typeof d.pattern === 'string' ? [[d.pattern, `does not match ${name}: ${String(d.description)}`] as [string, string]] : [],
  ),
);

function describeAjvError(error: ErrorObject): { reason: string; path: string; personal: boolean } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        reason: 'is required',
        path: jsonPointerToPath(error.instancePath, String(params['missingProperty'])),
        personal: false,
      };
    case 'false schema':
      return {
        reason: 'is personal data and must not appear in a public-topic event',
        path: jsonPointerToPath(error.instancePath),
        personal: true,
      };
    case 'enum':
      return {
        reason: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        path: jsonPointerToPath(error.instancePath),
        personal: false,
      };
    case 'format':
      return {
        reason: `must be a valid ${String(params['format'])}`,
        path: jsonPointerToPath(error.instancePath),
        personal: false,
      };
    case 'pattern':
      return {
        reason:
          params['pattern'] === TIMESTAMP_PATTERN
            ? 'must be an ISO-8601 date-time with an offset, e.g. 2025-11-23T09:30:00+07:00'
            : (PATTERN_DEFINITIONS.get(String(params['pattern'])) ?? `must match ${String(params['pattern'])}`),
        path: jsonPointerToPath(error.instancePath),
        personal: false,
      };
    default:
      return {
        reason: error.message ?? `fails ${error.keyword}`,
        path: jsonPointerToPath(error.instancePath),
        personal: false,
      };
  }
}

function fail(
  code: EventValidationExceptionCode,
  reason: string,
  path: string,
  value?: Record<string, unknown>,
): never {
  const type = typeof value?.['type'] === 'string' ? value['type'] : undefined;
  const id = typeof value?.['id'] === 'string' ? value['id'] : undefined;
  throw new EventValidationException(code, reason, path, type, id);
}

function toObject(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      fail(EventValidationExceptionCode.InvalidJson, `not JSON (${(error as Error).message})`, '$');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(EventValidationExceptionCode.NotAnObject, 'must be a JSON object', '$');
  }
  return value as Record<string, unknown>;
}

function parseVariant(input: unknown, variant: EventVariant): ParsedEvent {
  const value = toObject(input);
  const type = value['type'];
  if (!isEventTypeV1(type)) {
    fail(
      EventValidationExceptionCode.UnknownType,
      typeof type === 'string'
        ? `unknown event type ${JSON.stringify(type)}`
        : 'is required and must be an event type',
      '$.type',
      value,
    );
  }
  const version = value['version'];
  if (!SUPPORTED_VERSIONS[type].includes(version as number)) {
    fail(
      EventValidationExceptionCode.UnsupportedVersion,
      `version ${JSON.stringify(version)} of ${type} is not supported (reads ${SUPPORTED_VERSIONS[type].join(', ')})`,
      '$.version',
      value,
    );
  }
  const validate = validatorFor(type, variant);
  if (!validate(value)) {
    const { reason, path, personal } = describeAjvError((validate.errors ?? [])[0] as ErrorObject);
    fail(
      personal
        ? EventValidationExceptionCode.PersonalDataOnPublicTopic
        : EventValidationExceptionCode.SchemaViolation,
      reason,
      path,
      value,
    );
  }
  const payload = value['payload'] as { dossierId: string };
  if (value['key'] !== payload.dossierId) {
    fail(EventValidationExceptionCode.KeyMismatch, 'must equal payload.dossierId', '$.key', value);
  }
  return value as unknown as ParsedEvent;
}

function safely<E>(parse: () => E): SafeParseResult<E> {
  try {
    return { ok: true, event: parse() };
  } catch (error) {
    if (!(error instanceof EventValidationException)) throw error;
    return { ok: false, code: error.code, reason: error.reason, path: error.path, error };
  }
}

/**
 * Validates an internal-topic event (a parsed object, or the raw JSON string/bytes) and returns it typed.
 * Unknown fields are tolerated (additive v1 changes); unknown `type` or `version` are rejected.
 * @throws EventValidationException with the reason and the JSONPath at fault.
 */
export function parseEvent(input: unknown): ParsedEvent {
  return parseVariant(input, EventVariant.Internal);
}

/** `parseEvent` without throwing. */
export function safeParseEvent(input: unknown): SafeParseResult<ParsedEvent> {
  return safely(() => parseEvent(input));
}

/**
 * Validates a public-topic event: like `parseEvent`, but personal fields are absent from the requirements and
 * rejected when present (code PERSONAL_DATA_ON_PUBLIC_TOPIC).
 */
export function parsePublicEvent(input: unknown): ParsedPublicEvent {
  return parseVariant(input, EventVariant.Public) as ParsedPublicEvent;
}

/** `parsePublicEvent` without throwing. */
export function safeParsePublicEvent(input: unknown): SafeParseResult<ParsedPublicEvent> {
  return safely(() => parsePublicEvent(input));
}
