import type { ApplicantType, Channel, SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';

/**
 * What intake needs from the shared catalogues (@onestop/domain): the one-stop units, the published
 * procedures with their components and time limits, and the legal calendar. A narrow port so the use case
 * is testable and the adapter (domain-catalogue.ts) is the only place that knows the domain library's API.
 */
export const INTAKE_CATALOGUE = Symbol('INTAKE_CATALOGUE');

export interface UnitInfo {
  /** Electronic agency code of the one-stop unit (mã định danh), also the dossier code prefix. */
  code: string;
  name: string;
  /** Province-level name for the receipt header. */
  provinceName?: string;
}

export interface ProcedureComponentInfo {
  code: string;
  name: string;
  required: boolean;
}

export interface ProcedureInfo {
  code: string;
  name: string;
  version?: string;
  sectorCode: string;
  timeLimit: { value: number; unit: TimeLimitUnit };
  noAppointment: boolean;
  supplementPolicy: SupplementPolicy;
  feeRequired: boolean;
  paperResultRequired: boolean;
  components: ProcedureComponentInfo[];
  /** PROVINCE or COMMUNE (thẩm quyền giải quyết). */
  competentLevel?: string;
}

export interface DueDate {
  dueAt: Date | null;
  /** Human-readable steps of the computation (Vietnamese), stored with the dossier. */
  explanation: string[];
}

/** Why the legal clock did not start at the receipt itself (domain.md §2.1). */
export type ClockStartRoll = 'BEFORE_OPENING' | 'MIDDAY_BREAK' | 'AFTER_CLOSING' | 'DAY_OFF';

/** The calendar facts behind an appointment, as data (the receipt words them in Vietnamese). */
export interface DueDateFacts {
  /** When the legal clock started: the receipt, or the next working instant. */
  clockStartAt: Date;
  /** Null when the clock started at the receipt. */
  clockStartRoll: ClockStartRoll | null;
  /** Days off after the receipt day and before the due day: weekly rest days and holidays (Vietnamese name). */
  daysOff: { date: string; weeklyRest: boolean; nameVi: string | null; provisional?: boolean }[];
  /**
   * Weekly rest days worked in exchange for a swapped day off (làm bù) from the receipt day to the due day, both
   * included: counted as working days, so the appointment may fall on one (a Saturday) — the receipt says why.
   * `swappedFor`: the weekday off they make up for, when the calendar names it.
   */
  workedRestDays?: { date: string; swappedFor: string | null; provisional?: boolean }[];
  /**
   * Years from the receipt to the due date whose calendar data is provisional (derived from the Labour Code pending
   * the official notice, ADR 0102): the receipt says the appointment may move when the notice is published.
   */
  provisionalYears?: number[];
  /** Working hours in a full working day (8: 1 working day = 8 working hours). */
  workingHoursPerDay: number;
  /** Office hours, `HH:mm`. */
  openingTime: string;
  closingTime: string;
}

/** Where an imported pre-2025 dossier of an old commune is recorded (ADR 0206). */
export interface LegacyUnitMapping {
  /** The 2025 one-stop unit of the successor commune, `{PP}.{CCCCC}`. */
  unitCode: string;
  /** The old unit as found at the receipt date: `{code}@pre2025`. */
  oldUnitId: string;
  /** The successor commune (2025), `{code}@2025`. */
  successorId: string;
  /** How the successor was chosen (ADR 0103: FULL_SUCCESSOR, SAME_CODE, SAME_NAME, LOWEST_CODE). */
  rule: string;
}

/** A one-stop unit of the catalogue whatever the date: when it is in force and what it was formed from. */
export interface UnitValidity {
  code: string;
  name: string;
  /** First day in force (Vietnam date, `YYYY-MM-DD`): 2025-07-01 for the units of the 2025 reorganisation. */
  validFrom: string;
  /** Last day in force, null while in force. */
  validTo: string | null;
  /**
   * The units of the previous era its administrative unit was formed from (ADR 0103): the old communes of a 2025
   * commune's one-stop unit (`whole` = the whole old commune went into it), the old province(s) of a province-level
   * unit. GSO codes, as an import's `legacyUnit.communeCode` names them (ADR 0206).
   */
  predecessors: { code: string; name: string; whole: boolean }[];
}

export interface IntakeCatalogue {
  unit(code: string, at: Date): UnitInfo | undefined;
  /** The unit whatever the date (undefined for a code the unit directory does not know): CLI checks, error messages. */
  unitValidity(code: string): UnitValidity | undefined;
  /**
   * Import only (ADR 0206): as `unit`, but a unit is also accepted on a day before its validFrom (history
   * already mapped onto the 2025 units by the province); never after its validTo.
   */
  importUnit(code: string, at: Date): UnitInfo | undefined;
  /**
   * Import only (ADR 0206): the 2025 one-stop unit that records the history of the old commune (or old island
   * district) `communeCode` in force at `at`: its primary successor's commune one-stop unit. Undefined when no
   * such old unit was in force at `at` (unknown code, or a date from 2025-07-01).
   */
  legacyUnit(communeCode: string, at: Date): LegacyUnitMapping | undefined;
  /** True when the procedure is published at `at`, whatever the unit (validity, not applicability at a unit). */
  isPublished(code: string, at: Date): boolean;
  /** The procedure as it applies at a unit and for a channel (the online time limit may differ). */
  procedure(code: string, at: Date, unitCode: string, channel?: Channel): ProcedureInfo | undefined;
  /** Who resolves dossiers of this procedure received at this unit (boundary-free intake). */
  resolvingUnit(procedure: ProcedureInfo, receivingUnitCode: string): string;
  dueDate(receivedAt: Date, procedure: ProcedureInfo): DueDate;
  /** The clock start and the days off between a receipt and its appointment (for the printed receipt). */
  /** The calendar facts behind an appointment; `limit` decides how the clock started (a calendar limit counts days off). */
  dueDateFacts(receivedAt: Date, dueAt: Date, limit?: { value: number; unit: string }): DueDateFacts;
  regulationVersion(at: Date): string;
}

export type { ApplicantType };
