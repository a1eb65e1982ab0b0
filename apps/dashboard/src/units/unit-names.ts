import { type AdminUnit, AdminUnitEra, AdminUnitLevel, NATION_UNIT_ID, getUnitDirectory, type UnitDirectory } from '@onestop/domain';

/** One entry of /units.json: name, parent id (statistics roll-up ids: bare GSO codes) and level. */
export interface UnitName {
  n: string;
  p: string | null;
  l: 'nation' | 'province' | 'commune' | 'onestop';
  /** `pre2025` for a unit of the pre-reform hierarchy (keyed by its id `{code}@pre2025`); absent for the units in force. */
  e?: 'pre2025';
}

export interface UnitNamesFile {
  version: string;
  asOf: string;
  units: Record<string, UnitName>;
}

/**
 * Names of the units the statistics API returns as ids: the nation `VN`, the provinces in force on `asOf`
 * (2-digit GSO codes), their communes (5-digit codes) and the one-stop units of the domain catalogue
 * (`01.00004`, `01.TTPV`, `01.STP`), and the pre-2025 provinces and communes (and island districts) by their
 * administrative unit id (`01@pre2025`, `00004@pre2025`, with `e: 'pre2025'` and the pre-2025 parent), which the
 * statistics service accepts too (codes are reused across eras, so the bare code names the unit in force).
 * Built once at start from @onestop/domain's registry.
 */
export function buildUnitNames(asOf: string = new Date().toISOString().slice(0, 10), directory: UnitDirectory = getUnitDirectory()): UnitNamesFile {
  const reg = directory.adminUnits;
  const units: Record<string, UnitName> = { [NATION_UNIT_ID]: { n: reg.root.name, p: null, l: 'nation' } };
  const provinces: AdminUnit[] = reg.provincesAt(asOf);
  for (const p of provinces) {
    units[p.code] = { n: p.name, p: NATION_UNIT_ID, l: 'province' };
    for (const c of reg.communesOf(p.id)) {
      if (reg.isInForce(c, asOf)) units[c.code] = { n: c.name, p: p.code, l: 'commune' };
    }
  }
  for (const o of directory.oneStopUnits.all()) {
    if (o.validTo !== null && o.validTo < asOf) continue;
    const admin = reg.get(o.adminUnitId);
    units[o.code] = { n: o.name, p: admin?.code ?? o.provinceCode, l: 'onestop' };
  }
  for (const u of reg.all()) {
    if (u.era !== AdminUnitEra.Pre2025 || units[u.id]) continue;
    const province = u.level === AdminUnitLevel.Province;
    units[u.id] = { n: u.name, p: u.parentId ?? NATION_UNIT_ID, l: province ? 'province' : 'commune', e: 'pre2025' };
  }
  return { version: 'units.v1', asOf, units };
}
