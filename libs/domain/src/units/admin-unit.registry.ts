import { type InstantInput, type LocalDate, isLocalDate, toVnDate } from '../time';
import { AdminUnitException, AdminUnitExceptionCode } from './admin-unit.exception';
import {
  type AdminUnit,
  type AdminUnitCounts,
  AdminUnitEra,
  type AdminUnitId,
  AdminUnitKind,
  AdminUnitLevel,
  MergeType,
  NATION_UNIT_ID,
  PRE_REFORM_LAST_DATE,
  PrimarySuccessorRule,
  REFORM_2025_DATE,
  type RawMergesFile,
  type RebaseResult,
  type UnitLink,
} from './admin-unit.type';
import { KNOWN_CROSS_PROVINCE_MAPPINGS, OLD_DISTRICT_PROVINCE, oldProvinceOfCommune } from './old-province-ranges.data';

/** Expected counts of the 2025 reform (GSO 915 and 1027/CTK-CSCL), checked at load. */
export const EXPECTED_2025_COUNTS = {
  provinces: 34,
  communes: 3321,
  communesByKind: { COMMUNE: 2621, WARD: 687, SPECIAL_ZONE: 13 },
  oldProvinces: 63,
} as const;

/** A date argument: a local date `YYYY-MM-DD` or an instant (its Vietnam local date is used). */
export type DateArg = LocalDate | InstantInput;

export function toLocalDateArg(date: DateArg): LocalDate {
  if (typeof date === 'string' && isLocalDate(date)) return date;
  try {
    return toVnDate(date);
  } catch {
    throw new AdminUnitException(AdminUnitExceptionCode.InvalidDate, `Expected a local date YYYY-MM-DD or an instant, got ${JSON.stringify(date)}`);
  }
}

export function adminUnitId(code: string, era: AdminUnitEra): AdminUnitId {
  return `${code}@${era}`;
}

const NAME_PREFIXES: readonly (readonly [string, AdminUnitKind])[] = [
  ['thành phố ', AdminUnitKind.Municipality],
  ['tỉnh ', AdminUnitKind.Province],
  ['huyện ', AdminUnitKind.District],
  ['xã ', AdminUnitKind.Commune],
  ['phường ', AdminUnitKind.Ward],
  ['thị trấn ', AdminUnitKind.Township],
  ['đặc khu ', AdminUnitKind.SpecialZone],
];

/** Unit kind from its Vietnamese name prefix (`Phường …` → WARD); undefined when unrecognised. */
export function kindFromName(name: string): AdminUnitKind | undefined {
  const lower = name.toLocaleLowerCase('vi');
  return NAME_PREFIXES.find(([prefix]) => lower.startsWith(prefix))?.[1];
}

/** The name without its type prefix (`Phường Ba Đình` → `Ba Đình`). */
export function bareName(name: string): string {
  const lower = name.toLocaleLowerCase('vi');
  const prefix = NAME_PREFIXES.find(([p]) => lower.startsWith(p))?.[0];
  return prefix ? name.slice(prefix.length) : name;
}

function normaliseName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

function compareCodes(a: AdminUnit, b: AdminUnit): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/**
 * The administrative-unit hierarchy across the 2025 reform: nation `VN`; 34 provinces and 3,321 communes
 * in force from 2025-07-01; 63 old provinces, 10,047 old communes and 5 old island districts in force
 * until 2025-06-30; the old → new links (full/partial) from `merges.json`. Unit identity is
 * `{code}@{era}` because codes are reused across eras (ADR 0103).
 */
export class AdminUnitRegistry {
  readonly root: AdminUnit;

  private readonly units = new Map<AdminUnitId, AdminUnit>();
  private readonly byCode = new Map<string, AdminUnit[]>();
  private readonly children = new Map<AdminUnitId, AdminUnitId[]>();
  private readonly successorLinks = new Map<AdminUnitId, { id: AdminUnitId; type: MergeType }[]>();
  private readonly predecessorLinks = new Map<AdminUnitId, { id: AdminUnitId; type: MergeType }[]>();
  private loadedCounts: AdminUnitCounts = {
    provinces: 0,
    communes: 0,
    communesByKind: { COMMUNE: 0, WARD: 0, SPECIAL_ZONE: 0 },
    oldProvinces: 0,
    oldCommunes: 0,
    oldDistricts: 0,
  };

  private constructor() {
    this.root = {
      id: NATION_UNIT_ID,
      code: 'VN',
      name: 'Việt Nam',
      kind: AdminUnitKind.Nation,
      level: AdminUnitLevel.Nation,
      era: null,
      validFrom: null,
      validTo: null,
      parentId: null,
    };
    this.add(this.root);
  }

  /** Counts found in the data (validated against EXPECTED_2025_COUNTS at load). */
  get counts(): AdminUnitCounts {
    return this.loadedCounts;
  }

  /**
   * Build and validate the registry from the raw `merges.json` content (and the official province codes,
   * when given). Throws AdminUnitException(INVALID_DATA) listing every problem.
   */
  static fromRaw(raw: RawMergesFile, officialProvinceCodes: readonly string[] = []): AdminUnitRegistry {
    const registry = new AdminUnitRegistry();
    const problems = registry.build(raw, officialProvinceCodes);
    if (problems.length > 0) {
      throw new AdminUnitException(AdminUnitExceptionCode.InvalidData, 'Administrative-unit data failed validation', problems);
    }
    return registry;
  }

  get(id: AdminUnitId): AdminUnit | undefined {
    return this.units.get(id);
  }

  require(id: AdminUnitId): AdminUnit {
    const unit = this.units.get(id);
    if (!unit) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.UnknownUnit,
        `Unknown administrative unit ${JSON.stringify(id)} (ids look like "01@2025", "00004@pre2025" or "VN")`,
      );
    }
    return unit;
  }

  get size(): number {
    return this.units.size;
  }

  /** Every unit, in insertion order (nation, then provinces with their communes). */
  all(): AdminUnit[] {
    return [...this.units.values()];
  }

  /** True when the unit is in force on `date`. */
  isInForce(unit: AdminUnit, date: DateArg): boolean {
    const d = toLocalDateArg(date);
    return (unit.validFrom === null || unit.validFrom <= d) && (unit.validTo === null || d <= unit.validTo);
  }

  /** Every unit carrying `code` in any era (codes are reused across eras). */
  findAllByCode(code: string): AdminUnit[] {
    return [...(this.byCode.get(code) ?? [])];
  }

  /** The unit with `code` in force on `date`, if any. */
  findByCode(code: string, date: DateArg): AdminUnit | undefined {
    const d = toLocalDateArg(date);
    return this.byCode.get(code)?.find((u) => this.isInForce(u, d));
  }

  /** Direct children of a unit (all eras), sorted by code. */
  childrenOf(id: AdminUnitId): AdminUnit[] {
    return (this.children.get(id) ?? []).map((c) => this.require(c)).sort(compareCodes);
  }

  /** Provinces in force on `date`, sorted by code. */
  provincesAt(date: DateArg): AdminUnit[] {
    const d = toLocalDateArg(date);
    return this.childrenOf(NATION_UNIT_ID).filter((u) => this.isInForce(u, d));
  }

  /** Commune-level children (communes, wards, special zones, old island districts) of a province. */
  communesOf(provinceId: AdminUnitId): AdminUnit[] {
    return this.childrenOf(provinceId);
  }

  /** Units of the next era that received (part of) this unit. */
  successorsOf(id: AdminUnitId): UnitLink[] {
    return (this.successorLinks.get(id) ?? []).map((l) => ({ unit: this.require(l.id), type: l.type }));
  }

  /** Units of the previous era merged (fully or partly) into this unit. */
  predecessorsOf(id: AdminUnitId): UnitLink[] {
    return (this.predecessorLinks.get(id) ?? []).map((l) => ({ unit: this.require(l.id), type: l.type }));
  }

  /**
   * Map a unit to the hierarchy in force on `date`: the unit itself when in force; otherwise its successors
   * (following later reforms too) and one deterministic primary successor (ADR 0103): the full successor if
   * there is one, else the successor that kept the old code, else the one with the same name, else the
   * lowest code. Throws NOT_IN_FORCE for a unit asked about before it existed.
   */
  rebase(id: AdminUnitId, date: DateArg): RebaseResult {
    const source = this.require(id);
    const d = toLocalDateArg(date);
    if (this.isInForce(source, d)) {
      return { source, date: d, primary: source, successors: [{ unit: source, type: MergeType.Full }], rule: PrimarySuccessorRule.InForce };
    }
    if (source.validFrom !== null && d < source.validFrom) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.NotInForce,
        `${source.name} (${source.id}) is in force from ${source.validFrom}, not on ${d}`,
      );
    }
    let current: { unit: AdminUnit; rule: PrimarySuccessorRule } = { unit: source, rule: PrimarySuccessorRule.InForce };
    let successors: UnitLink[] = [{ unit: source, type: MergeType.Full }];
    while (!this.isInForce(current.unit, d)) {
      const next = this.successorsOf(current.unit.id);
      if (next.length === 0) {
        throw new AdminUnitException(
          AdminUnitExceptionCode.NotInForce,
          `${current.unit.name} (${current.unit.id}) ended ${current.unit.validTo ?? '?'} and has no successor in force on ${d}`,
        );
      }
      successors = this.expand(successors, d);
      current = AdminUnitRegistry.choosePrimary(current.unit, next);
    }
    return { source, date: d, primary: current.unit, successors, rule: current.rule };
  }

  /**
   * The unit (rebased to the hierarchy in force on `date` when needed) followed by its ancestors up to
   * the nation: e.g. `[00004@2025 Phường Ba Đình, 01@2025 Hà Nội, VN]`.
   */
  ancestorsAt(id: AdminUnitId, date: DateArg): AdminUnit[] {
    const chain: AdminUnit[] = [];
    let unit: AdminUnit | undefined = this.rebase(id, date).primary;
    while (unit !== undefined) {
      chain.push(unit);
      unit = unit.parentId === null ? undefined : this.require(unit.parentId);
    }
    return chain;
  }

  /** The province (in force on `date`) a unit rolls up to. */
  provinceAt(id: AdminUnitId, date: DateArg): AdminUnit {
    const province = this.ancestorsAt(id, date).find((u) => u.level === AdminUnitLevel.Province);
    if (!province) {
      throw new AdminUnitException(AdminUnitExceptionCode.UnknownUnit, `${id} has no province (it is the nation)`);
    }
    return province;
  }

  private expand(links: readonly UnitLink[], date: LocalDate): UnitLink[] {
    const out = new Map<AdminUnitId, UnitLink>();
    for (const link of links) {
      if (this.isInForce(link.unit, date)) {
        out.set(link.unit.id, link);
        continue;
      }
      for (const next of this.successorsOf(link.unit.id)) {
        const type = link.type === MergeType.Full && next.type === MergeType.Full ? MergeType.Full : MergeType.Partial;
        const existing = out.get(next.unit.id);
        if (!existing || (existing.type === MergeType.Partial && type === MergeType.Full)) out.set(next.unit.id, { unit: next.unit, type });
      }
    }
    return [...out.values()].sort((a, b) => compareCodes(a.unit, b.unit));
  }

  private static choosePrimary(old: AdminUnit, next: readonly UnitLink[]): { unit: AdminUnit; rule: PrimarySuccessorRule } {
    const full = next.filter((l) => l.type === MergeType.Full);
    if (full.length > 0) return { unit: [...full].sort((a, b) => compareCodes(a.unit, b.unit))[0].unit, rule: PrimarySuccessorRule.FullSuccessor };
    const sameCode = next.find((l) => l.unit.code === old.code);
    if (sameCode) return { unit: sameCode.unit, rule: PrimarySuccessorRule.SameCode };
    const name = bareName(old.name).toLocaleLowerCase('vi');
    const sameName = [...next].sort((a, b) => compareCodes(a.unit, b.unit)).find((l) => bareName(l.unit.name).toLocaleLowerCase('vi') === name);
    if (sameName) return { unit: sameName.unit, rule: PrimarySuccessorRule.SameName };
    return { unit: [...next].sort((a, b) => compareCodes(a.unit, b.unit))[0].unit, rule: PrimarySuccessorRule.LowestCode };
  }

  private add(unit: AdminUnit): void {
    this.units.set(unit.id, unit);
    const sameCode = this.byCode.get(unit.code);
    if (sameCode) sameCode.push(unit);
    else this.byCode.set(unit.code, [unit]);
    if (unit.parentId !== null) {
      const siblings = this.children.get(unit.parentId);
      if (siblings) siblings.push(unit.id);
      else this.children.set(unit.parentId, [unit.id]);
    }
  }

  private link(oldId: AdminUnitId, newId: AdminUnitId, type: MergeType): void {
    const s = this.successorLinks.get(oldId);
    if (s) s.push({ id: newId, type });
    else this.successorLinks.set(oldId, [{ id: newId, type }]);
    const p = this.predecessorLinks.get(newId);
    if (p) p.push({ id: oldId, type });
    else this.predecessorLinks.set(newId, [{ id: oldId, type }]);
  }

  private build(raw: RawMergesFile, officialProvinceCodes: readonly string[]): string[] {
    const problems: string[] = [];
    const counts = {
      provinces: 0,
      communes: 0,
      communesByKind: { COMMUNE: 0, WARD: 0, SPECIAL_ZONE: 0 },
      oldProvinces: 0,
      oldCommunes: 0,
      oldDistricts: 0,
    };
    if (!raw || !Array.isArray(raw.data)) return ['merges.json has no "data" array'];
    const oldProvinceSuccessor = new Map<string, string>();

    // Pass 1: provinces (new and old).
    for (const p of raw.data) {
      const code = p.level1_id;
      const name = normaliseName(p.name);
      const kind = kindFromName(name);
      if (!/^\d{2}$/.test(code)) problems.push(`province code ${JSON.stringify(code)} is not 2 digits`);
      if (kind !== AdminUnitKind.Province && kind !== AdminUnitKind.Municipality) problems.push(`province ${code} "${name}" has no Tỉnh/Thành phố prefix`);
      const id = adminUnitId(code, AdminUnitEra.Reform2025);
      if (this.units.has(id)) problems.push(`province ${code} listed twice`);
      this.add({ id, code, name, kind: kind ?? AdminUnitKind.Province, level: AdminUnitLevel.Province, era: AdminUnitEra.Reform2025, validFrom: REFORM_2025_DATE, validTo: null, parentId: NATION_UNIT_ID });
      counts.provinces += 1;
      for (const m of p.merges) {
        const oldName = normaliseName(m.name);
        const oldKind = kindFromName(oldName);
        const oldId = adminUnitId(m.old_id, AdminUnitEra.Pre2025);
        if (this.units.has(oldId)) problems.push(`old province ${m.old_id} merged twice`);
        if (m.type !== MergeType.Full) problems.push(`old province ${m.old_id} has merge type ${m.type}, expected full`);
        this.add({ id: oldId, code: m.old_id, name: oldName, kind: oldKind ?? AdminUnitKind.Province, level: AdminUnitLevel.Province, era: AdminUnitEra.Pre2025, validFrom: null, validTo: PRE_REFORM_LAST_DATE, parentId: NATION_UNIT_ID });
        this.link(oldId, id, MergeType.Full);
        oldProvinceSuccessor.set(m.old_id, code);
        counts.oldProvinces += 1;
      }
    }

    // Pass 2: communes (new and old).
    for (const p of raw.data) {
      const provinceId = adminUnitId(p.level1_id, AdminUnitEra.Reform2025);
      for (const c of p.level2s) {
        const code = c.level2_id;
        const name = normaliseName(c.name);
        const kind = kindFromName(name);
        const id = adminUnitId(code, AdminUnitEra.Reform2025);
        if (!/^\d{5}$/.test(code)) problems.push(`commune code ${JSON.stringify(code)} is not 5 digits`);
        if (this.units.has(id)) problems.push(`commune ${code} listed twice`);
        if (kind !== AdminUnitKind.Commune && kind !== AdminUnitKind.Ward && kind !== AdminUnitKind.SpecialZone) {
          problems.push(`commune ${code} "${name}" is not a Xã/Phường/Đặc khu`);
        } else {
          counts.communesByKind[kind] += 1;
        }
        this.add({ id, code, name, kind: kind ?? AdminUnitKind.Commune, level: AdminUnitLevel.Commune, era: AdminUnitEra.Reform2025, validFrom: REFORM_2025_DATE, validTo: null, parentId: provinceId });
        counts.communes += 1;
        if (c.merges.length === 0) problems.push(`commune ${code} has no predecessor`);
        for (const m of c.merges) {
          if (m.type !== MergeType.Full && m.type !== MergeType.Partial) problems.push(`merge ${m.old_id} → ${code} has type ${m.type}`);
          const oldId = adminUnitId(m.old_id, AdminUnitEra.Pre2025);
          if (!this.units.has(oldId)) {
            const isDistrict = /^\d{3}$/.test(m.old_id);
            const oldProvince = isDistrict ? OLD_DISTRICT_PROVINCE[m.old_id] : oldProvinceOfCommune(m.old_id);
            if (oldProvince === undefined) {
              problems.push(`old unit ${m.old_id} "${m.name}": no old province known`);
              continue;
            }
            if (oldProvinceSuccessor.get(oldProvince) !== p.level1_id && !KNOWN_CROSS_PROVINCE_MAPPINGS.includes(m.old_id)) {
              problems.push(`old unit ${m.old_id} (old province ${oldProvince}) is listed under new province ${p.level1_id}`);
            }
            const oldName = normaliseName(m.name);
            const oldKind = kindFromName(oldName);
            if (oldKind === undefined) problems.push(`old unit ${m.old_id} "${oldName}" has an unknown type prefix`);
            this.add({
              id: oldId,
              code: m.old_id,
              name: oldName,
              kind: oldKind ?? AdminUnitKind.Commune,
              level: isDistrict ? AdminUnitLevel.District : AdminUnitLevel.Commune,
              era: AdminUnitEra.Pre2025,
              validFrom: null,
              validTo: PRE_REFORM_LAST_DATE,
              parentId: adminUnitId(oldProvince, AdminUnitEra.Pre2025),
            });
            if (isDistrict) counts.oldDistricts += 1;
            else counts.oldCommunes += 1;
          }
          this.link(oldId, id, m.type === MergeType.Full ? MergeType.Full : MergeType.Partial);
        }
      }
    }

    for (const [oldId, links] of this.successorLinks) {
      if (links.filter((l) => l.type === MergeType.Full).length > 1) problems.push(`old unit ${oldId} has several full successors`);
    }
    const e = EXPECTED_2025_COUNTS;
    if (counts.provinces !== e.provinces) problems.push(`expected ${e.provinces} provinces, got ${counts.provinces}`);
    if (counts.communes !== e.communes) problems.push(`expected ${e.communes} communes, got ${counts.communes}`);
    for (const k of ['COMMUNE', 'WARD', 'SPECIAL_ZONE'] as const) {
      if (counts.communesByKind[k] !== e.communesByKind[k]) problems.push(`expected ${e.communesByKind[k]} ${k}, got ${counts.communesByKind[k]}`);
    }
    if (counts.oldProvinces !== e.oldProvinces) problems.push(`expected ${e.oldProvinces} old provinces, got ${counts.oldProvinces}`);
    if (raw.stats?.level1_count !== undefined && raw.stats.level1_count !== counts.provinces) problems.push(`stats.level1_count ${raw.stats.level1_count} ≠ ${counts.provinces}`);
    if (raw.stats?.level2_count !== undefined && raw.stats.level2_count !== counts.communes) problems.push(`stats.level2_count ${raw.stats.level2_count} ≠ ${counts.communes}`);
    if (officialProvinceCodes.length > 0) {
      const listed = raw.data.map((p) => p.level1_id).sort().join(',');
      const official = [...officialProvinceCodes].sort().join(',');
      if (listed !== official) problems.push(`province codes ${listed} differ from the official list ${official}`);
    }
    this.loadedCounts = counts;
    return problems;
  }
}
