export enum EventValidationExceptionCode {
  /** The message value is not JSON. */
  InvalidJson = 'INVALID_JSON',
  /** The value is not a JSON object. */
  NotAnObject = 'NOT_AN_OBJECT',
  /** `type` is missing or not an event type this contract knows. */
  UnknownType = 'UNKNOWN_TYPE',
  /** `version` is not a major version this contract reads for that type. */
  UnsupportedVersion = 'UNSUPPORTED_VERSION',
  /** The envelope or payload breaks the type's JSON Schema. */
  SchemaViolation = 'SCHEMA_VIOLATION',
  /** A personal field was found in an event read as a public-topic event. */
  PersonalDataOnPublicTopic = 'PERSONAL_DATA_ON_PUBLIC_TOPIC',
  /** `key` differs from `payload.dossierId`. */
  KeyMismatch = 'KEY_MISMATCH',
}

/**
 * A message that is not a valid event of this contract. `path` is a JSONPath to the fault (`$.payload.receivedAt`,
 * `$` for the whole value); consumers send the message to the dead-letter topic with `message` as `dlq-reason`.
 */
export class EventValidationException extends Error {
  override readonly name = 'EventValidationException';

  constructor(
    readonly code: EventValidationExceptionCode,
    readonly reason: string,
    readonly path: string,
    /** The event's `type` and `id` when they could be read, for logs. */
    readonly eventType?: string,
    readonly eventId?: string,
  ) {
    super(`${code} at ${path}: ${reason}`);
  }
}
