import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AdminUnitException, AdminUnitExceptionCode } from './admin-unit.exception';
import type { RawMergesFile } from './admin-unit.type';

/** Folder name of the unit data shipped with this library (libs/domain/data/…). */
export const ADMIN_UNITS_DATA_FOLDER = 'vn-admin-units-2025';
export const ADMIN_UNITS_DATA_VERSION = 'dvhcvn-20250701';
const MERGES_FILE = 'merges.json';
const PROVINCE_CODES_FILE = 'province-codes-915-CTK-CSCL.csv';

export interface AdminUnitDataFiles {
  readonly merges: RawMergesFile;
  /** The 34 official province codes (GSO 915/CTK-CSCL). */
  readonly provinceCodes: readonly string[];
  readonly dataDir: string;
}

/**
 * Where the data folder is: `dataDir` if given, else next to this module in the source tree
 * (libs/domain/data/…), else under the working directory (a built app run from the repo root).
 * Apps that bundle or copy the library elsewhere must pass `dataDir` (or copy libs/domain/data as an asset).
 */
export function resolveAdminUnitDataDir(dataDir?: string): string {
  const candidates = dataDir
    ? [dataDir]
    : [
        resolve(__dirname, '..', '..', 'data', ADMIN_UNITS_DATA_FOLDER),
        resolve(process.cwd(), 'libs', 'domain', 'data', ADMIN_UNITS_DATA_FOLDER),
      ];
  const found = candidates.find((dir) => existsSync(join(dir, MERGES_FILE)));
  if (found === undefined) {
    throw new AdminUnitException(
      AdminUnitExceptionCode.DataNotFound,
      `Administrative-unit data (${MERGES_FILE}) not found; looked in ${candidates.join(', ')}`,
    );
  }
  return found;
}

/** Parse the official province-code CSV (`Stt,Mã số,Tên`). */
export function parseProvinceCodesCsv(csv: string): string[] {
  return csv
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[1]?.trim() ?? '')
    .filter((code) => /^\d{2}$/.test(code));
}

/** Read the shipped unit data files (synchronously: used once at boot). */
export function readAdminUnitDataFiles(dataDir?: string): AdminUnitDataFiles {
  const dir = resolveAdminUnitDataDir(dataDir);
  try {
    const merges = JSON.parse(readFileSync(join(dir, MERGES_FILE), 'utf8')) as RawMergesFile;
    const csvPath = join(dir, PROVINCE_CODES_FILE);
    const provinceCodes = existsSync(csvPath)
      ? parseProvinceCodesCsv(readFileSync(csvPath, 'utf8'))
      : [];
    return { merges, provinceCodes, dataDir: dir };
  } catch (error) {
    throw new AdminUnitException(
      AdminUnitExceptionCode.InvalidData,
      `Could not read administrative-unit data in ${dir}: ${(error as Error).message}`,
    );
  }
}
