import { buildUnitNames } from './unit-names';

describe('buildUnitNames (/units.json)', () => {
  const file = buildUnitNames('2025-11-24');

  it('should name the nation, the 34 provinces and their communes by GSO code', () => {
    const entries = Object.entries(file.units).filter(([, u]) => u.e === undefined);
    expect(file.units['VN']).toEqual({ n: 'Việt Nam', p: null, l: 'nation' });
    expect(entries.filter(([, u]) => u.l === 'province')).toHaveLength(34);
    expect(entries.filter(([, u]) => u.l === 'commune')).toHaveLength(3321);
    expect(file.units['01']).toEqual({ n: 'Thành phố Hà Nội', p: 'VN', l: 'province' });
    const communes = entries.filter(([, u]) => u.l === 'commune' && u.p === '01');
    expect(communes.length).toBeGreaterThan(100);
    for (const [code] of communes) expect(code).toMatch(/^\d{5}$/);
  });

  it("should name the one-stop units of the domain catalogue under their administrative unit", () => {
    expect(file.units['01.TTPV']).toMatchObject({ p: '01', l: 'onestop' });
    expect(file.units['01.TTPV']!.n).toContain('Hà Nội');
    const communeUnit = Object.entries(file.units).find(([code, u]) => /^01\.\d{5}$/.test(code) && u.l === 'onestop');
    expect(communeUnit).toBeDefined();
    const [code, unit] = communeUnit!;
    expect(unit.p).toBe(code.slice(3));
    expect(file.units[unit.p!]?.l).toBe('commune');
  });

  it('should name the pre-2025 provinces and communes by administrative unit id, under their pre-2025 parent', () => {
    expect(file.units['00004@pre2025']).toEqual({ n: 'Phường Trúc Bạch', p: '01@pre2025', l: 'commune', e: 'pre2025' });
    expect(file.units['01@pre2025']).toEqual({ n: 'Thành phố Hà Nội', p: 'VN', l: 'province', e: 'pre2025' });
    const old = Object.values(file.units).filter((u) => u.e === 'pre2025');
    expect(old.filter((u) => u.l === 'province')).toHaveLength(63);
    // the bare code still names the unit in force
    expect(file.units['00004']!.n).toBe('Phường Ba Đình');
  });
});
