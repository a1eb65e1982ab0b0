import { NATION_UNIT_ID, getUnitDirectory, type UnitDirectory } from '@onestop/domain';

/** Whether the service has ever counted a unit (it is the child of some unit in `statistics.unit_edge`). */
export type CountedUnitCheck = (unitId: string) => Promise<boolean>;

/**
 * Which unit ids the query API answers for (ADR 0410): the ids of the domain unit directory as the roll-up names
 * them — `VN`, a province / commune / pre-2025 island-district code of either era (`01`, `00004`, the old `02`),
 * an administrative unit id (`00004@pre2025`), a one-stop unit code (`01.00004`, `01.TTPV`) — and any other unit
 * the service has counted (a receiving unit the directory does not know is counted under itself and `VN`, and
 * `/v1/units/VN/children` lists it). Anything else is answered 404 instead of zeros.
 */
export class UnitLookup {
  private readonly counted = new Map<string, { at: number; value: boolean }>();

  constructor(
    private readonly countedCheck: CountedUnitCheck,
    private readonly directory: () => UnitDirectory = getUnitDirectory,
    /** How long (ms) a "not counted" answer is cached; a counted unit stays known. */
    private readonly negativeTtlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Known to the domain unit directory (any era). */
  inDirectory(unitId: string): boolean {
    if (unitId === NATION_UNIT_ID) return true;
    const d = this.directory();
    if (unitId.includes('@')) return d.adminUnits.get(unitId) !== undefined;
    return d.oneStopUnits.has(unitId) || d.adminUnits.findAllByCode(unitId).length > 0;
  }

  /**
   * The Vietnamese name of a unit as the roll-up names it, on `day` (YYYY-MM-DD): the one-stop unit's, else the
   * administrative unit of that code in force on the day (else its latest era), `VN` the nation's. Null when the
   * directory does not know it (a unit only counted).
   */
  nameOf(unitId: string, day: string): string | null {
    const d = this.directory();
    if (unitId === NATION_UNIT_ID) return d.adminUnits.root.name;
    const oneStop = d.oneStopUnits.get(unitId);
    if (oneStop) return oneStop.name;
    const admin = unitId.includes('@') ? [d.adminUnits.get(unitId)].filter((u) => u !== undefined) : d.adminUnits.findAllByCode(unitId);
    if (admin.length === 0) return null;
    const inForce = admin.find((u) => d.adminUnits.isInForce(u, day));
    return (inForce ?? admin[admin.length - 1]!).name;
  }

  /**
   * The directory's children of a unit in force on `day` (YYYY-MM-DD), as the roll-up names them: the nation's
   * provinces; a province's communes and its provincial one-stop units (centre, departments); a commune's one-stop
   * unit. Units that received no dossier are listed too, so a breakdown or report shows every unit, with zeros.
   * Empty for a one-stop unit or a unit the directory does not know on that day.
   */
  childrenInForce(unitId: string, day: string): string[] {
    const d = this.directory();
    if (unitId === NATION_UNIT_ID) return d.adminUnits.provincesAt(day).map((u) => u.code);
    if (d.oneStopUnits.has(unitId)) return [];
    const admin = unitId.includes('@') ? d.adminUnits.get(unitId) : d.adminUnits.findByCode(unitId, day);
    if (admin === undefined || !d.adminUnits.isInForce(admin, day)) return [];
    const kids = d.adminUnits.childrenOf(admin.id).filter((u) => d.adminUnits.isInForce(u, day));
    const kidCodes = new Set(kids.map((u) => u.code));
    // a commune's own one-stop unit is listed under the commune, not next to it
    const ownUnits = d.oneStopUnits.ofAdminUnit(admin.id).map((u) => u.code).filter((c) => !kidCodes.has(c));
    return [...kids.map((u) => u.code), ...ownUnits];
  }

  /**
   * For a unit that is no longer in force on `day` (a pre-2025 commune or province: `00013`, `02`, `00004@pre2025`):
   * the unit of the map in force its dossiers are counted under — the primary successor of ADR 0103, as the roll-up
   * uses it (ADR 0206). Null for a unit in force (counted under itself), the nation, a one-stop unit or an unknown id.
   * Nothing is ever counted under an ended unit's own id, so its zeros mean "not tracked here", not "no dossiers".
   */
  countedUnder(unitId: string, day: string): { unitId: string; name: string } | null {
    if (unitId === NATION_UNIT_ID) return null;
    const d = this.directory();
    if (d.oneStopUnits.has(unitId)) return null;
    const units = unitId.includes('@') ? [d.adminUnits.get(unitId)].filter((u) => u !== undefined) : d.adminUnits.findAllByCode(unitId);
    if (units.length === 0 || units.some((u) => d.adminUnits.isInForce(u, day))) return null;
    try {
      const { primary } = d.adminUnits.rebase(units[units.length - 1]!.id, day);
      return { unitId: primary.code, name: primary.name };
    } catch {
      return null; // no successor in force on that day: nothing better to point to
    }
  }

  async exists(unitId: string): Promise<boolean> {
    if (this.inDirectory(unitId)) return true;
    const hit = this.counted.get(unitId);
    if (hit && (hit.value || this.now() - hit.at < this.negativeTtlMs)) return hit.value;
    const value = await this.countedCheck(unitId);
    if (this.counted.size >= 10_000) this.counted.clear(); // bounded: ids come from URLs
    this.counted.set(unitId, { at: this.now(), value });
    return value;
  }
}
