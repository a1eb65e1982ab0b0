import type { IsoWeekday, LocalDate } from '../time';

/** Why a weekday is a day off (nghỉ). */
export const DayOffKind = {
  /** Ngày lễ: 1/1, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 + adjacent day, 24/11 from 2026 (Labour Code art. 112). */
  PublicHoliday: 'PUBLIC_HOLIDAY',
  /** Tết Nguyên đán closure days decided each year by the Prime Minister. */
  LunarNewYear: 'LUNAR_NEW_YEAR',
  /** Nghỉ bù: a holiday fell on a weekly rest day, made up on the next working day (art. 111(3)). */
  MakeUp: 'MAKE_UP',
  /** Hoán đổi: a working weekday given off in exchange for a Saturday worked (annual notice). */
  Swapped: 'SWAPPED',
  /** A day off decided by one province (provincial override). */
  Provincial: 'PROVINCIAL',
} as const;
export type DayOffKind = (typeof DayOffKind)[keyof typeof DayOffKind];

/** How sure we are of an entry; every UNCERTAIN entry is listed in ADR 0102 with its source. */
export const CalendarCertainty = { Confirmed: 'CONFIRMED', Uncertain: 'UNCERTAIN' } as const;
export type CalendarCertainty = (typeof CalendarCertainty)[keyof typeof CalendarCertainty];

export interface CalendarDayOff {
  readonly date: LocalDate;
  readonly kind: DayOffKind;
  /** English label used in explanations. */
  readonly name: string;
  /** Vietnamese label as in the official notice. */
  readonly nameVi: string;
  readonly source: string;
  readonly certainty: CalendarCertainty;
}

/** A weekly rest day (Saturday) that is worked (làm bù) in exchange for a swapped day off. */
export interface CalendarWorkedDay {
  readonly date: LocalDate;
  readonly reason: string;
  readonly source: string;
  readonly certainty: CalendarCertainty;
}

/** One year of the civil-service calendar: versioned data, never code. */
export interface CalendarYearData {
  readonly year: number;
  /** Data version, stored with computed due dates (e.g. `vn-cs-2025.1`). Bump it on any change. */
  readonly version: string;
  /** The year the entries are effective in (always equal to `year`; kept explicit for readers of the data). */
  readonly effectiveYear: number;
  readonly daysOff: readonly CalendarDayOff[];
  readonly workedDays: readonly CalendarWorkedDay[];
  readonly notes?: readonly string[];
  /**
   * True for a year derived from the Labour Code before its official notice is published (ADR 0102, amendment
   * 2026-11-25): every entry must be UNCERTAIN and the version must say `provisional` (e.g.
   * `vn-cs-2027.provisional-1`). Day statuses of the year carry `provisional: true` and explanations say so.
   * Replace the year with the official notice (plain version, no flag) when it is published.
   */
  readonly provisional?: boolean;
}

/** Extra days off / worked days for one province (GSO 2-digit code), layered over the national data. */
export interface ProvinceCalendarOverride {
  readonly provinceCode: string;
  readonly version: string;
  readonly daysOff: readonly CalendarDayOff[];
  readonly workedDays: readonly CalendarWorkedDay[];
}

export interface WorkingSession {
  /** `HH:mm`, inclusive. */
  readonly start: string;
  /** `HH:mm`, exclusive. */
  readonly end: string;
}

export interface WorkingHoursConfig {
  readonly sessions: readonly WorkingSession[];
}

/** What to do for a year that has no calendar data. */
export const UncoveredYearPolicy = {
  /** Apply weekends and the fixed solar holidays 1/1, 30/4, 1/5, 2/9 (24/11 from 2026) with their art. 111(3) make-up days only, and say so in explanations. */
  FixedHolidaysOnly: 'FIXED_HOLIDAYS_ONLY',
  /** Throw a CalendarException. */
  Throw: 'THROW',
} as const;
export type UncoveredYearPolicy = (typeof UncoveredYearPolicy)[keyof typeof UncoveredYearPolicy];

export interface LegalCalendarOptions {
  /** Default: 07:00–11:30 and 13:30–17:00 (8 h per day). */
  readonly workingHours?: WorkingHoursConfig;
  /** Weekly rest days as ISO weekdays; default `[6, 7]` (Saturday, Sunday). */
  readonly weeklyRestDays?: readonly IsoWeekday[];
  /** Default: every year of `CIVIL_SERVICE_CALENDAR`. */
  readonly years?: readonly CalendarYearData[];
  /** Apply the overrides of this province (GSO 2-digit code). */
  readonly provinceCode?: string;
  readonly provinceOverrides?: readonly ProvinceCalendarOverride[];
  /** Default FIXED_HOLIDAYS_ONLY. */
  readonly uncoveredYear?: UncoveredYearPolicy;
}

export const DayStatusReason = {
  WorkingDay: 'WORKING_DAY',
  WeeklyRest: 'WEEKLY_REST',
  DayOff: 'DAY_OFF',
  /** A weekly rest day worked in exchange for a swapped day off. */
  WorkedRestDay: 'WORKED_REST_DAY',
} as const;
export type DayStatusReason = (typeof DayStatusReason)[keyof typeof DayStatusReason];

/** The calendar's verdict on one local date, with what explains it. */
export interface DayStatus {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly reason: DayStatusReason;
  /** The day-off entry when reason is DAY_OFF. */
  readonly dayOff?: CalendarDayOff;
  /** The worked-day entry when reason is WORKED_REST_DAY. */
  readonly workedDay?: CalendarWorkedDay;
  /** False when the year has no calendar data (only fixed-date holidays applied). */
  readonly covered: boolean;
  /** Data version that decided this day (national year version or province override version). */
  readonly dataVersion: string | null;
  /**
   * True when the verdict comes from a provisional year (derived from the law, no official notice yet): the
   * official notice may still move Tết days or add swaps. False for days decided by a province override.
   */
  readonly provisional: boolean;
}
