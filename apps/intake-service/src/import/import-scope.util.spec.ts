import { importJobId, importScopeOf, mayReadImportJob } from './import-scope.util';

const SHA = 'ab'.repeat(32);
const officer = { unitId: '01.00004', roles: ['officer'] };
const admin = { unitId: '79.26734', roles: ['officer', 'admin'] };

describe(importScopeOf.name, () => {
  it('should scope an officer to their unit and an admin to admin, whatever their unit', () => {
    expect(importScopeOf(officer)).toBe('unit:01.00004');
    expect(importScopeOf(admin)).toBe('admin');
  });
});

describe(importJobId.name, () => {
  it('should give one job per file and scope', () => {
    expect(importJobId(SHA, 'unit:01.00004')).toBe(importJobId(SHA, 'unit:01.00004'));
    expect(new Set([importJobId(SHA, 'unit:01.00004'), importJobId(SHA, 'unit:79.26734'), importJobId(SHA, 'admin')]).size).toBe(3);
  });
});

describe(mayReadImportJob.name, () => {
  it('should let the own unit and admins read a job, and nobody but admins read a job without scope', () => {
    expect(mayReadImportJob(officer, 'unit:01.00004')).toBe(true);
    expect(mayReadImportJob({ unitId: '79.26734', roles: ['officer'] }, 'unit:01.00004')).toBe(false);
    expect(mayReadImportJob(officer, 'admin')).toBe(false);
    expect(mayReadImportJob(admin, 'unit:01.00004')).toBe(true);
    expect(mayReadImportJob(officer, null)).toBe(false);
    expect(mayReadImportJob(admin, null)).toBe(true);
  });
});
