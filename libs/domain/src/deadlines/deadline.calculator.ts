import { SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';
import { DayStatusReason, type LegalCalendar } from '../calendar';
import {
  type EpochMillis,
  type InstantInput,
  MS_PER_DAY,
  MS_PER_MINUTE,
  addDays,
  addMonths,
  atVnTime,
  describeVnDate,
  describeVnInstant,
  toEpochMillis,
  toVnDate,
  toVnIso,
  vnMinuteOfDay,
} from '../time';
import { DeadlineException, DeadlineExceptionCode } from './deadline.exception';
import {
  type DeadlinePolicy,
  type DueDateInput,
  type DueDateResult,
  DueDateRule,
  type DueDateStep,
  type TimeLimit,
} from './deadline.type';

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  defaultSupplementPolicy: SupplementPolicy.Restart,
  calendarDaysSkipHolidays: false,
};

interface Interval {
  readonly start: EpochMillis;
  readonly end: EpochMillis;
  readonly reason: string;
}

interface LegalDue {
  readonly clockStartAt: EpochMillis;
  readonly due: EpochMillis;
  readonly pausedMs: number;
  readonly pauses: readonly Interval[];
  /** Receipt of the last supplement under RESTART, else null. */
  readonly restartedAt: EpochMillis | null;
  readonly provisional: boolean;
}

class StepLog {
  readonly steps: DueDateStep[] = [];

  add(rule: DueDateRule, message: string): void {
    this.steps.push({ rule, message });
  }
}

/**
 * Computes legal due dates (NgayHenTra) with an explanation of every rule applied: clock start on receipt
 * of the complete dossier, working hours / working days / calendar days, days off, pauses, supplementation
 * (RESTART or PAUSE) and apology extensions (which move `currentDueAt`, never `originalDueAt`).
 */
export class DeadlineCalculator {
  readonly policy: DeadlinePolicy;

  constructor(
    readonly calendar: LegalCalendar,
    policy: Partial<DeadlinePolicy> = {},
  ) {
    this.policy = { ...DEFAULT_DEADLINE_POLICY, ...policy };
  }

  /**
   * When the clock starts for a receipt at `receivedAt`: the receipt itself inside working hours, else the
   * next working instant (before opening → 07:00 the same day; midday break → 13:30; after closing or on a
   * day off → the next working morning).
   */
  clockStart(receivedAt: InstantInput, limit?: TimeLimit): { at: EpochMillis; steps: DueDateStep[] } {
    const log = new StepLog();
    const at = toEpochMillis(receivedAt);
    const start = limit === undefined || DeadlineCalculator.isWorkingTime(limit) ? this.startClock(at, log) : this.startCalendarClock(at, log);
    return { at: start, steps: log.steps };
  }

  /** The due dates of a dossier and how they were obtained. */
  computeDueDate(input: DueDateInput): DueDateResult {
    const log = new StepLog();
    const limit = DeadlineCalculator.validateLimit(input.limit);
    const supplementPolicy = input.supplementPolicy ?? this.policy.defaultSupplementPolicy;
    const legal = this.legalDue(input, limit, supplementPolicy, log);
    const originalDueAt = legal.due;
    log.add(
      DueDateRule.DueAt,
      `Original due date (originalDueAt): ${describeVnInstant(originalDueAt)}`,
    );

    const currentDueAt = this.applyExtensions(input, limit, supplementPolicy, legal, log);
    this.noteUncoveredYears(legal.clockStartAt, Math.max(originalDueAt, currentDueAt), log);

    return {
      limit,
      supplementPolicy,
      clockStartAt: toVnIso(legal.clockStartAt),
      clockStartAtMs: legal.clockStartAt,
      originalDueAt: toVnIso(originalDueAt),
      originalDueAtMs: originalDueAt,
      currentDueAt: toVnIso(currentDueAt),
      currentDueAtMs: currentDueAt,
      pausedMinutes: legal.pausedMs / MS_PER_MINUTE,
      provisional: legal.provisional,
      calendarVersions: this.calendar.dataVersions,
      steps: log.steps,
      explanation: log.steps.map((s) => s.message),
    };
  }

  /**
   * The legal due date from receipt, pauses and supplementation. With `knownAt`, only what had happened by
   * then is used (intervals still open at `knownAt` end there): the appointment in force at that instant.
   */
  private legalDue(
    input: DueDateInput,
    limit: TimeLimit,
    supplementPolicy: SupplementPolicy,
    log: StepLog,
    knownAt?: EpochMillis,
  ): LegalDue {
    const receivedAt = toEpochMillis(input.receivedAt);
    const asOf = input.asOf === undefined ? undefined : toEpochMillis(input.asOf);
    let provisional = false;

    const closeOpen = (what: string, start: EpochMillis): EpochMillis => {
      if (knownAt !== undefined) return Math.max(knownAt, start);
      if (asOf === undefined) {
        throw new DeadlineException(
          DeadlineExceptionCode.OpenIntervalWithoutAsOf,
          `${what} opened at ${toVnIso(start)} is still open: give asOf to compute a provisional due date`,
        );
      }
      provisional = true;
      log.add(
        DueDateRule.OpenIntervalClosedAtAsOf,
        `${what} still open: treated as ending at asOf ${describeVnInstant(asOf)} (provisional)`,
      );
      return Math.max(asOf, start);
    };
    const endOf = (what: string, start: EpochMillis, end: EpochMillis | undefined): EpochMillis => {
      const closed = end === undefined ? closeOpen(what, start) : end;
      return knownAt === undefined ? closed : Math.min(closed, Math.max(knownAt, start));
    };

    const pauses: Interval[] = [];
    for (const p of input.pauses ?? []) {
      const start = toEpochMillis(p.start);
      if (knownAt !== undefined && start >= knownAt) continue;
      const end = endOf(
        `Pause (${p.reason ?? 'no reason'})`,
        start,
        p.end === undefined ? undefined : toEpochMillis(p.end),
      );
      pauses.push(DeadlineCalculator.interval(start, end, p.reason ?? 'pause'));
    }

    // Supplementation: PAUSE adds the waiting time as a pause; RESTART moves the clock origin.
    let origin = receivedAt;
    let restartedAt: EpochMillis | null = null;
    const rounds = [...(input.supplements ?? [])]
      .map((r) => ({
        requestedAt: toEpochMillis(r.requestedAt),
        receivedAt: r.receivedAt === undefined ? undefined : toEpochMillis(r.receivedAt),
      }))
      .filter((r) => knownAt === undefined || r.requestedAt < knownAt)
      .sort((a, b) => a.requestedAt - b.requestedAt);
    for (const round of rounds) {
      // A request made after the day the time limit expired neither restarts nor pauses the clock: supplementation
      // would otherwise turn a late dossier into an early one (domain.md §2.4: lateness is not converted into on-time;
      // the law asks for supplementation within days of receipt). The due date in force at the request counts.
      const inForce = this.legalDue(input, limit, supplementPolicy, new StepLog(), round.requestedAt).due;
      if (toVnDate(round.requestedAt) > toVnDate(inForce)) {
        log.add(
          DueDateRule.SupplementAfterExpiry,
          `Supplementation requested ${describeVnInstant(round.requestedAt)}, after the time limit expired on ${describeVnInstant(inForce)}: the clock is neither restarted nor paused (a late dossier stays late)`,
        );
        continue;
      }
      const interval = DeadlineCalculator.interval(
        round.requestedAt,
        endOf('Supplementation round', round.requestedAt, round.receivedAt),
        'supplementation',
      );
      if (supplementPolicy === SupplementPolicy.Pause) {
        pauses.push(interval);
        log.add(
          DueDateRule.SupplementPause,
          `Supplementation requested ${describeVnInstant(interval.start)}, received ${describeVnInstant(interval.end)}: policy PAUSE, waiting time not counted`,
        );
      } else {
        origin = Math.max(origin, interval.end);
        restartedAt = origin;
        log.add(
          DueDateRule.SupplementRestart,
          `Supplementation requested ${describeVnInstant(interval.start)}, received ${describeVnInstant(interval.end)}: policy RESTART, the full limit counts again from the receipt of the supplement`,
        );
      }
    }

    const clockStartAt = DeadlineCalculator.isWorkingTime(limit) ? this.startClock(origin, log) : this.startCalendarClock(origin, log);
    const effectivePauses = DeadlineCalculator.normalisePauses(pauses, clockStartAt);
    const computed = DeadlineCalculator.isWorkingTime(limit)
      ? this.workingTimeDue(clockStartAt, limit, effectivePauses, log)
      : this.calendarDue(clockStartAt, limit, effectivePauses, log);
    return {
      clockStartAt,
      due: computed.due,
      pausedMs: computed.pausedMs,
      pauses: effectivePauses,
      restartedAt,
      provisional,
    };
  }

  private startClock(at: EpochMillis, log: StepLog): EpochMillis {
    const start = this.calendar.nextWorkingInstant(at);
    if (start === at) {
      log.add(
        DueDateRule.ClockStartInWorkingHours,
        `Clock starts at receipt ${describeVnInstant(at)} (within working hours)`,
      );
      return start;
    }
    const date = toVnDate(at);
    const minute = vnMinuteOfDay(at);
    let why: string;
    if (!this.calendar.isWorkingDay(date)) {
      why = this.calendar.describeDay(date);
    } else if (minute < vnMinuteOfDay(this.calendar.openingInstant(date))) {
      why = `before opening time ${this.calendar.openingTime}`;
    } else if (at >= this.calendar.closingInstant(date)) {
      why = `after closing time ${this.calendar.closingTime}`;
    } else {
      why = 'during the midday break';
    }
    log.add(
      DueDateRule.ClockStartRolledForward,
      `Received ${describeVnInstant(at)}, ${why}: clock start rolled forward to ${describeVnInstant(start)}`,
    );
    this.logSkippedDays(addDays(date, 1), addDays(toVnDate(start), -1), log);
    return start;
  }

  /**
   * The clock start of a calendar limit (days or months, ADR 0101 amendment 2026-11-25): days off count, so the date of
   * the receipt is day 0 whatever day it is; a receipt after closing time counts from the opening time of the next
   * calendar day, one before opening from that day's opening — never from the next WORKING day (black-box round 9:
   * 15 days received at 17:30 the evening before the Tết closure ended 8 days later than at 16:00).
   */
  private startCalendarClock(at: EpochMillis, log: StepLog): EpochMillis {
    const date = toVnDate(at);
    const opening = atVnTime(date, this.calendar.openingTime);
    const closing = atVnTime(date, this.calendar.closingTime);
    if (at >= opening && at < closing) {
      log.add(DueDateRule.ClockStartInWorkingHours, `Clock starts at receipt ${describeVnInstant(at)} (a calendar limit: days off count)`);
      return at;
    }
    const before = at < opening;
    const start = before ? opening : atVnTime(addDays(date, 1), this.calendar.openingTime);
    log.add(
      DueDateRule.ClockStartRolledForward,
      `Received ${describeVnInstant(at)}, ${before ? `before opening time ${this.calendar.openingTime}` : `after closing time ${this.calendar.closingTime}`}: a calendar limit counts from ${describeVnInstant(start)} (days off count)`,
    );
    return start;
  }

  private workingTimeDue(
    clockStart: EpochMillis,
    limit: TimeLimit,
    pauses: readonly Interval[],
    log: StepLog,
  ): { due: EpochMillis; pausedMs: number } {
    const perUnit =
      limit.unit === TimeLimitUnit.WorkingHours ? 60 : this.calendar.workingMinutesPerDay;
    const budgetMs = Math.round(limit.value * perUnit * MS_PER_MINUTE);
    log.add(
      DueDateRule.LimitInWorkingMinutes,
      limit.unit === TimeLimitUnit.WorkingHours
        ? `Limit ${limit.value} working hour(s) = ${budgetMs / MS_PER_MINUTE} working minutes`
        : `Limit ${limit.value} working day(s) × ${perUnit / 60} h = ${budgetMs / MS_PER_MINUTE} working minutes (1 working day = ${perUnit / 60} working hours)`,
    );
    const { due, pausedMs } = this.runBudget(clockStart, budgetMs, pauses, log);
    this.logSkippedDays(addDays(toVnDate(clockStart), 1), addDays(toVnDate(due), -1), log);
    return { due, pausedMs };
  }

  /** Spend `budgetMs` of working time from `cursor`, stopping the clock during `pauses`. */
  private runBudget(
    from: EpochMillis,
    budgetMs: number,
    pauses: readonly Interval[],
    log: StepLog,
  ): { due: EpochMillis; pausedMs: number } {
    let cursor = from;
    let remaining = budgetMs;
    let pausedMs = 0;
    for (const p of pauses) {
      const candidate = this.calendar.addWorkingMillis(cursor, remaining);
      if (candidate <= p.start) {
        log.add(
          DueDateRule.PauseIgnored,
          `Pause from ${describeVnInstant(p.start)} (${p.reason}) starts after the due date: ignored`,
        );
        continue;
      }
      if (p.end <= cursor) continue;
      remaining -= this.calendar.workingMillisBetween(cursor, p.start);
      const paused = this.calendar.workingMillisBetween(Math.max(p.start, cursor), p.end);
      pausedMs += paused;
      cursor = Math.max(cursor, p.end);
      log.add(
        DueDateRule.Paused,
        `Clock stopped ${describeVnInstant(p.start)} → ${describeVnInstant(p.end)} (${p.reason}): ${paused / MS_PER_MINUTE} working minutes not counted`,
      );
    }
    return { due: this.calendar.addWorkingMillis(cursor, remaining), pausedMs };
  }

  /**
   * Calendar limits (days or months): the limit ends at closing time of day `start + N days` (or the same
   * day N months later, the month's last day when shorter), plus paused time, plus — for CALENDAR_DAYS when
   * the policy skips holidays — the weekday days off in between; a last day that is a day off moves to the
   * next working day.
   */
  private calendarDue(
    clockStart: EpochMillis,
    limit: TimeLimit,
    pauses: readonly Interval[],
    log: StepLog,
  ): { due: EpochMillis; pausedMs: number } {
    const startDate = toVnDate(clockStart);
    const months = limit.unit === TimeLimitUnit.Months;
    let raw = months
      ? atVnTime(addMonths(startDate, limit.value), vnMinuteOfDay(clockStart))
      : clockStart + limit.value * MS_PER_DAY;
    let pausedMs = 0;
    for (const p of pauses) {
      if (p.start >= raw) {
        log.add(
          DueDateRule.PauseIgnored,
          `Pause from ${describeVnInstant(p.start)} (${p.reason}) starts after the due date: ignored`,
        );
        continue;
      }
      const length = p.end - p.start;
      pausedMs += length;
      raw += length;
      log.add(
        DueDateRule.Paused,
        `Clock stopped ${describeVnInstant(p.start)} → ${describeVnInstant(p.end)} (${p.reason}): ${length / MS_PER_MINUTE} minutes added`,
      );
    }
    const base = toVnDate(raw);
    let last = base;
    log.add(
      DueDateRule.CalendarDays,
      `Limit ${limit.value} ${months ? 'month(s)' : 'calendar day(s)'} counted from ${describeVnDate(startDate)}${pausedMs > 0 ? ' plus paused time' : ''}: last day ${describeVnDate(base)}`,
    );
    if (this.policy.calendarDaysSkipHolidays && !months) {
      let skipped: string[] = [];
      for (;;) {
        skipped = [];
        for (let d = addDays(startDate, 1); d <= last; d = addDays(d, 1))
          if (this.calendar.isWeekdayDayOff(d)) skipped.push(d);
        const next = addDays(base, skipped.length);
        if (next === last) break;
        last = next;
      }
      for (const d of skipped)
        log.add(DueDateRule.HolidaySkipped, `Skipped holiday: ${this.calendar.describeDay(d)}`);
    }
    if (!this.calendar.isWorkingDay(last)) {
      const moved = this.calendar.nextWorkingDay(last);
      log.add(
        DueDateRule.MovedOffDayOff,
        `${this.calendar.describeDay(last)}: a limit never ends on a day off, moved to ${describeVnDate(moved)}`,
      );
      last = moved;
    }
    const due = this.calendar.closingInstant(last);
    log.add(
      DueDateRule.CalendarDays,
      `The limit ends at closing time ${this.calendar.closingTime} of ${describeVnDate(last)}`,
    );
    return { due, pausedMs };
  }

  /**
   * Apologies move the current appointment; each must be later than the appointment in force when it was
   * issued. An apology issued before a RESTART (supplement received afterwards) is superseded by the new legal
   * appointment. Pauses after the last apology shift its date; the current due date is never before the legal one.
   */
  private applyExtensions(
    input: DueDateInput,
    limit: TimeLimit,
    supplementPolicy: SupplementPolicy,
    legal: LegalDue,
    log: StepLog,
  ): EpochMillis {
    const extensions = [...(input.extensions ?? [])]
      .map((e) => ({
        issuedAt: toEpochMillis(e.issuedAt),
        newDueAt: toEpochMillis(e.newDueAt),
        reason: e.reason,
      }))
      .sort((a, b) => a.issuedAt - b.issuedAt);
    let last: { issuedAt: EpochMillis; newDueAt: EpochMillis } | null = null;
    for (const e of extensions) {
      if (legal.restartedAt !== null && legal.restartedAt > e.issuedAt) {
        log.add(
          DueDateRule.ApologyExtension,
          `Apology issued ${describeVnInstant(e.issuedAt)} (new date ${describeVnInstant(e.newDueAt)}) superseded: the clock restarted on supplementation afterwards`,
        );
        continue;
      }
      const inForce =
        last !== null
          ? last.newDueAt
          : this.legalDue(input, limit, supplementPolicy, new StepLog(), e.issuedAt).due;
      if (e.newDueAt <= inForce && input.replay === true) {
        log.add(
          DueDateRule.ApologyExtension,
          `Apology issued ${describeVnInstant(e.issuedAt)} sets ${describeVnInstant(e.newDueAt)}, not later than the appointment in force ${describeVnInstant(inForce)}: no effect`,
        );
        continue;
      }
      if (e.newDueAt <= inForce) {
        throw new DeadlineException(
          DeadlineExceptionCode.ExtensionNotLater,
          `Apology of ${toVnIso(e.issuedAt)} sets ${toVnIso(e.newDueAt)}, which is not later than the appointment in force ${toVnIso(inForce)}`,
        );
      }
      log.add(
        DueDateRule.ApologyExtension,
        `Apology issued ${describeVnInstant(e.issuedAt)}${e.reason ? ` (${e.reason})` : ''}${e.issuedAt > inForce ? ' after the appointment had passed' : ''}: ` +
          `current due date moved from ${describeVnInstant(inForce)} to ${describeVnInstant(e.newDueAt)}; originalDueAt stays ${describeVnInstant(legal.due)}`,
      );
      last = e;
    }
    if (last === null) return legal.due;
    const lastApology = last;
    const later = legal.pauses.filter(
      (p) => p.start >= lastApology.issuedAt && p.start < lastApology.newDueAt,
    );
    let current = lastApology.newDueAt;
    if (later.length > 0) {
      if (DeadlineCalculator.isWorkingTime(limit)) {
        const from = this.calendar.nextWorkingInstant(lastApology.issuedAt);
        current = this.runBudget(
          from,
          this.calendar.workingMillisBetween(from, current),
          later,
          log,
        ).due;
      } else {
        const shifted = current + later.reduce((sum, p) => sum + (p.end - p.start), 0);
        let day = this.calendar.nextWorkingDay(toVnDate(shifted), true);
        if (shifted > this.calendar.closingInstant(day)) day = this.calendar.nextWorkingDay(day);
        current = this.calendar.closingInstant(day);
      }
      log.add(
        DueDateRule.Paused,
        `Current due date shifted by the pauses after the apology to ${describeVnInstant(current)}`,
      );
    }
    if (current < legal.due) {
      log.add(
        DueDateRule.ApologyExtension,
        `The legal due date ${describeVnInstant(legal.due)} is later than the apology's date: it stays the current due date`,
      );
      return legal.due;
    }
    return current;
  }

  private logSkippedDays(from: string, to: string, log: StepLog): void {
    if (to < from) return;
    const days = this.calendar.nonWorkingDaysBetween(from, to);
    const weekly = days.filter((d) => d.reason === DayStatusReason.WeeklyRest);
    const others = days.filter((d) => d.reason !== DayStatusReason.WeeklyRest);
    if (weekly.length > 0) {
      log.add(
        DueDateRule.NonWorkingDaySkipped,
        `Skipped ${weekly.length} weekly rest day(s): ${weekly.map((d) => d.date).join(', ')}`,
      );
    }
    for (const d of others)
      log.add(DueDateRule.NonWorkingDaySkipped, `Skipped ${this.calendar.describeDay(d.date)}`);
  }

  /** Says which years of the count have provisional calendar data, and which have none (fixed holidays only). */
  private noteUncoveredYears(from: EpochMillis, to: EpochMillis, log: StepLog): void {
    const years = new Set<number>();
    for (
      let y = Number(toVnDate(from).slice(0, 4));
      y <= Number(toVnDate(to).slice(0, 4));
      y += 1
    ) {
      if (!this.calendar.coveredYears.includes(y)) years.add(y);
    }
    // Provisional years (derived from the Labour Code pending the official notice) are said once each, whether or
    // not a day off of that year was passed: the notice may add days off or swaps the count did not know.
    const provisional = this.calendar.provisionalYears.filter((y) => y >= Number(toVnDate(from).slice(0, 4)) && y <= Number(toVnDate(to).slice(0, 4)));
    for (const y of provisional) {
      log.add(
        DueDateRule.ProvisionalCalendarYear,
        `Calendar data for ${y} is provisional (${this.calendar.versionFor(y) ?? 'provisional'}), derived from the Labour Code pending the official ${y} notice: dự kiến, chưa có thông báo chính thức`,
      );
    }
    if (years.size > 0) {
      log.add(
        DueDateRule.UncoveredYear,
        `No calendar data for ${[...years].join(', ')}: only weekends and the fixed-date holidays 1/1, 30/4, 1/5, 2/9 (24/11 from 2026), with their make-up days, were applied there`,
      );
    }
  }

  private static isWorkingTime(limit: TimeLimit): boolean {
    return limit.unit === TimeLimitUnit.WorkingHours || limit.unit === TimeLimitUnit.WorkingDays;
  }

  private static validateLimit(limit: TimeLimit): TimeLimit {
    const units: string[] = Object.values(TimeLimitUnit);
    const integerNeeded =
      limit.unit === TimeLimitUnit.CalendarDays || limit.unit === TimeLimitUnit.Months;
    if (
      !units.includes(limit.unit) ||
      !Number.isFinite(limit.value) ||
      limit.value < 0 ||
      (integerNeeded && !Number.isInteger(limit.value))
    ) {
      throw new DeadlineException(
        DeadlineExceptionCode.InvalidLimit,
        `Invalid time limit ${JSON.stringify(limit)}: value must be ≥ 0 (an integer for CALENDAR_DAYS and MONTHS), unit one of ${units.join(', ')}`,
      );
    }
    return { value: limit.value, unit: limit.unit };
  }

  private static interval(start: EpochMillis, end: EpochMillis, reason: string): Interval {
    if (end < start) {
      throw new DeadlineException(
        DeadlineExceptionCode.InvalidInterval,
        `Interval (${reason}) ends ${toVnIso(end)} before it starts ${toVnIso(start)}`,
      );
    }
    return { start, end, reason };
  }

  /** Clip pauses to the clock start, drop empty ones, sort and merge overlaps. */
  private static normalisePauses(pauses: readonly Interval[], clockStart: EpochMillis): Interval[] {
    const clipped = pauses
      .map((p) => ({ ...p, start: Math.max(p.start, clockStart) }))
      .filter((p) => p.end > p.start)
      .sort((a, b) => a.start - b.start);
    const merged: Interval[] = [];
    for (const p of clipped) {
      const last = merged[merged.length - 1];
      if (last !== undefined && p.start <= last.end) {
        merged[merged.length - 1] = {
          start: last.start,
          end: Math.max(last.end, p.end),
          reason: `${last.reason} + ${p.reason}`,
        };
      } else {
        merged.push(p);
      }
    }
    return merged;
  }
}
