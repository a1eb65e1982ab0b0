import { DomainException } from '../errors';

export enum CodeFormatExceptionCode {
  InvalidUnitCode = 'INVALID_UNIT_CODE',
  InvalidDate = 'INVALID_DATE',
  InvalidSequence = 'INVALID_SEQUENCE',
  MalformedDossierCode = 'MALFORMED_DOSSIER_CODE',
  InvalidProcedureCode = 'INVALID_PROCEDURE_CODE',
  InvalidSectorCode = 'INVALID_SECTOR_CODE',
}

/** A dossier, procedure or sector code that does not follow its format (domain.md §4). */
export class CodeFormatException extends DomainException<CodeFormatExceptionCode> {
  constructor(
    code: CodeFormatExceptionCode,
    readonly value: unknown,
    message: string,
  ) {
    super(code, message);
  }
}
