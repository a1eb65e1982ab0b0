import { DomainException } from '../errors';

export enum ProcedureCatalogueExceptionCode {
  InvalidDefinition = 'INVALID_DEFINITION',
  UnknownProcedure = 'UNKNOWN_PROCEDURE',
  InvalidSubmission = 'INVALID_SUBMISSION',
}

export class ProcedureCatalogueException extends DomainException<ProcedureCatalogueExceptionCode> {
  constructor(
    code: ProcedureCatalogueExceptionCode,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(code, problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}
