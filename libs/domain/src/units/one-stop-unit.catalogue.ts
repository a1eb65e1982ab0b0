import { AdminUnitException, AdminUnitExceptionCode } from './admin-unit.exception';
import { AdminUnitRegistry, type DateArg, toLocalDateArg } from './admin-unit.registry';
import { AdminUnitLevel, REFORM_2025_DATE } from './admin-unit.type';
import { type OneStopUnit, OneStopUnitKind, type ProvincialDepartment } from './one-stop-unit.type';
import { PROVINCIAL_DEPARTMENTS } from './provincial-departments.data';

/** Segment naming the provincial Public Administration Service Centre (Trung tâm Phục vụ hành chính công). */
export const PROVINCIAL_CENTRE_SEGMENT = 'TTPV';

/** `01.TTPV`: the provincial Public Administration Service Centre of province `01`. */
export function provincialCentreCode(provinceCode: string): string {
  return `${provinceCode}.${PROVINCIAL_CENTRE_SEGMENT}`;
}

/** `01.STP`: a provincial department of province `01`. */
export function departmentUnitCode(provinceCode: string, departmentCode: string): string {
  return `${provinceCode}.${departmentCode}`;
}

/** `01.00004`: the one-stop unit of commune `00004` in province `01`. */
export function communeOneStopCode(provinceCode: string, communeCode: string): string {
  return `${provinceCode}.${communeCode}`;
}

export interface OneStopUnitCodeParts {
  readonly provinceCode: string;
  readonly kind: OneStopUnitKind;
  readonly communeCode: string | null;
  readonly departmentCode: string | null;
}

const ONE_STOP_CODE = /^(\d{2})\.(\d{5}|TTPV|S[A-Z]{1,9})$/;

/** Parse a one-stop unit code of the ADR 0104 scheme; `undefined` when it does not follow the scheme. */
export function parseOneStopUnitCode(code: string): OneStopUnitCodeParts | undefined {
  const m = ONE_STOP_CODE.exec(code);
  if (m === null) return undefined;
  const [, provinceCode, segment] = m;
  if (/^\d{5}$/.test(segment))
    return {
      provinceCode,
      kind: OneStopUnitKind.CommuneOneStop,
      communeCode: segment,
      departmentCode: null,
    };
  if (segment === PROVINCIAL_CENTRE_SEGMENT) {
    return {
      provinceCode,
      kind: OneStopUnitKind.ProvincialServiceCentre,
      communeCode: null,
      departmentCode: null,
    };
  }
  return {
    provinceCode,
    kind: OneStopUnitKind.ProvincialDepartment,
    communeCode: null,
    departmentCode: segment,
  };
}

/**
 * The one-stop units of the two-level hierarchy in force from 2025-07-01: one Bộ phận Một cửa per commune
 * (3,321), and per province (34) one Public Administration Service Centre and one unit per provincial
 * department. Each belongs to an administrative unit, from which counts roll up (see UnitDirectory).
 */
export class OneStopUnitCatalogue {
  private readonly units = new Map<string, OneStopUnit>();
  private readonly byProvince = new Map<string, OneStopUnit[]>();
  private readonly byAdminUnit = new Map<string, OneStopUnit[]>();

  private constructor(units: readonly OneStopUnit[]) {
    for (const u of units) {
      if (this.units.has(u.code)) {
        throw new AdminUnitException(
          AdminUnitExceptionCode.InvalidData,
          `One-stop unit code ${u.code} generated twice`,
        );
      }
      this.units.set(u.code, u);
      OneStopUnitCatalogue.push(this.byProvince, u.provinceCode, u);
      OneStopUnitCatalogue.push(this.byAdminUnit, u.adminUnitId, u);
    }
  }

  /** Generate the catalogue from the units in force on `asOf` (default 2025-07-01). */
  static fromRegistry(
    registry: AdminUnitRegistry,
    options: { departments?: readonly ProvincialDepartment[]; asOf?: DateArg } = {},
  ): OneStopUnitCatalogue {
    const departments = options.departments ?? PROVINCIAL_DEPARTMENTS;
    const asOf = toLocalDateArg(options.asOf ?? REFORM_2025_DATE);
    const units: OneStopUnit[] = [];
    for (const province of registry.provincesAt(asOf)) {
      const provinceCode = province.code;
      const validFrom = province.validFrom ?? asOf;
      units.push({
        code: provincialCentreCode(provinceCode),
        name: `Trung tâm Phục vụ hành chính công ${province.name}`,
        kind: OneStopUnitKind.ProvincialServiceCentre,
        adminUnitId: province.id,
        provinceCode,
        departmentCode: null,
        validFrom,
        validTo: province.validTo,
      });
      for (const d of departments) {
        units.push({
          code: departmentUnitCode(provinceCode, d.code),
          name: `${d.name} ${province.name}`,
          kind: OneStopUnitKind.ProvincialDepartment,
          adminUnitId: province.id,
          provinceCode,
          departmentCode: d.code,
          validFrom,
          validTo: province.validTo,
        });
      }
      for (const commune of registry.communesOf(province.id)) {
        if (commune.level !== AdminUnitLevel.Commune || !AdminUnitRegistry.inForceOn(commune, asOf))
          continue;
        units.push({
          code: communeOneStopCode(provinceCode, commune.code),
          name: `Bộ phận Một cửa ${commune.name}`,
          kind: OneStopUnitKind.CommuneOneStop,
          adminUnitId: commune.id,
          provinceCode,
          departmentCode: null,
          validFrom: commune.validFrom ?? asOf,
          validTo: commune.validTo,
        });
      }
    }
    return new OneStopUnitCatalogue(units);
  }

  get size(): number {
    return this.units.size;
  }

  all(): OneStopUnit[] {
    return [...this.units.values()];
  }

  has(code: string): boolean {
    return this.units.has(code);
  }

  get(code: string): OneStopUnit | undefined {
    return this.units.get(code);
  }

  require(code: string): OneStopUnit {
    const unit = this.units.get(code);
    if (!unit) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.UnknownUnit,
        `Unknown one-stop unit ${JSON.stringify(code)} (codes look like "01.TTPV", "01.STP", "01.00004")`,
      );
    }
    return unit;
  }

  /** Every one-stop unit of a province (centre, departments, communes). */
  ofProvince(provinceCode: string): OneStopUnit[] {
    return [...(this.byProvince.get(provinceCode) ?? [])];
  }

  /** One-stop units attached to an administrative unit (a commune's one, or a province's centre + departments). */
  ofAdminUnit(adminUnitId: string): OneStopUnit[] {
    return [...(this.byAdminUnit.get(adminUnitId) ?? [])];
  }

  private static push(map: Map<string, OneStopUnit[]>, key: string, unit: OneStopUnit): void {
    const list = map.get(key);
    if (list) list.push(unit);
    else map.set(key, [unit]);
  }
}
