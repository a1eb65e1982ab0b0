import { readAdminUnitDataFiles } from './admin-unit-data.util';
import { AdminUnitException, AdminUnitExceptionCode } from './admin-unit.exception';
import { AdminUnitRegistry, type DateArg, toLocalDateArg } from './admin-unit.registry';
import { type AdminUnit, AdminUnitLevel } from './admin-unit.type';
import type { LocalDate } from '../time';
import { OneStopUnitCatalogue } from './one-stop-unit.catalogue';
import { type ProvincialDepartment, type RollupNode, RollupLevel } from './one-stop-unit.type';

function nodeOf(unit: AdminUnit): RollupNode {
  const level: RollupLevel =
    unit.level === AdminUnitLevel.Nation
      ? RollupLevel.Nation
      : unit.level === AdminUnitLevel.Province
        ? RollupLevel.Province
        : unit.level === AdminUnitLevel.District
          ? RollupLevel.District
          : RollupLevel.Commune;
  return { id: unit.id, code: unit.code, name: unit.name, level };
}

/**
 * Administrative units + one-stop units, for rolling statistics up
 * one-stop unit → commune → province → VN under the hierarchy in force at any date.
 */
export class UnitDirectory {
  private catalogue: OneStopUnitCatalogue | undefined;

  /**
   * @param oneStopUnits the catalogue, or a factory called on first use (keeps boot fast when a service
   *   only needs the administrative units).
   */
  constructor(
    readonly adminUnits: AdminUnitRegistry,
    private readonly oneStopUnitsSource: OneStopUnitCatalogue | (() => OneStopUnitCatalogue),
  ) {
    if (oneStopUnitsSource instanceof OneStopUnitCatalogue) this.catalogue = oneStopUnitsSource;
  }

  /** The one-stop unit catalogue (built on first access when given as a factory). */
  get oneStopUnits(): OneStopUnitCatalogue {
    if (this.catalogue === undefined) {
      const source = this.oneStopUnitsSource;
      this.catalogue = source instanceof OneStopUnitCatalogue ? source : source();
    }
    return this.catalogue;
  }

  /**
   * The roll-up chain of a one-stop unit code (`01.00004`) or an administrative unit id (`00004@pre2025`)
   * on `date`, from the unit itself to `VN`. Pre-reform units asked about after 2025-06-30 are rebased to
   * their primary successor (ADR 0103). A unit asked about before it existed (a 2025 unit on a pre-reform day:
   * imported history, ADR 0206) rolls up along its own chain as on its first day in force, i.e. history is
   * rolled up onto the map the unit belongs to, so a parent is always the sum of its children:
   * `01.00004` on 2024-03-04 → `01.00004, 00004@2025, 01@2025, VN`. A unit asked about after it ended throws
   * NOT_IN_FORCE (one-stop units have no successors); an unknown unit throws UNKNOWN_UNIT.
   */
  ancestorsAt(unitId: string, date: DateArg): RollupNode[] {
    const d = toLocalDateArg(date);
    const oneStop = this.oneStopUnits.get(unitId);
    if (oneStop) {
      if (oneStop.validTo !== null && d > oneStop.validTo) {
        throw new AdminUnitException(
          AdminUnitExceptionCode.NotInForce,
          `One-stop unit ${oneStop.code} is in force from ${oneStop.validFrom} to ${oneStop.validTo}, not on ${d}`,
        );
      }
      const on = d < oneStop.validFrom ? oneStop.validFrom : d;
      return [
        {
          id: oneStop.code,
          code: oneStop.code,
          name: oneStop.name,
          level: RollupLevel.OneStopUnit,
        },
        ...this.adminUnitChain(oneStop.adminUnitId, on),
      ];
    }
    if (this.adminUnits.get(unitId) === undefined) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.UnknownUnit,
        `Unknown unit ${JSON.stringify(unitId)}: neither a one-stop unit code ("01.00004") nor an administrative unit id ("00004@2025")`,
      );
    }
    return this.adminUnitChain(unitId, d);
  }

  /** `AdminUnitRegistry.ancestorsAt`, with a unit asked about before its validFrom taken on its validFrom. */
  private adminUnitChain(id: string, date: LocalDate): RollupNode[] {
    const unit = this.adminUnits.require(id);
    const on = unit.validFrom !== null && date < unit.validFrom ? unit.validFrom : date;
    return this.adminUnits.ancestorsAt(id, on).map(nodeOf);
  }
}

export interface LoadUnitDirectoryOptions {
  /** Folder holding merges.json and the province-code CSV; default: the data shipped with this library. */
  readonly dataDir?: string;
  readonly departments?: readonly ProvincialDepartment[];
}

/**
 * Read, validate and index the unit data (call once at boot, or use `getUnitDirectory`); the one-stop unit
 * catalogue is generated on first use.
 */
export function loadUnitDirectory(options: LoadUnitDirectoryOptions = {}): UnitDirectory {
  const files = readAdminUnitDataFiles(options.dataDir);
  const adminUnits = AdminUnitRegistry.fromRaw(files.merges, files.provinceCodes);
  return new UnitDirectory(adminUnits, () =>
    OneStopUnitCatalogue.fromRegistry(adminUnits, { departments: options.departments }),
  );
}

let defaultDirectory: UnitDirectory | undefined;

/** The directory built from the shipped data, loaded on first use and then shared. */
export function getUnitDirectory(): UnitDirectory {
  defaultDirectory ??= loadUnitDirectory();
  return defaultDirectory;
}
