import fc from 'fast-check';
import { readAdminUnitDataFiles } from './admin-unit-data.util';
import { AdminUnitException, AdminUnitExceptionCode } from './admin-unit.exception';
import { AdminUnitRegistry, bareName, kindFromName } from './admin-unit.registry';
import {
  AdminUnitKind,
  AdminUnitLevel,
  PrimarySuccessorRule,
  type RawMergesFile,
} from './admin-unit.type';
import { oldProvinceOfCommune } from './old-province-ranges.data';

const files = readAdminUnitDataFiles();
const registry = AdminUnitRegistry.fromRaw(files.merges, files.provinceCodes);
const ids = (units: readonly { id: string }[]): string[] => units.map((u) => u.id);

describe(AdminUnitRegistry.name, () => {
  describe('loading the 2025 data', () => {
    it('should find 34 provinces and 3,321 communes (2,621 xã, 687 phường, 13 đặc khu) when loading', () => {
      expect(registry.counts).toEqual({
        provinces: 34,
        communes: 3321,
        communesByKind: { COMMUNE: 2621, WARD: 687, SPECIAL_ZONE: 13 },
        oldProvinces: 63,
        oldCommunes: 10047,
        oldDistricts: 5,
      });
      expect(registry.provincesAt('2025-07-01')).toHaveLength(34);
      expect(registry.provincesAt('2025-06-30')).toHaveLength(63);
      expect(registry.size).toBe(1 + 34 + 3321 + 63 + 10047 + 5);
    });

    it('should keep both eras when a code is reused (3,314 new communes took a predecessor code)', () => {
      const reused = registry
        .all()
        .filter((u) => u.era === '2025' && u.level === AdminUnitLevel.Commune)
        .filter((u) => registry.predecessorsOf(u.id).some((p) => p.unit.code === u.code));
      expect(reused).toHaveLength(3314);
      expect(
        registry
          .findAllByCode('00004')
          .map((u) => u.name)
          .sort(),
      ).toEqual(['Phường Ba Đình', 'Phường Trúc Bạch']);
    });

    it('should throw INVALID_DATA listing the problems when the data is wrong', () => {
      // Arrange
      const broken: RawMergesFile = { data: files.merges.data.slice(1), stats: files.merges.stats };
      // Act
      let error: unknown;
      try {
        AdminUnitRegistry.fromRaw(broken, files.provinceCodes);
      } catch (e) {
        error = e;
      }
      // Assert
      expect(error).toBeInstanceOf(AdminUnitException);
      expect((error as AdminUnitException).code).toBe(AdminUnitExceptionCode.InvalidData);
      expect((error as AdminUnitException).problems).toEqual(
        expect.arrayContaining([
          'expected 34 provinces, got 33',
          'expected 3321 communes, got 3195',
        ]),
      );
    });

    it('should normalise names and derive kinds from the name prefix', () => {
      expect(kindFromName('Thị Trấn Phú Hoà')).toBe(AdminUnitKind.Township);
      expect(kindFromName('Đặc khu Côn Đảo')).toBe(AdminUnitKind.SpecialZone);
      expect(kindFromName('Ấp 1')).toBeUndefined();
      expect(bareName('Phường Ba Đình')).toBe('Ba Đình');
      expect(registry.all().every((u) => u.name === u.name.trim() && !u.name.includes('  '))).toBe(
        true,
      );
    });
  });

  describe('real units', () => {
    it('should put new Phường Ba Đình 00004 in Hà Nội 01 from 2025-07-01', () => {
      const baDinh = registry.require('00004@2025');
      expect(baDinh).toMatchObject({
        name: 'Phường Ba Đình',
        kind: 'WARD',
        level: 'COMMUNE',
        validFrom: '2025-07-01',
        validTo: null,
        parentId: '01@2025',
      });
      expect(registry.require('01@2025')).toMatchObject({
        name: 'Thành phố Hà Nội',
        kind: 'MUNICIPALITY',
      });
      expect(registry.findByCode('00004', '2025-07-01')?.id).toBe('00004@2025');
      expect(registry.findByCode('00004', '2025-06-30')?.id).toBe('00004@pre2025');
    });

    it('should map old Phường Trúc Bạch to new Phường Ba Đình when rebased after the reform', () => {
      // Act
      const r = registry.rebase('00004@pre2025', '2025-07-01');
      // Assert
      expect(r.source.name).toBe('Phường Trúc Bạch');
      expect(r.primary.id).toBe('00004@2025');
      expect(r.rule).toBe(PrimarySuccessorRule.FullSuccessor);
      expect(r.successors).toEqual([
        { unit: expect.objectContaining({ id: '00004@2025' }), type: 'full' },
      ]);
      expect(ids(registry.predecessorsOf('00004@2025').map((l) => l.unit))).toEqual(
        expect.arrayContaining(['00004@pre2025', '00013@pre2025', '00016@pre2025']),
      );
    });

    it('should choose the same-name successor as primary when an old commune was split', () => {
      const r = registry.rebase('00016@pre2025', '2026-01-01');
      expect(r.source.name).toBe('Phường Ngọc Hà');
      expect(ids(r.successors.map((s) => s.unit))).toEqual(['00004@2025', '00008@2025']);
      expect(r.successors.every((s) => s.type === 'partial')).toBe(true);
      expect(r.primary.id).toBe('00008@2025');
      expect(r.rule).toBe(PrimarySuccessorRule.SameName);
    });

    it('should return the unit itself when it is in force on the date', () => {
      expect(registry.rebase('00004@pre2025', '2024-05-01')).toMatchObject({
        primary: { id: '00004@pre2025' },
        rule: PrimarySuccessorRule.InForce,
      });
    });

    it.each([
      ['00004@pre2025', '2024-12-31', ['00004@pre2025', '01@pre2025', 'VN']],
      ['00004@pre2025', '2025-07-01', ['00004@2025', '01@2025', 'VN']],
      ['00688@pre2025', '2025-06-30', ['00688@pre2025', '02@pre2025', 'VN']],
      ['00688@pre2025', '2025-07-01', [expect.stringMatching(/@2025$/), '08@2025', 'VN']],
      ['08707@pre2025', '2025-01-01', ['08707@pre2025', '26@pre2025', 'VN']],
      ['09538@pre2025', '2025-01-01', ['09538@pre2025', '01@pre2025', 'VN']],
      ['755@pre2025', '2025-01-01', ['755@pre2025', '77@pre2025', 'VN']],
      ['755@pre2025', '2025-08-01', ['26732@2025', '79@2025', 'VN']],
      ['02@pre2025', '2025-08-01', ['08@2025', 'VN']],
      ['30622@pre2025', '2025-01-01', ['30622@pre2025', '89@pre2025', 'VN']],
      ['30622@pre2025', '2025-08-01', ['30259@2025', '82@2025', 'VN']],
    ])('should roll %s up on %s as %j', (id, date, chain) => {
      expect(ids(registry.ancestorsAt(id, date))).toEqual(chain);
    });

    it('should throw NOT_IN_FORCE when a new unit is asked about before the reform', () => {
      expect(() => registry.rebase('00004@2025', '2025-06-30')).toThrow(
        expect.objectContaining({ code: AdminUnitExceptionCode.NotInForce }),
      );
    });

    it.each(['00004', '00004@1990', 'nowhere'])('should throw UNKNOWN_UNIT for id %s', (id) => {
      expect(() => registry.require(id)).toThrow(
        expect.objectContaining({ code: AdminUnitExceptionCode.UnknownUnit }),
      );
    });

    it('should place every old commune in an old province merged into its new province (one known exception)', () => {
      const mismatches: string[] = [];
      for (const u of registry.all()) {
        if (u.era !== 'pre2025' || u.level === AdminUnitLevel.Province) continue;
        const oldProvince = registry.require(u.parentId as string);
        const newProvince = registry.successorsOf(oldProvince.id)[0].unit.id;
        for (const s of registry.successorsOf(u.id))
          if (s.unit.parentId !== newProvince) mismatches.push(u.code);
      }
      expect(mismatches).toEqual(['30622']);
      expect(oldProvinceOfCommune('14320')).toBe('37');
      expect(oldProvinceOfCommune('14317')).toBe('36');
      expect(oldProvinceOfCommune('22739')).toBe('56');
    });

    it('should roll any old commune up to a province in force and the nation after the reform', () => {
      const old = registry
        .all()
        .filter((u) => u.era === 'pre2025' && u.level !== AdminUnitLevel.Province);
      fc.assert(
        fc.property(fc.constantFrom(...old), fc.integer({ min: 0, max: 900 }), (unit, offset) => {
          const date = new Date(Date.UTC(2025, 6, 1 + offset)).toISOString().slice(0, 10);
          const chain = registry.ancestorsAt(unit.id, date);
          expect(chain.map((u) => u.level)).toEqual(['COMMUNE', 'PROVINCE', 'NATION']);
          expect(chain.every((u) => registry.isInForce(u, date))).toBe(true);
          const successors = registry.rebase(unit.id, date).successors.map((s) => s.unit.id);
          expect(successors).toContain(chain[0].id);
        }),
        { numRuns: 300 },
      );
    });
  });
});
