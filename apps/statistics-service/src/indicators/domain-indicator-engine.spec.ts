import { OneStopUnitKind, RollupLevel, communeOneStopCode, getUnitDirectory } from '@onestop/domain';
import { DomainIndicatorEngine, communeOneStopUnitOf } from './domain-indicator-engine';

describe('commune rows = its one-stop unit rows (ADR 0403)', () => {
  const directory = getUnitDirectory();
  const days = ['2025-07-01', '2025-11-01', '2026-06-30'];

  it('should roll exactly one one-stop unit up into each commune, and every other one-stop unit up to its province', () => {
    const intoCommune = new Map<string, Set<string>>();
    let communes = 0;
    for (const u of directory.oneStopUnits.all()) {
      for (const day of days) {
        if (day < u.validFrom || (u.validTo !== null && day > u.validTo)) continue;
        const chain = directory.ancestorsAt(u.code, day);
        const parent = chain[1]!;
        if (u.kind === OneStopUnitKind.CommuneOneStop) {
          expect(parent.level).toBe(RollupLevel.Commune);
          expect(communeOneStopCode(chain.find((n) => n.level === RollupLevel.Province)!.code, parent.code)).toBe(u.code);
        } else {
          expect(parent.level).toBe(RollupLevel.Province);
        }
        // no level below the province other than the commune, so nothing else can reach a commune
        expect(chain.slice(1).filter((n) => n.level === RollupLevel.Commune).length).toBe(u.kind === OneStopUnitKind.CommuneOneStop ? 1 : 0);
        if (parent.level === RollupLevel.Commune) {
          const set = intoCommune.get(parent.code) ?? new Set<string>();
          set.add(u.code);
          intoCommune.set(parent.code, set);
        }
      }
      if (u.kind === OneStopUnitKind.CommuneOneStop) communes++;
    }
    expect(communes).toBeGreaterThan(3000);
    expect(intoCommune.size).toBe(communes);
    for (const [code, set] of intoCommune) {
      expect([...set]).toEqual([communeOneStopUnitOf(directory, code)]);
    }
  });

  it('should map a commune code to its one-stop unit and every other unit to itself', () => {
    const engine = new DomainIndicatorEngine(directory);
    expect(engine.ancestorsAt('01.00004', '2025-11-01')).toEqual(['00004', '01', 'VN']);
    expect(engine.storedUnitOf('00004')).toBe('01.00004');
    for (const u of ['01.00004', '01.TTPV', '01.STP', '01', 'VN', '99999', 'x']) expect(engine.storedUnitOf(u)).toBe(u);
  });

  it('should roll history of a 2025 unit (a day before it existed) up its 2025 chain, not straight to VN (ADR 0206)', () => {
    const unknown: string[] = [];
    const engine = new DomainIndicatorEngine(directory, (unitId, day) => unknown.push(`${unitId}@${day}`));
    expect(engine.ancestorsAt('01.00004', '2024-03-04')).toEqual(['00004', '01', 'VN']);
    expect(engine.ancestorsAt('01.TTPV', '2025-06-30')).toEqual(['01', 'VN']);
    expect(engine.ancestorsAt('79.STP', '2019-01-01')).toEqual(['79', 'VN']);
    expect(unknown).toEqual([]);
    // every one-stop unit reaches its province on a pre-reform day, as on the reform day
    for (const u of directory.oneStopUnits.all()) {
      expect(engine.ancestorsAt(u.code, '2024-03-04')).toEqual(engine.ancestorsAt(u.code, '2025-07-01'));
    }
    expect(engine.ancestorsAt('99.NOPE', '2024-03-04')).toEqual(['VN']);
    expect(unknown).toEqual(['99.NOPE@2024-03-04']);
  });
});
