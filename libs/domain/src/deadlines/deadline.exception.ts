import { DomainException } from '../errors';

export enum DeadlineExceptionCode {
  InvalidLimit = 'INVALID_LIMIT',
  InvalidInterval = 'INVALID_INTERVAL',
  OpenIntervalWithoutAsOf = 'OPEN_INTERVAL_WITHOUT_AS_OF',
  ExtensionNotLater = 'EXTENSION_NOT_LATER',
}

export class DeadlineException extends DomainException<DeadlineExceptionCode> {
  constructor(code: DeadlineExceptionCode, message: string) {
    super(code, message);
  }
}
