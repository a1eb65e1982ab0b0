import type { LocalDate } from '../time';
import type { AdminUnitId } from './admin-unit.type';

export const OneStopUnitKind = {
  /** Bộ phận Một cửa of a commune-level unit (xã, phường, đặc khu). */
  CommuneOneStop: 'COMMUNE_ONE_STOP',
  /** Trung tâm Phục vụ hành chính công of a province. */
  ProvincialServiceCentre: 'PROVINCIAL_SERVICE_CENTRE',
  /** A provincial department (Sở) receiving dossiers of its sector. */
  ProvincialDepartment: 'PROVINCIAL_DEPARTMENT',
} as const;
export type OneStopUnitKind = (typeof OneStopUnitKind)[keyof typeof OneStopUnitKind];

export interface ProvincialDepartment {
  /** Code segment used in unit codes, `S` + initials: `STP`. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
}

/** A receiving / resolving unit. `code` is usable inside dossier codes (ADR 0104). */
export interface OneStopUnit {
  /** `01.TTPV`, `01.STP`, `01.00004` — dot-separated, alphanumeric, no dashes. */
  readonly code: string;
  readonly name: string;
  readonly kind: OneStopUnitKind;
  /** The administrative unit it belongs to (commune or province) — the first step of a roll-up. */
  readonly adminUnitId: AdminUnitId;
  readonly provinceCode: string;
  readonly departmentCode: string | null;
  readonly validFrom: LocalDate;
  readonly validTo: LocalDate | null;
}

/** Level of a node in a statistics roll-up chain. */
export const RollupLevel = {
  OneStopUnit: 'ONE_STOP_UNIT',
  Commune: 'COMMUNE',
  District: 'DISTRICT',
  Province: 'PROVINCE',
  Nation: 'NATION',
} as const;
export type RollupLevel = (typeof RollupLevel)[keyof typeof RollupLevel];

export interface RollupNode {
  /** One-stop unit code or administrative unit id. */
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly level: RollupLevel;
}
