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
import {
  KNOWN_CROSS_PROVINCE_MAPPINGS,
  OLD_DISTRICT_PROVINCE,
  oldProvinceOfCommune,
} from './old-province-ranges.data';

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
    throw new AdminUnitException(
      AdminUnitExceptionCode.InvalidDate,
      `Expected a local date YYYY-MM-DD or an instant, got ${JSON.stringify(date)}`,
    );
  }
}

export function adminUnitId(code: string, era: AdminUnitEra): AdminUnitId {
  return `${code}@${era}`;
}

/** Name prefixes as they appear in the data (both capitalisations of "Thị trấn" occur). */
const NAME_PREFIXES: readonly (readonly [string, AdminUnitKind])[] = [
  ['Xã ', AdminUnitKind.Commune],
  ['Phường ', AdminUnitKind.Ward],
  ['Thị trấn ', AdminUnitKind.Township],
  ['Thị Trấn ', AdminUnitKind.Township],
  ['Đặc khu ', AdminUnitKind.SpecialZone],
  ['Tỉnh ', AdminUnitKind.Province],
  ['Thành phố ', AdminUnitKind.Municipality],
  ['Huyện ', AdminUnitKind.District],
];

function matchPrefix(name: string): readonly [string, AdminUnitKind] | undefined {
  for (const entry of NAME_PREFIXES) if (name.startsWith(entry[0])) return entry;
  return undefined;
}

/** Unit kind from its Vietnamese name prefix (`Phường …` → WARD); undefined when unrecognised. */
export function kindFromName(name: string): AdminUnitKind | undefined {
  return matchPrefix(name)?.[1];
}

/** The name without its type prefix (`Phường Ba Đình` → `Ba Đình`). */
export function bareName(name: string): string {
  const prefix = matchPrefix(name)?.[0];
  return prefix ? name.slice(prefix.length) : name;
}

function normaliseName(name: string): string {
  return name.includes('  ') || name.trim() !== name ? name.replace(/\s+/g, ' ').trim() : name;
}

function compareCodes(a: AdminUnit, b: AdminUnit): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** Internal graph node; link arrays are allocated only when used (≈ 40k fewer objects at boot). */
interface UnitNode {
  readonly unit: AdminUnit;
  children: AdminUnit[] | null;
  successors: NodeLink[] | null;
  predecessors: NodeLink[] | null;
}

interface NodeLink {
  readonly node: UnitNode;
  readonly type: MergeType;
}

function newNode(unit: AdminUnit): UnitNode {
  return { unit, children: null, successors: null, predecessors: null };
}

/**
 * The administrative-unit hierarchy across the 2025 reform: nation `VN`; 34 provinces and 3,321 communes
 * in force from 2025-07-01; 63 old provinces, 10,047 old communes and 5 old island districts in force
 * until 2025-06-30; the old → new links (full/partial) from `merges.json`. Unit identity is
 * `{code}@{era}` because codes are reused across eras (ADR 0103). Internally one code → node map per era,
 * so loading hashes only the codes as parsed from JSON (fast boot).
 */
export class AdminUnitRegistry {
  readonly root: AdminUnit;

  private readonly rootNode: UnitNode;
  private readonly eras = new Map<AdminUnitEra, Map<string, UnitNode>>([
    [AdminUnitEra.Pre2025, new Map()],
    [AdminUnitEra.Reform2025, new Map()],
  ]);
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
    this.rootNode = newNode(this.root);
  }

  /**
   * Build and validate the registry from the raw `merges.json` content (and the official province codes,
   * when given). Throws AdminUnitException(INVALID_DATA) listing every problem.
   */
  static fromRaw(
    raw: RawMergesFile,
    officialProvinceCodes: readonly string[] = [],
  ): AdminUnitRegistry {
    const registry = new AdminUnitRegistry();
    const problems = registry.build(raw, officialProvinceCodes);
    if (problems.length > 0) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.InvalidData,
        'Administrative-unit data failed validation',
        problems,
      );
    }
    return registry;
  }

  /** `isInForce` for an already validated local date. */
  static inForceOn(unit: AdminUnit, date: LocalDate): boolean {
    return (
      (unit.validFrom === null || unit.validFrom <= date) &&
      (unit.validTo === null || date <= unit.validTo)
    );
  }

  /** Counts found in the data (validated against EXPECTED_2025_COUNTS at load). */
  get counts(): AdminUnitCounts {
    return this.loadedCounts;
  }

  get(id: AdminUnitId): AdminUnit | undefined {
    return this.nodeOf(id)?.unit;
  }

  require(id: AdminUnitId): AdminUnit {
    return this.requireNode(id).unit;
  }

  /** Number of units (all eras, nation included). */
  get size(): number {
    let n = 1;
    for (const era of this.eras.values()) n += era.size;
    return n;
  }

  /** Every unit: the nation, then the pre-2025 era, then the 2025 era. */
  all(): AdminUnit[] {
    const out = [this.root];
    for (const era of this.eras.values()) for (const node of era.values()) out.push(node.unit);
    return out;
  }

  /** True when the unit is in force on `date`. */
  isInForce(unit: AdminUnit, date: DateArg): boolean {
    return AdminUnitRegistry.inForceOn(unit, toLocalDateArg(date));
  }

  /** Every unit carrying `code` in any era (codes are reused across eras). */
  findAllByCode(code: string): AdminUnit[] {
    if (code === this.root.code) return [this.root];
    const out: AdminUnit[] = [];
    for (const era of this.eras.values()) {
      const node = era.get(code);
      if (node) out.push(node.unit);
    }
    return out;
  }

  /** The unit with `code` in force on `date`, if any. */
  findByCode(code: string, date: DateArg): AdminUnit | undefined {
    const d = toLocalDateArg(date);
    return this.findAllByCode(code).find((u) => AdminUnitRegistry.inForceOn(u, d));
  }

  /** Direct children of a unit (all eras), sorted by code. */
  childrenOf(id: AdminUnitId): AdminUnit[] {
    return [...(this.requireNode(id).children ?? [])].sort(compareCodes);
  }

  /** Provinces in force on `date`, sorted by code. */
  provincesAt(date: DateArg): AdminUnit[] {
    const d = toLocalDateArg(date);
    return this.childrenOf(NATION_UNIT_ID).filter((u) => AdminUnitRegistry.inForceOn(u, d));
  }

  /** Commune-level children (communes, wards, special zones, old island districts) of a province. */
  communesOf(provinceId: AdminUnitId): AdminUnit[] {
    return this.childrenOf(provinceId);
  }

  /** Units of the next era that received (part of) this unit. */
  successorsOf(id: AdminUnitId): UnitLink[] {
    return (this.requireNode(id).successors ?? []).map((l) => ({
      unit: l.node.unit,
      type: l.type,
    }));
  }

  /** Units of the previous era merged (fully or partly) into this unit. */
  predecessorsOf(id: AdminUnitId): UnitLink[] {
    return (this.requireNode(id).predecessors ?? []).map((l) => ({
      unit: l.node.unit,
      type: l.type,
    }));
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
    if (AdminUnitRegistry.inForceOn(source, d)) {
      return {
        source,
        date: d,
        primary: source,
        successors: [{ unit: source, type: MergeType.Full }],
        rule: PrimarySuccessorRule.InForce,
      };
    }
    if (source.validFrom !== null && d < source.validFrom) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.NotInForce,
        `${source.name} (${source.id}) is in force from ${source.validFrom}, not on ${d}`,
      );
    }
    let current: { unit: AdminUnit; rule: PrimarySuccessorRule } = {
      unit: source,
      rule: PrimarySuccessorRule.InForce,
    };
    let successors: UnitLink[] = [{ unit: source, type: MergeType.Full }];
    while (!AdminUnitRegistry.inForceOn(current.unit, d)) {
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
      throw new AdminUnitException(
        AdminUnitExceptionCode.UnknownUnit,
        `${id} has no province (it is the nation)`,
      );
    }
    return province;
  }

  private nodeOf(id: AdminUnitId): UnitNode | undefined {
    if (id === NATION_UNIT_ID) return this.rootNode;
    if (typeof id !== 'string') return undefined;
    const at = id.lastIndexOf('@');
    if (at <= 0) return undefined;
    return this.eras.get(id.slice(at + 1) as AdminUnitEra)?.get(id.slice(0, at));
  }

  private requireNode(id: AdminUnitId): UnitNode {
    const node = this.nodeOf(id);
    if (!node) {
      throw new AdminUnitException(
        AdminUnitExceptionCode.UnknownUnit,
        `Unknown administrative unit ${JSON.stringify(id)} (ids look like "01@2025", "00004@pre2025" or "VN")`,
      );
    }
    return node;
  }

  private expand(links: readonly UnitLink[], date: LocalDate): UnitLink[] {
    const out = new Map<AdminUnitId, UnitLink>();
    for (const link of links) {
      if (AdminUnitRegistry.inForceOn(link.unit, date)) {
        out.set(link.unit.id, link);
        continue;
      }
      for (const next of this.successorsOf(link.unit.id)) {
        const type =
          link.type === MergeType.Full && next.type === MergeType.Full
            ? MergeType.Full
            : MergeType.Partial;
        const existing = out.get(next.unit.id);
        if (!existing || (existing.type === MergeType.Partial && type === MergeType.Full))
          out.set(next.unit.id, { unit: next.unit, type });
      }
    }
    return [...out.values()].sort((a, b) => compareCodes(a.unit, b.unit));
  }

  private static choosePrimary(
    old: AdminUnit,
    next: readonly UnitLink[],
  ): { unit: AdminUnit; rule: PrimarySuccessorRule } {
    const sorted = [...next].sort((a, b) => compareCodes(a.unit, b.unit));
    const full = sorted.find((l) => l.type === MergeType.Full);
    if (full) return { unit: full.unit, rule: PrimarySuccessorRule.FullSuccessor };
    const sameCode = sorted.find((l) => l.unit.code === old.code);
    if (sameCode) return { unit: sameCode.unit, rule: PrimarySuccessorRule.SameCode };
    const name = bareName(old.name).toLowerCase();
    const sameName = sorted.find((l) => bareName(l.unit.name).toLowerCase() === name);
    if (sameName) return { unit: sameName.unit, rule: PrimarySuccessorRule.SameName };
    return { unit: sorted[0].unit, rule: PrimarySuccessorRule.LowestCode };
  }

  /** Add a unit under `parent`; returns its node. */
  private add(era: Map<string, UnitNode>, unit: AdminUnit, parent: UnitNode): UnitNode {
    const node = newNode(unit);
    era.set(unit.code, node);
    if (parent.children === null) parent.children = [unit];
    else parent.children.push(unit);
    return node;
  }

  private static link(from: UnitNode, to: UnitNode, type: MergeType): void {
    if (from.successors === null) from.successors = [{ node: to, type }];
    else from.successors.push({ node: to, type });
    if (to.predecessors === null) to.predecessors = [{ node: from, type }];
    else to.predecessors.push({ node: from, type });
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
    const oldEra = this.eras.get(AdminUnitEra.Pre2025) as Map<string, UnitNode>;
    const newEra = this.eras.get(AdminUnitEra.Reform2025) as Map<string, UnitNode>;
    const oldProvinceSuccessor = new Map<string, string>();
    const provinceNodes: UnitNode[] = [];

    // Pass 1: provinces (new and old).
    for (const p of raw.data) {
      const code = p.level1_id;
      const name = normaliseName(p.name);
      const kind = kindFromName(name);
      if (!/^\d{2}$/.test(code))
        problems.push(`province code ${JSON.stringify(code)} is not 2 digits`);
      if (kind !== AdminUnitKind.Province && kind !== AdminUnitKind.Municipality)
        problems.push(`province ${code} "${name}" has no Tỉnh/Thành phố prefix`);
      if (newEra.has(code)) problems.push(`province ${code} listed twice`);
      const provinceNode = this.add(
        newEra,
        {
          id: adminUnitId(code, AdminUnitEra.Reform2025),
          code,
          name,
          kind: kind ?? AdminUnitKind.Province,
          level: AdminUnitLevel.Province,
          era: AdminUnitEra.Reform2025,
          validFrom: REFORM_2025_DATE,
          validTo: null,
          parentId: NATION_UNIT_ID,
        },
        this.rootNode,
      );
      provinceNodes.push(provinceNode);
      counts.provinces += 1;
      for (const m of p.merges) {
        const oldName = normaliseName(m.name);
        if (oldEra.has(m.old_id)) problems.push(`old province ${m.old_id} merged twice`);
        if (m.type !== MergeType.Full)
          problems.push(`old province ${m.old_id} has merge type ${m.type}, expected full`);
        const oldNode = this.add(
          oldEra,
          {
            id: adminUnitId(m.old_id, AdminUnitEra.Pre2025),
            code: m.old_id,
            name: oldName,
            kind: kindFromName(oldName) ?? AdminUnitKind.Province,
            level: AdminUnitLevel.Province,
            era: AdminUnitEra.Pre2025,
            validFrom: null,
            validTo: PRE_REFORM_LAST_DATE,
            parentId: NATION_UNIT_ID,
          },
          this.rootNode,
        );
        AdminUnitRegistry.link(oldNode, provinceNode, MergeType.Full);
        oldProvinceSuccessor.set(m.old_id, code);
        counts.oldProvinces += 1;
      }
    }

    // Pass 2: communes (new and old).
    raw.data.forEach((p, index) => {
      const provinceNode = provinceNodes[index];
      for (const c of p.level2s) {
        const code = c.level2_id;
        const name = normaliseName(c.name);
        const kind = kindFromName(name);
        if (!/^\d{5}$/.test(code))
          problems.push(`commune code ${JSON.stringify(code)} is not 5 digits`);
        if (newEra.has(code)) problems.push(`commune ${code} listed twice`);
        if (
          kind !== AdminUnitKind.Commune &&
          kind !== AdminUnitKind.Ward &&
          kind !== AdminUnitKind.SpecialZone
        ) {
          problems.push(`commune ${code} "${name}" is not a Xã/Phường/Đặc khu`);
        } else {
          counts.communesByKind[kind] += 1;
        }
        const communeNode = this.add(
          newEra,
          {
            id: adminUnitId(code, AdminUnitEra.Reform2025),
            code,
            name,
            kind: kind ?? AdminUnitKind.Commune,
            level: AdminUnitLevel.Commune,
            era: AdminUnitEra.Reform2025,
            validFrom: REFORM_2025_DATE,
            validTo: null,
            parentId: provinceNode.unit.id,
          },
          provinceNode,
        );
        counts.communes += 1;
        if (c.merges.length === 0) problems.push(`commune ${code} has no predecessor`);
        for (const m of c.merges) {
          if (m.type !== MergeType.Full && m.type !== MergeType.Partial)
            problems.push(`merge ${m.old_id} → ${code} has type ${m.type}`);
          let oldNode = oldEra.get(m.old_id);
          if (oldNode === undefined) {
            const isDistrict = m.old_id.length === 3;
            const oldProvince = isDistrict
              ? OLD_DISTRICT_PROVINCE[m.old_id]
              : oldProvinceOfCommune(m.old_id);
            const oldProvinceNode = oldProvince === undefined ? undefined : oldEra.get(oldProvince);
            if (oldProvince === undefined || oldProvinceNode === undefined) {
              problems.push(`old unit ${m.old_id} "${m.name}": no old province known`);
              continue;
            }
            if (
              oldProvinceSuccessor.get(oldProvince) !== p.level1_id &&
              !KNOWN_CROSS_PROVINCE_MAPPINGS.includes(m.old_id)
            ) {
              problems.push(
                `old unit ${m.old_id} (old province ${oldProvince}) is listed under new province ${p.level1_id}`,
              );
            }
            const oldName = normaliseName(m.name);
            const oldKind = kindFromName(oldName);
            if (oldKind === undefined)
              problems.push(`old unit ${m.old_id} "${oldName}" has an unknown type prefix`);
            oldNode = this.add(
              oldEra,
              {
                id: adminUnitId(m.old_id, AdminUnitEra.Pre2025),
                code: m.old_id,
                name: oldName,
                kind: oldKind ?? AdminUnitKind.Commune,
                level: isDistrict ? AdminUnitLevel.District : AdminUnitLevel.Commune,
                era: AdminUnitEra.Pre2025,
                validFrom: null,
                validTo: PRE_REFORM_LAST_DATE,
                parentId: oldProvinceNode.unit.id,
              },
              oldProvinceNode,
            );
            if (isDistrict) counts.oldDistricts += 1;
            else counts.oldCommunes += 1;
          }
          AdminUnitRegistry.link(
            oldNode,
            communeNode,
            m.type === MergeType.Full ? MergeType.Full : MergeType.Partial,
          );
        }
      }
    });

    for (const node of oldEra.values()) {
      let full = 0;
      for (const l of node.successors ?? []) if (l.type === MergeType.Full) full += 1;
      if (full > 1) problems.push(`old unit ${node.unit.id} has several full successors`);
    }
    const e = EXPECTED_2025_COUNTS;
    if (counts.provinces !== e.provinces)
      problems.push(`expected ${e.provinces} provinces, got ${counts.provinces}`);
    if (counts.communes !== e.communes)
      problems.push(`expected ${e.communes} communes, got ${counts.communes}`);
    for (const k of ['COMMUNE', 'WARD', 'SPECIAL_ZONE'] as const) {
      if (counts.communesByKind[k] !== e.communesByKind[k])
        problems.push(`expected ${e.communesByKind[k]} ${k}, got ${counts.communesByKind[k]}`);
    }
    if (counts.oldProvinces !== e.oldProvinces)
      problems.push(`expected ${e.oldProvinces} old provinces, got ${counts.oldProvinces}`);
    if (raw.stats?.level1_count !== undefined && raw.stats.level1_count !== counts.provinces)
      problems.push(`stats.level1_count ${raw.stats.level1_count} ≠ ${counts.provinces}`);
    if (raw.stats?.level2_count !== undefined && raw.stats.level2_count !== counts.communes)
      problems.push(`stats.level2_count ${raw.stats.level2_count} ≠ ${counts.communes}`);
    if (officialProvinceCodes.length > 0) {
      const listed = raw.data
        .map((p) => p.level1_id)
        .sort()
        .join(',');
      const official = [...officialProvinceCodes].sort().join(',');
      if (listed !== official)
        problems.push(`province codes ${listed} differ from the official list ${official}`);
    }
    this.loadedCounts = counts;
    return problems;
  }
}
