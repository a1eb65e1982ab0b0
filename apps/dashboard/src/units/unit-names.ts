import { type AdminUnit, NATION_UNIT_ID, getUnitDirectory, type UnitDirectory } from '@onestop/domain';

/** One entry of /units.json: name, parent id (statistics roll-up ids: bare GSO codes) and level. */
export interface UnitName {
  n: string;
  p: string | null;
  l: 'nation' | 'province' | 'commune' | 'onestop';
}

export interface UnitNamesFile {
  version: string;
  asOf: string;
  units: Record<string, UnitName>;
}

/**
 * Names of the units the statistics API returns as ids: the nation `VN`, the provinces in force on `asOf`
 * (2-digit GSO codes), their communes (5-digit codes) and the one-stop units of the domain catalogue
 * (`01.00004`, `01.TTPV`, `01.STP`). Built once at start from @onestop/domain's registry.
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
  return { version: 'units.v1', asOf, units };
}
