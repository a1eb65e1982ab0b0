import { UnitLookup } from './unit-lookup';

describe(UnitLookup.name, () => {
  it('should know the nation, provinces, communes and one-stop units of the directory, and pre-2025 units', () => {
    const units = new UnitLookup(async () => false);
    for (const id of ['VN', '01', '79', '00004', '01.00004', '01.TTPV', '01.STP', '02', '00004@pre2025', '00004@2025']) expect([id, units.inDirectory(id)]).toEqual([id, true]);
    for (const id of ['ZZ', '01.99999', '99999', '00004@1999', 'constructor', '']) expect([id, units.inDirectory(id)]).toEqual([id, false]);
  });

  it("should list a unit's children in force on a day, with or without dossiers, as the roll-up names them", () => {
    const units = new UnitLookup(async () => false);
    const provinces = units.childrenInForce('VN', '2026-01-15');
    expect(provinces).toHaveLength(34);
    expect(provinces).toEqual(expect.arrayContaining(['01', '79']));
    expect(provinces).not.toContain('02'); // a pre-2025 province
    const hanoi = units.childrenInForce('01', '2026-01-15');
    expect(hanoi).toEqual(expect.arrayContaining(['00004', '01.TTPV']));
    expect(hanoi.filter((c) => /^\d{5}$/.test(c)).length).toBeGreaterThan(100); // every commune of Hà Nội
    expect(hanoi).not.toContain('01.00004'); // listed under its commune
    expect(units.childrenInForce('00004', '2026-01-15')).toEqual(['01.00004']);
    expect(units.childrenInForce('01.00004', '2026-01-15')).toEqual([]);
    expect(units.childrenInForce('ZZ', '2026-01-15')).toEqual([]);
  });

  it('should ask whether a unit the directory does not know was counted, caching a no for negativeTtlMs only', async () => {
    let t = 0;
    const asked: string[] = [];
    const units = new UnitLookup(
      async (u) => {
        asked.push(u);
        return u === '000.00.15.H56';
      },
      undefined,
      5000,
      () => t,
    );
    await expect(units.exists('01')).resolves.toBe(true);
    await expect(units.exists('000.00.15.H56')).resolves.toBe(true);
    await expect(units.exists('ZZ')).resolves.toBe(false);
    await expect(units.exists('ZZ')).resolves.toBe(false);
    t += 6000;
    await expect(units.exists('ZZ')).resolves.toBe(false);
    await expect(units.exists('000.00.15.H56')).resolves.toBe(true);
    expect(asked).toEqual(['000.00.15.H56', 'ZZ', 'ZZ']);
  });

  it('should say which unit in force an ended pre-2025 unit is counted under, and nothing for units counted under themselves', () => {
    // black-box round 7: `00013` (Phường Quán Thánh, ended 2025-06-30) answered zeros with no word that its
    // dossiers are counted under Phường Ba Đình (00004) on the 2025 map
    const units = new UnitLookup(async () => false);
    expect(units.countedUnder('00013', '2026-11-25')).toEqual({ unitId: '00004', name: 'Phường Ba Đình' });
    expect(units.countedUnder('00013@pre2025', '2026-11-25')).toEqual({ unitId: '00004', name: 'Phường Ba Đình' });
    expect(units.countedUnder('00004@pre2025', '2026-11-25')).toEqual({ unitId: '00004', name: 'Phường Ba Đình' });
    expect(units.countedUnder('02', '2026-11-25')?.unitId).toMatch(/^\d{2}$/);
    for (const id of ['VN', '01', '00004', '00004@2025', '01.00004', '01.TTPV', 'ZZ']) expect([id, units.countedUnder(id, '2026-11-25')]).toEqual([id, null]);
  });
});
