/**
 * Base class of every typed error thrown by @onestop/domain. Each module defines its own
 * `XException` with an `XExceptionCode` enum, so callers can switch exhaustively on `code`
 * (e.g. to map a guard failure to HTTP 409 and a malformed code to HTTP 400).
 */
export abstract class DomainException<TCode extends string> extends Error {
  protected constructor(
    readonly code: TCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
