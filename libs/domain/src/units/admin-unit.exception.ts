import { DomainException } from '../errors';

export enum AdminUnitExceptionCode {
  InvalidData = 'INVALID_DATA',
  DataNotFound = 'DATA_NOT_FOUND',
  UnknownUnit = 'UNKNOWN_UNIT',
  NotInForce = 'NOT_IN_FORCE',
  InvalidDate = 'INVALID_DATE',
}

export class AdminUnitException extends DomainException<AdminUnitExceptionCode> {
  constructor(
    code: AdminUnitExceptionCode,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(code, problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}
