import { CodeFormatException, CodeFormatExceptionCode } from './code-format.exception';

/**
 * Sector code (mã lĩnh vực), domain.md §4: `{agency}-{sector}`, e.g. `G03-GD10` (Giáo dục Trung học):
 * the managing agency's level-1 code (letter A–K + 2 digits) and a sector id of 1–5 capital letters
 * followed by 1–3 digits. TT 03/2025 standardises the list; the format is validated, not the list.
 */
const SECTOR_CODE = /^([A-K]\d{2})-([A-Z]{1,5}\d{1,3})$/;

export interface SectorCodeParts {
  readonly code: string;
  readonly agencyCode: string;
  readonly sector: string;
}

export function parseSectorCode(code: string): SectorCodeParts {
  const m = typeof code === 'string' ? SECTOR_CODE.exec(code) : null;
  if (m === null) {
    throw new CodeFormatException(
      CodeFormatExceptionCode.InvalidSectorCode,
      code,
      `Sector code must look like G03-GD10 (${SECTOR_CODE.source}), got ${JSON.stringify(code)}`,
    );
  }
  return { code, agencyCode: m[1], sector: m[2] };
}

export function isValidSectorCode(code: unknown): boolean {
  return typeof code === 'string' && SECTOR_CODE.test(code);
}
