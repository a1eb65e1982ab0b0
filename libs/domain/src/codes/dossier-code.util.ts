import { type InstantInput, type LocalDate, isLocalDate, toVnDate } from '../time';
import { CodeFormatException, CodeFormatExceptionCode } from './code-format.exception';

/**
 * Dossier code (mã hồ sơ), domain.md §4: `{unitCode}-{yyMMdd}-{NNNN}`, e.g. `000.00.15.H56-230719-0001`
 * or `01.00004-250701-0001` with our one-stop unit codes (ADR 0104). The sequence is per receiving unit
 * per local day, starts at 1, is zero-padded to 4 digits and may be longer (10000 → `10000`).
 * Two-digit years mean 2000–2099.
 */

/** A unit code: alphanumeric segments separated by dots, no dashes. */
export const UNIT_CODE_PATTERN = /^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/;
const DATE_PART = /^\d{6}$/;
const SEQUENCE_PART = /^\d{4,}$/;

export interface DossierCodeParts {
  readonly unitCode: string;
  /** Local date of receipt, `YYYY-MM-DD`. */
  readonly date: LocalDate;
  /** Sequence number ≥ 1. */
  readonly sequence: number;
}

export function isValidUnitCode(value: unknown): value is string {
  return typeof value === 'string' && UNIT_CODE_PATTERN.test(value);
}

function assertUnitCode(value: unknown): string {
  if (!isValidUnitCode(value)) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidUnitCode,
      value,
      `Unit code must be dot-separated alphanumeric segments (${UNIT_CODE_PATTERN.source}), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function assertSequence(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidSequence,
      value,
      `Sequence must be an integer ≥ 1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Format a dossier code from its parts. The date must be 2000-01-01 … 2099-12-31. */
export function formatDossierCode(parts: DossierCodeParts): string {
  const unitCode = assertUnitCode(parts.unitCode);
  if (!isLocalDate(parts.date) || !parts.date.startsWith('20')) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidDate,
      parts.date,
      `Dossier date must be a local date YYYY-MM-DD in 2000–2099, got ${JSON.stringify(parts.date)}`,
    );
  }
  const sequence = assertSequence(parts.sequence);
  const yyMMdd = parts.date.slice(2).replace(/-/g, '');
  return `${unitCode}-${yyMMdd}-${String(sequence).padStart(4, '0')}`;
}

/** Generate the code of a dossier received at `receivedAt` (its Vietnam local date) with `sequence`. */
export function generateDossierCode(
  unitCode: string,
  receivedAt: InstantInput,
  sequence: number,
): string {
  return formatDossierCode({ unitCode, date: toVnDate(receivedAt), sequence });
}

/** Parse a dossier code from the right (the unit code may contain dots). Throws CodeFormatException. */
export function parseDossierCode(code: string): DossierCodeParts {
  if (typeof code !== 'string') {
    throw new CodeFormatException(
      CodeFormatExceptionCode.MalformedDossierCode,
      code,
      'Dossier code must be a string',
    );
  }
  const last = code.lastIndexOf('-');
  const middle = last > 0 ? code.lastIndexOf('-', last - 1) : -1;
  if (last < 0 || middle <= 0) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.MalformedDossierCode,
      code,
      `Dossier code must look like {unitCode}-{yyMMdd}-{NNNN}, got ${JSON.stringify(code)}`,
    );
  }
  const unitCode = assertUnitCode(code.slice(0, middle));
  const datePart = code.slice(middle + 1, last);
  const sequencePart = code.slice(last + 1);
  const date = `20${datePart.slice(0, 2)}-${datePart.slice(2, 4)}-${datePart.slice(4, 6)}`;
  if (!DATE_PART.test(datePart) || !isLocalDate(date)) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidDate,
      code,
      `Date part ${JSON.stringify(datePart)} of ${code} is not a real date yyMMdd`,
    );
  }
  if (!SEQUENCE_PART.test(sequencePart)) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidSequence,
      code,
      `Sequence part ${JSON.stringify(sequencePart)} of ${code} must be at least 4 digits`,
    );
  }
  return { unitCode, date, sequence: assertSequence(Number(sequencePart)) };
}

/** True when `code` parses as a dossier code. */
export function isValidDossierCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  try {
    parseDossierCode(code);
    return true;
  } catch (error) {
    if (error instanceof CodeFormatException) return false;
    throw error;
  }
}
