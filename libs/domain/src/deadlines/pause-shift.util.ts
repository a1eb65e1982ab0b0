import { SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';
import { addDays, MS_PER_DAY, MS_PER_MINUTE, toVnDate, vnStartOfDay } from '../time';
import type { DeadlineCalculator } from './deadline.calculator';

/** The due dates a dossier holds (ms since the epoch; null = no appointment). */
export interface DueDatesOfRecord {
  /** The appointment in force (moved by apologies too). */
  readonly dueAt: number | null;
  /** The legal due date (timeliness is judged against it). */
  readonly originalDueAt: number | null;
}

/** What of the dossier the rule needs besides its due dates. */
export interface PauseShiftDossier extends DueDatesOfRecord {
  readonly timeLimit: { readonly value: number; readonly unit: string } | null;
  readonly supplementPolicy: string | null;
}

/** A closed pause: a supplementation round, or a suspension / wait for payment. */
export interface ClosedPause {
  readonly supplement: boolean;
  readonly start: number;
  readonly end: number;
}

/**
 * The due dates once the pause `[start, end]` is closed (ADR 0301, amendment 2026-11-25) — one rule for every service
 * that keeps due dates (processing for suspensions and supplementation, result for the wait for payment), so they
 * agree. The base is the dossier's due dates of record, whether the calendar computed them at receipt, an apology set
 * them, or another system did (an imported appointment): a pause only ever extends them, never moves them earlier.
 * - A pause that starts at or after a date has no effect on it (the dossier was already late by then).
 * - A supplementation requested on a Vietnam date after the legal due date's date neither restarts nor pauses the
 *   clock (ADR 0101, amendment 2026-11-25): nothing moves.
 * - Otherwise each date moves later by the paused time, counted in whole units, rounded down: whole working hours
 *   for a WORKING_HOURS limit, whole working days (8 h) for WORKING_DAYS (and a dossier without a countable limit),
 *   whole days of 24 h for CALENDAR_DAYS and MONTHS (the date moves, the time of day stays, off a day off to the
 *   next working day). A pause shorter than one unit moves nothing (timeliness is judged by date, ADR 0101: a
 *   second's suspension must not gain a day).
 * - A supplementation under RESTART also counts the full limit again from the receipt of the supplement: each date
 *   becomes the later of that restart and the shifted date.
 * - The appointment is never before the legal due date. Null dates (no appointment) stay null.
 */
export function dueDatesAfterPause(deadlines: DeadlineCalculator, d: PauseShiftDossier, pause: ClosedPause): DueDatesOfRecord {
  const due = d.dueAt;
  const legal = d.originalDueAt ?? due;
  if (due === null || legal === null) return { dueAt: d.dueAt, originalDueAt: d.originalDueAt };
  const start = pause.start;
  const end = Math.max(pause.end, start);
  const keep = { dueAt: due, originalDueAt: legal };
  if (pause.supplement && toVnDate(start) > toVnDate(legal)) return keep; // requested after the limit expired
  const unit = d.timeLimit?.unit as TimeLimitUnit | undefined;
  let restart: number | null = null;
  if (pause.supplement && ((d.supplementPolicy as SupplementPolicy | null) ?? SupplementPolicy.Restart) === SupplementPolicy.Restart && d.timeLimit) {
    try {
      restart = deadlines.computeDueDate({ receivedAt: end, limit: { value: d.timeLimit.value, unit: unit as TimeLimitUnit } }).currentDueAtMs;
    } catch {
      restart = null; // a limit the calendar cannot count (ADR 0301, amendment 2026-11-24): the pause shift alone
    }
  }
  const move = (x: number): number => Math.max(x, shiftByPause(deadlines, x, start, end, unit), restart ?? x);
  const originalDueAt = move(legal);
  return { dueAt: Math.max(move(due), originalDueAt), originalDueAt };
}

/** `x` moved later by the pause `[start, end]` counted in whole units of the limit, rounded down (see `dueDatesAfterPause`). */
export function shiftByPause(deadlines: DeadlineCalculator, x: number, start: number, end: number, unit: TimeLimitUnit | undefined): number {
  if (start >= x || end <= start) return x;
  const cal = deadlines.calendar;
  if (unit === TimeLimitUnit.CalendarDays || unit === TimeLimitUnit.Months) {
    const days = Math.floor((end - start) / MS_PER_DAY);
    if (days === 0) return x;
    const date = addDays(toVnDate(x), days);
    const target = cal.isWorkingDay(date) ? date : cal.nextWorkingDay(date);
    return x + (vnStartOfDay(target) - vnStartOfDay(toVnDate(x)));
  }
  const unitMs = (unit === TimeLimitUnit.WorkingHours ? 60 : cal.workingMinutesPerDay) * MS_PER_MINUTE;
  const whole = Math.floor(cal.workingMillisBetween(start, end) / unitMs) * unitMs;
  return whole === 0 ? x : cal.addWorkingMillis(x, whole);
}
