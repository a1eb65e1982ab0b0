import type { SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';
import type { EpochMillis, InstantInput } from '../time';

/** A legal time limit from the published procedure (value + unit). */
export interface TimeLimit {
  readonly value: number;
  readonly unit: TimeLimitUnit;
}

/** An interval during which the clock is stopped (tạm dừng): awaiting payment, suspension, … */
export interface PauseInterval {
  readonly start: InstantInput;
  /** Omitted while the pause is still open; it is then closed at `asOf`. */
  readonly end?: InstantInput;
  readonly reason?: string;
}

/** One supplementation round (bổ sung): requested → received. */
export interface SupplementRound {
  readonly requestedAt: InstantInput;
  /** Omitted while waiting for the applicant; it is then treated as received at `asOf`. */
  readonly receivedAt?: InstantInput;
}

/** An apology letter with a new appointment (xin lỗi, hẹn lại; TT 03/2025 Mẫu 04). */
export interface ApologyExtension {
  readonly issuedAt: InstantInput;
  readonly newDueAt: InstantInput;
  readonly reason?: string;
}

export interface DueDateInput {
  /** Receipt of the complete, valid dossier (NgayTiepNhan): the clock starts here (domain.md §2.2). */
  readonly receivedAt: InstantInput;
  readonly limit: TimeLimit;
  readonly pauses?: readonly PauseInterval[];
  readonly supplements?: readonly SupplementRound[];
  /** Per procedure/province; default from the policy. */
  readonly supplementPolicy?: SupplementPolicy;
  readonly extensions?: readonly ApologyExtension[];
  /** Evaluation instant, required when a pause or a supplementation round is still open. */
  readonly asOf?: InstantInput;
  /**
   * Replaying recorded history (services recomputing a dossier's dates): an apology whose date is not later than
   * the calendar's appointment in force when it was issued — accepted against an appointment another system
   * computed (an import, the old system) — has no effect (the legal date stays) instead of EXTENSION_NOT_LATER.
   */
  readonly replay?: boolean;
}

/** How deadlines are computed (per province / procedure configuration). */
export interface DeadlinePolicy {
  /** Used when the input gives none. Default RESTART (ADR 0100). */
  readonly defaultSupplementPolicy: SupplementPolicy;
  /** CALENDAR_DAYS limits: also skip weekday days off (holidays, make-up and swapped days). Default false. Not applied to MONTHS. */
  readonly calendarDaysSkipHolidays: boolean;
}

export const DueDateRule = {
  ClockStartInWorkingHours: 'CLOCK_START_IN_WORKING_HOURS',
  ClockStartRolledForward: 'CLOCK_START_ROLLED_FORWARD',
  LimitInWorkingMinutes: 'LIMIT_IN_WORKING_MINUTES',
  CalendarDays: 'CALENDAR_DAYS',
  HolidaySkipped: 'HOLIDAY_SKIPPED',
  NonWorkingDaySkipped: 'NON_WORKING_DAY_SKIPPED',
  MovedOffDayOff: 'MOVED_OFF_DAY_OFF',
  Paused: 'PAUSED',
  PauseIgnored: 'PAUSE_IGNORED',
  SupplementRestart: 'SUPPLEMENT_RESTART',
  SupplementPause: 'SUPPLEMENT_PAUSE',
  /** A supplementation requested after the day the time limit expired: neither restarts nor pauses the clock (§2.4). */
  SupplementAfterExpiry: 'SUPPLEMENT_AFTER_EXPIRY',
  OpenIntervalClosedAtAsOf: 'OPEN_INTERVAL_CLOSED_AT_AS_OF',
  ApologyExtension: 'APOLOGY_EXTENSION',
  UncoveredYear: 'UNCOVERED_YEAR',
  /** The period counted runs through a year whose calendar data is provisional (ADR 0102, amendment 2026-11-25). */
  ProvisionalCalendarYear: 'PROVISIONAL_CALENDAR_YEAR',
  DueAt: 'DUE_AT',
} as const;
export type DueDateRule = (typeof DueDateRule)[keyof typeof DueDateRule];

/** One rule applied while computing a due date, in order. */
export interface DueDateStep {
  readonly rule: DueDateRule;
  readonly message: string;
}

export interface DueDateResult {
  readonly limit: TimeLimit;
  readonly supplementPolicy: SupplementPolicy;
  /** When the legal clock (last) started: receipt or the restart after supplementation. */
  readonly clockStartAt: string;
  readonly clockStartAtMs: EpochMillis;
  /** The legal due date (NgayHenTra at receipt, adjusted only by pauses/supplementation, never by apologies). */
  readonly originalDueAt: string;
  readonly originalDueAtMs: EpochMillis;
  /** The appointment in force: the last apology's new date (shifted by later pauses), else originalDueAt. */
  readonly currentDueAt: string;
  readonly currentDueAtMs: EpochMillis;
  /** Working minutes (working-time limits) or minutes (calendar-day and month limits) the clock was stopped. */
  readonly pausedMinutes: number;
  /** True when an open pause or supplementation round was closed at `asOf`: the date will move. */
  readonly provisional: boolean;
  /** Calendar data versions used (store them with the dossier). */
  readonly calendarVersions: readonly string[];
  readonly steps: readonly DueDateStep[];
  /** `steps` as plain sentences. */
  readonly explanation: readonly string[];
}
