import { uuidV5 } from '../dossiers/deterministic-id.util';

/** Who may import and read an import job (ADR 0205): `unit:{unitCode}` for an officer, `admin` for the admin role. */
export type ImportScope = `unit:${string}` | 'admin';

export interface ImportingOfficer {
  unitId: string;
  roles: string[];
}

export function importScopeOf(officer: ImportingOfficer): ImportScope {
  return officer.roles.includes('admin') ? 'admin' : `unit:${officer.unitId}`;
}

/** The job of one file for one scope: the same file and scope always resume/return the same job. */
export function importJobId(fileSha256: string, scope: ImportScope): string {
  return uuidV5(`import-job:${fileSha256}:${scope}`);
}

/** An officer sees the jobs of their own unit's scope; an admin sees every job. */
export function mayReadImportJob(viewer: ImportingOfficer, scope: ImportScope | null): boolean {
  return viewer.roles.includes('admin') || (scope !== null && scope === `unit:${viewer.unitId}`);
}
