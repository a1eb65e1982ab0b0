import { CodeFormatException, CodeFormatExceptionCode } from './code-format.exception';

/**
 * Procedure code (mã TTHC) of the national TTHC database, domain.md §4:
 * - national: `d.dddddd` (`1.000948`, `2.000635`, `3.000181`);
 * - localised: national code + agency code, long form `1.011442.000.00.00.H38` or short `1.000948.H38`;
 * - public-service variant: a 2-digit suffix after the agency code, `2.000815.000.00.00.H55.02`.
 * The agency code is the QĐ 20/2020 electronic identifier (level-1 letter A–K + 2 digits, optionally
 * preceded by `DDD.CC.BB.`); it is kept as an opaque string.
 */
const PROCEDURE_CODE = /^(\d\.\d{6})(?:\.((?:\d{3}\.\d{2}\.\d{2}\.)?[A-K]\d{2})(?:\.(\d{2}))?)?$/;

export interface ProcedureCodeParts {
  readonly code: string;
  /** `d.dddddd`, the key of the national TTHC database. */
  readonly nationalCode: string;
  /** Agency code of a localised form (`H38`, `000.00.00.H38`), else null. */
  readonly agencyCode: string | null;
  /** Public-service variant suffix (`02`), else null. */
  readonly variant: string | null;
}

export function parseProcedureCode(code: string): ProcedureCodeParts {
  const m = typeof code === 'string' ? PROCEDURE_CODE.exec(code) : null;
  if (m === null) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidProcedureCode,
      code,
      `Procedure code must be d.dddddd, optionally followed by an agency code (.H38 or .000.00.00.H38) and a .NN variant, got ${JSON.stringify(code)}`,
    );
  }
  return { code, nationalCode: m[1], agencyCode: m[2] ?? null, variant: m[3] ?? null };
}

export function isValidProcedureCode(code: unknown): boolean {
  return typeof code === 'string' && PROCEDURE_CODE.test(code);
}

/** The national part of a (possibly localised) procedure code: `1.011442.000.00.00.H38` → `1.011442`. */
export function nationalProcedureCode(code: string): string {
  return parseProcedureCode(code).nationalCode;
}
