import type { LocalDate } from '../time';

/** First day of the two-level local government (no districts): 34 provinces, 3,321 communes. */
export const REFORM_2025_DATE: LocalDate = '2025-07-01';
/** Last day of the pre-reform hierarchy (63 provinces, districts, 10,047 communes). */
export const PRE_REFORM_LAST_DATE: LocalDate = '2025-06-30';

/**
 * Era of an administrative unit. Codes are reused across eras (3,314 new communes took the code of one of
 * their predecessors), so a unit is identified by code AND era: `AdminUnitId = "{code}@{era}"` (ADR 0103).
 */
export const AdminUnitEra = {
  /** Until 2025-06-30. */
  Pre2025: 'pre2025',
  /** From 2025-07-01. */
  Reform2025: '2025',
} as const;
export type AdminUnitEra = (typeof AdminUnitEra)[keyof typeof AdminUnitEra];

/** `VN`, or `{code}@{era}`: `01@2025` (Hà Nội), `00004@2025` (Phường Ba Đình), `00004@pre2025` (old Phường Trúc Bạch). */
export type AdminUnitId = string;
export const NATION_UNIT_ID: AdminUnitId = 'VN';

export const AdminUnitLevel = {
  Nation: 'NATION',
  Province: 'PROVINCE',
  /** Only the five pre-2025 island districts without communes appear (they became special zones). */
  District: 'DISTRICT',
  Commune: 'COMMUNE',
} as const;
export type AdminUnitLevel = (typeof AdminUnitLevel)[keyof typeof AdminUnitLevel];

/** Type of unit, derived from the name prefix (see the glossary). */
export const AdminUnitKind = {
  Nation: 'NATION',
  /** Thành phố trực thuộc trung ương. */
  Municipality: 'MUNICIPALITY',
  /** Tỉnh. */
  Province: 'PROVINCE',
  /** Huyện (pre-2025 island districts only). */
  District: 'DISTRICT',
  /** Xã. */
  Commune: 'COMMUNE',
  /** Phường. */
  Ward: 'WARD',
  /** Thị trấn (pre-2025 only). */
  Township: 'TOWNSHIP',
  /** Đặc khu (from 2025-07-01). */
  SpecialZone: 'SPECIAL_ZONE',
} as const;
export type AdminUnitKind = (typeof AdminUnitKind)[keyof typeof AdminUnitKind];

export interface AdminUnit {
  readonly id: AdminUnitId;
  /** GSO code: province 2 digits, district 3, commune 5; `VN` for the nation. */
  readonly code: string;
  /** Full Vietnamese name with its type prefix, whitespace-normalised (`Phường Ba Đình`). */
  readonly name: string;
  readonly kind: AdminUnitKind;
  readonly level: AdminUnitLevel;
  /** `null` for the nation (valid in every era). */
  readonly era: AdminUnitEra | null;
  /** First day in force; `null` = since before the data starts. */
  readonly validFrom: LocalDate | null;
  /** Last day in force; `null` = still in force. */
  readonly validTo: LocalDate | null;
  readonly parentId: AdminUnitId | null;
}

/** Old → new: `full` = the whole old unit went into the new one; `partial` = a part of a split unit. */
export const MergeType = { Full: 'full', Partial: 'partial' } as const;
export type MergeType = (typeof MergeType)[keyof typeof MergeType];

export interface UnitLink {
  readonly unit: AdminUnit;
  readonly type: MergeType;
}

/** A pre-reform unit mapped to the hierarchy in force at a date. */
export interface RebaseResult {
  readonly source: AdminUnit;
  readonly date: LocalDate;
  /** The one unit to roll counts up into (deterministic, ADR 0103). */
  readonly primary: AdminUnit;
  /** Every unit in force at `date` that received part of `source`. */
  readonly successors: readonly UnitLink[];
  /** Which rule chose `primary`. */
  readonly rule: PrimarySuccessorRule;
}

export const PrimarySuccessorRule = {
  /** The unit itself is in force at the date. */
  InForce: 'IN_FORCE',
  /** The only successor that received the whole old unit. */
  FullSuccessor: 'FULL_SUCCESSOR',
  /** Split unit: the successor that kept the old unit's code. */
  SameCode: 'SAME_CODE',
  /** Split unit: the successor with the same name (type prefix ignored). */
  SameName: 'SAME_NAME',
  /** Split unit: the successor with the lowest code. */
  LowestCode: 'LOWEST_CODE',
} as const;
export type PrimarySuccessorRule = (typeof PrimarySuccessorRule)[keyof typeof PrimarySuccessorRule];

/** The raw shape of `data/vn-admin-units-2025/merges.json` (dvhcvn/20250701, MIT). */
export interface RawMerge {
  readonly old_id: string;
  readonly name: string;
  readonly type: string;
}
export interface RawLevel2 {
  readonly level2_id: string;
  readonly name: string;
  readonly merges: readonly RawMerge[];
}
export interface RawLevel1 {
  readonly level1_id: string;
  readonly name: string;
  readonly merges: readonly RawMerge[];
  readonly level2s: readonly RawLevel2[];
}
export interface RawMergesFile {
  readonly data: readonly RawLevel1[];
  readonly stats?: { readonly level1_count?: number; readonly level2_count?: number };
}

/** Counts checked when the data is loaded. */
export interface AdminUnitCounts {
  readonly provinces: number;
  readonly communes: number;
  readonly communesByKind: Readonly<Record<'COMMUNE' | 'WARD' | 'SPECIAL_ZONE', number>>;
  readonly oldProvinces: number;
  readonly oldCommunes: number;
  readonly oldDistricts: number;
}
