import {
  type EpochMillis,
  type InstantInput,
  type IsoWeekday,
  type LocalDate,
  MS_PER_MINUTE,
  addDays,
  atVnTime,
  describeVnDate,
  formatTimeOfDay,
  isLocalDate,
  isoWeekday,
  parseTimeOfDay,
  toEpochMillis,
  toVnDate,
  yearOf,
} from '../time';
import { CalendarException, CalendarExceptionCode } from './calendar.exception';
import {
  type CalendarDayOff,
  type CalendarWorkedDay,
  type CalendarYearData,
  type DayStatus,
  DayStatusReason,
  type LegalCalendarOptions,
  type ProvinceCalendarOverride,
  UncoveredYearPolicy,
  type WorkingHoursConfig,
} from './calendar.type';
import { CIVIL_SERVICE_CALENDAR } from './civil-service-calendar.data';

/** Default office hours (domain.md §2.1, TD): 07:00–11:30 and 13:30–17:00, 8 working hours a day. */
export const DEFAULT_WORKING_HOURS: WorkingHoursConfig = {
  sessions: [
    { start: '07:00', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
};

/** Fixed solar holidays applied to years without calendar data (UncoveredYearPolicy.FixedHolidaysOnly). */
const FIXED_SOLAR_HOLIDAYS: readonly {
  monthDay: string;
  name: string;
  nameVi: string;
  /** First year the holiday applies (Vietnam Culture Day: from 2026). */
  fromYear?: number;
}[] = [
  { monthDay: '01-01', name: "New Year's Day", nameVi: 'Tết Dương lịch' },
  {
    monthDay: '04-30',
    name: 'Reunification Day',
    nameVi: 'Ngày Giải phóng miền Nam, thống nhất đất nước',
  },
  { monthDay: '05-01', name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động' },
  { monthDay: '09-02', name: 'National Day', nameVi: 'Quốc khánh 2/9' },
  // domain.md §2.1 [S]: NQ 28/2026/QH16, paid day off from 1/7/2026
  {
    monthDay: '11-24',
    name: 'Vietnam Culture Day',
    nameVi: 'Ngày Văn hóa Việt Nam',
    fromYear: 2026,
  },
];

const FIXED_HOLIDAY_SOURCE =
  'Labour Code 2019 art. 112(1) (fixed-date holiday; no calendar data for this year)';
const FIXED_MAKE_UP_SOURCE =
  'Labour Code 2019 art. 111(3) (make-up day for a fixed-date holiday on a weekly rest day; no calendar data for this year)';

function fixedHolidaysOf(year: number) {
  return FIXED_SOLAR_HOLIDAYS.filter((h) => h.fromYear === undefined || year >= h.fromYear);
}

/** Upper bound on days scanned when looking for a working day (a misconfigured calendar must not hang). */
const MAX_SCAN_DAYS = 3 * 366;

interface SessionMinutes {
  readonly start: number;
  readonly end: number;
}

/** One working session on a given date, as epoch milliseconds. */
export interface WorkingInterval {
  readonly start: EpochMillis;
  readonly end: EpochMillis;
}

/**
 * The legal calendar: which Vietnam local dates are working days for the civil service (weekly rest days,
 * versioned holiday/swap data per year, optional province overrides) and working-time arithmetic over the
 * office sessions. Immutable and cheap to query; build one per (province, config) and reuse it.
 */
export class LegalCalendar {
  readonly workingHours: WorkingHoursConfig;
  readonly weeklyRestDays: readonly IsoWeekday[];
  readonly provinceCode: string | null;
  readonly uncoveredYear: UncoveredYearPolicy;
  /** Working minutes in a full working day (480 with the default hours). */
  readonly workingMinutesPerDay: number;

  private readonly sessions: readonly SessionMinutes[];
  private readonly years = new Map<number, CalendarYearData>();
  private readonly daysOff = new Map<LocalDate, { entry: CalendarDayOff; version: string }>();
  private readonly workedDays = new Map<LocalDate, { entry: CalendarWorkedDay; version: string }>();
  private readonly overrideVersion: string | null;
  private readonly makeUpCache = new Map<
    number,
    Map<LocalDate, { name: string; nameVi: string }>
  >();

  constructor(options: LegalCalendarOptions = {}) {
    this.workingHours = options.workingHours ?? DEFAULT_WORKING_HOURS;
    this.weeklyRestDays = options.weeklyRestDays ?? [6, 7];
    this.provinceCode = options.provinceCode ?? null;
    this.uncoveredYear = options.uncoveredYear ?? UncoveredYearPolicy.FixedHolidaysOnly;
    this.sessions = LegalCalendar.parseSessions(this.workingHours);
    this.workingMinutesPerDay = this.sessions.reduce((sum, s) => sum + (s.end - s.start), 0);

    for (const year of options.years ?? CIVIL_SERVICE_CALENDAR) {
      LegalCalendar.validateYear(year);
      if (this.years.has(year.year)) {
        throw new CalendarException(
          CalendarExceptionCode.InvalidCalendarData,
          `Calendar year ${year.year} given twice`,
        );
      }
      this.years.set(year.year, year);
      for (const d of year.daysOff) this.daysOff.set(d.date, { entry: d, version: year.version });
      for (const w of year.workedDays)
        this.workedDays.set(w.date, { entry: w, version: year.version });
    }

    const override = this.provinceCode
      ? (options.provinceOverrides ?? []).find((o) => o.provinceCode === this.provinceCode)
      : undefined;
    this.overrideVersion = override?.version ?? null;
    if (override) this.applyOverride(override);
  }

  /** Years with calendar data, ascending. */
  get coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Data versions in force (national years, then the province override if any), for storing with results. */
  get dataVersions(): string[] {
    const versions = this.coveredYears.map((y) => (this.years.get(y) as CalendarYearData).version);
    return this.overrideVersion ? [...versions, this.overrideVersion] : versions;
  }

  /** Covered years whose data is provisional (derived from the law pending the official notice), ascending. */
  get provisionalYears(): number[] {
    return this.coveredYears.filter((y) => this.years.get(y)?.provisional === true);
  }

  /** True when the date's year has provisional data (see `CalendarYearData.provisional`). */
  isProvisional(date: LocalDate): boolean {
    return this.years.get(yearOf(date))?.provisional === true;
  }

  /** Data version for one year (`null` when the year is not covered). */
  versionFor(year: number): string | null {
    return this.years.get(year)?.version ?? null;
  }

  isCovered(date: LocalDate): boolean {
    return this.years.has(yearOf(date));
  }

  /** The verdict on one local date and the entry that explains it. */
  dayStatus(date: LocalDate): DayStatus {
    const covered = this.isCovered(date);
    if (
      !covered &&
      this.uncoveredYear === UncoveredYearPolicy.Throw &&
      !this.hasOverrideEntry(date)
    ) {
      throw new CalendarException(
        CalendarExceptionCode.YearNotCovered,
        `No calendar data for ${yearOf(date)} (covered: ${this.coveredYears.join(', ')})`,
      );
    }
    const provisionalYear = this.isProvisional(date);
    // A province override entry is that province's own decision, not part of the provisional national year.
    const provisionalUnless = (version: string) =>
      provisionalYear && (this.overrideVersion === null || version !== this.overrideVersion);
    const worked = this.workedDays.get(date);
    if (worked) {
      return {
        date,
        working: true,
        reason: DayStatusReason.WorkedRestDay,
        workedDay: worked.entry,
        covered,
        dataVersion: worked.version,
        provisional: provisionalUnless(worked.version),
      };
    }
    const dayOff = this.daysOff.get(date) ?? (covered ? undefined : this.fixedHolidayOn(date));
    if (dayOff) {
      return {
        date,
        working: false,
        reason: DayStatusReason.DayOff,
        dayOff: dayOff.entry,
        covered,
        dataVersion: dayOff.version,
        provisional: provisionalUnless(dayOff.version),
      };
    }
    if (this.weeklyRestDays.includes(isoWeekday(date))) {
      return {
        date,
        working: false,
        reason: DayStatusReason.WeeklyRest,
        covered,
        dataVersion: null,
        provisional: provisionalYear,
      };
    }
    return {
      date,
      working: true,
      reason: DayStatusReason.WorkingDay,
      covered,
      dataVersion: null,
      provisional: provisionalYear,
    };
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.dayStatus(date).working;
  }

  /**
   * True when the date is a day off that is not a weekly rest day: a weekday holiday, make-up day,
   * swapped day off or provincial day off. Used to "skip holidays" in calendar-day limits, so that a
   * holiday on a Sunday is skipped once (through its make-up day), not twice.
   */
  isWeekdayDayOff(date: LocalDate): boolean {
    const status = this.dayStatus(date);
    return !status.working && !this.weeklyRestDays.includes(isoWeekday(date));
  }

  /**
   * Human-readable reason for a date's status, e.g. `Fri 2025-05-02 is a day off: Swapped day off (…)`. A day of
   * a provisional year says so, in English and Vietnamese (`[provisional data vn-cs-2027.provisional-1: …]`),
   * as a day of a year without data does (`[no calendar data for this year: …]`).
   */
  describeDay(date: LocalDate): string {
    const s = this.dayStatus(date);
    const label = describeVnDate(date);
    const provisional = s.provisional ? this.provisionalNote(yearOf(date)) : '';
    switch (s.reason) {
      case DayStatusReason.WorkingDay:
        return `${label} is a working day${provisional}`;
      case DayStatusReason.WorkedRestDay:
        return `${label} is a worked rest day: ${s.workedDay?.reason ?? ''}`.trim() + provisional;
      case DayStatusReason.WeeklyRest:
        return `${label} is a weekly rest day`;
      case DayStatusReason.DayOff:
        return `${label} is a day off: ${s.dayOff?.name ?? ''} (${s.dayOff?.nameVi ?? ''})${s.covered ? '' : ' [no calendar data for this year: fixed-date holidays only]'}${provisional}`;
    }
  }

  /** The explanation suffix for a day of a provisional year (English, then Vietnamese). */
  private provisionalNote(year: number): string {
    return (
      ` [provisional data ${this.versionFor(year) ?? ''}, pending the official ${year} notice: ` +
      `dự kiến, chưa có thông báo chính thức]`
    );
  }

  /** First working day strictly after `date` (or on/after it when `inclusive`). */
  nextWorkingDay(date: LocalDate, inclusive = false): LocalDate {
    let d = inclusive ? date : addDays(date, 1);
    for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
      if (this.isWorkingDay(d)) return d;
      d = addDays(d, 1);
    }
    throw new CalendarException(
      CalendarExceptionCode.NoWorkingDayFound,
      `No working day within ${MAX_SCAN_DAYS} days after ${date}`,
    );
  }

  /** Last working day strictly before `date` (or on/before it when `inclusive`). */
  previousWorkingDay(date: LocalDate, inclusive = false): LocalDate {
    let d = inclusive ? date : addDays(date, -1);
    for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
      if (this.isWorkingDay(d)) return d;
      d = addDays(d, -1);
    }
    throw new CalendarException(
      CalendarExceptionCode.NoWorkingDayFound,
      `No working day within ${MAX_SCAN_DAYS} days before ${date}`,
    );
  }

  /** The `n`-th working day after `date` (n ≥ 0; n = 0 returns the next working day on/after `date`). */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    let d = this.nextWorkingDay(date, n === 0);
    for (let i = 1; i < n; i += 1) d = this.nextWorkingDay(d);
    return d;
  }

  /** Working days in the half-open range (`from`, `to`]. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count += 1;
    return count;
  }

  /** Non-working dates in the closed range [`from`, `to`], with their reasons (for explanations). */
  nonWorkingDaysBetween(from: LocalDate, to: LocalDate): DayStatus[] {
    const result: DayStatus[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const s = this.dayStatus(d);
      if (!s.working) result.push(s);
    }
    return result;
  }

  /** Working sessions of a date as instants (empty on a day off). */
  sessionsOn(date: LocalDate): WorkingInterval[] {
    if (!this.isWorkingDay(date)) return [];
    return this.sessions.map((s) => ({
      start: atVnTime(date, s.start),
      end: atVnTime(date, s.end),
    }));
  }

  /** True when the instant lies inside a working session (start inclusive, end exclusive). */
  isWithinWorkingHours(input: InstantInput): boolean {
    const t = toEpochMillis(input);
    return this.sessionsOn(toVnDate(t)).some((s) => t >= s.start && t < s.end);
  }

  /** The first instant ≥ `input` inside a working session (the instant itself when already inside one). */
  nextWorkingInstant(input: InstantInput): EpochMillis {
    return this.addWorkingMinutes(input, 0);
  }

  /**
   * The instant reached after `minutes` working minutes counted from `input` (skipping breaks, closing
   * hours and days off). `minutes = 0` gives `nextWorkingInstant`. A result that lands exactly on the end
   * of a session is that session end (e.g. 17:00), not the next morning.
   */
  addWorkingMinutes(input: InstantInput, minutes: number): EpochMillis {
    return this.addWorkingMillis(input, Math.round(minutes * MS_PER_MINUTE));
  }

  /** `addWorkingMinutes` in milliseconds (exact integer arithmetic). */
  addWorkingMillis(input: InstantInput, millis: number): EpochMillis {
    if (!(millis >= 0) || !Number.isFinite(millis)) {
      throw new CalendarException(
        CalendarExceptionCode.InvalidWorkingHours,
        `Working time to add must be ≥ 0, got ${millis} ms`,
      );
    }
    const from = toEpochMillis(input);
    let remaining = millis;
    let date = toVnDate(from);
    for (let i = 0; i < MAX_SCAN_DAYS * 20; i += 1) {
      for (const s of this.sessionsOn(date)) {
        const segStart = Math.max(s.start, from);
        if (segStart >= s.end) continue;
        const available = s.end - segStart;
        if (remaining === 0) return segStart;
        if (remaining <= available) return segStart + remaining;
        remaining -= available;
      }
      date = addDays(date, 1);
    }
    throw new CalendarException(
      CalendarExceptionCode.NoWorkingDayFound,
      `Could not add ${millis} ms of working time from ${toVnDate(from)}`,
    );
  }

  /** Working minutes between two instants (0 when `to` ≤ `from`); fractional when not on minute bounds. */
  workingMinutesBetween(fromInput: InstantInput, toInput: InstantInput): number {
    return this.workingMillisBetween(fromInput, toInput) / MS_PER_MINUTE;
  }

  /** `workingMinutesBetween` in milliseconds. */
  workingMillisBetween(fromInput: InstantInput, toInput: InstantInput): number {
    const from = toEpochMillis(fromInput);
    const to = toEpochMillis(toInput);
    if (to <= from) return 0;
    let total = 0;
    const last = toVnDate(to);
    for (let d = toVnDate(from); d <= last; d = addDays(d, 1)) {
      for (const s of this.sessionsOn(d)) {
        const a = Math.max(s.start, from);
        const b = Math.min(s.end, to);
        if (b > a) total += b - a;
      }
    }
    return total;
  }

  /** Opening time of the first session (`07:00`) and closing time of the last (`17:00`). */
  get openingTime(): string {
    return formatTimeOfDay(this.sessions[0].start);
  }

  get closingTime(): string {
    return formatTimeOfDay(this.sessions[this.sessions.length - 1].end);
  }

  /** Closing instant of a date (e.g. 17:00 local), whether or not it is a working day. */
  closingInstant(date: LocalDate): EpochMillis {
    return atVnTime(date, this.sessions[this.sessions.length - 1].end);
  }

  /** Opening instant of a date (e.g. 07:00 local). */
  openingInstant(date: LocalDate): EpochMillis {
    return atVnTime(date, this.sessions[0].start);
  }

  private hasOverrideEntry(date: LocalDate): boolean {
    return (
      (this.overrideVersion !== null && this.daysOff.get(date)?.version === this.overrideVersion) ||
      (this.overrideVersion !== null && this.workedDays.get(date)?.version === this.overrideVersion)
    );
  }

  private fixedHolidayOn(date: LocalDate): { entry: CalendarDayOff; version: string } | undefined {
    const year = yearOf(date);
    const holiday = fixedHolidaysOf(year).find((h) => date.endsWith(h.monthDay));
    const makeUpFor = holiday ? undefined : this.fixedMakeUpDays(year).get(date);
    if (!holiday && !makeUpFor) return undefined;
    const entry: CalendarDayOff = holiday
      ? {
          date,
          kind: 'PUBLIC_HOLIDAY',
          name: holiday.name,
          nameVi: holiday.nameVi,
          source: FIXED_HOLIDAY_SOURCE,
          certainty: 'UNCERTAIN',
        }
      : {
          date,
          kind: 'MAKE_UP',
          name: `Make-up day for ${makeUpFor?.name} on a weekly rest day`,
          nameVi: `Nghỉ bù ${makeUpFor?.nameVi}`,
          source: FIXED_MAKE_UP_SOURCE,
          certainty: 'UNCERTAIN',
        };
    return { entry, version: 'fixed-holidays-only' };
  }

  /**
   * Art. 111(3) in a year without data: a fixed-date holiday on a weekly rest day is made up on the next
   * working day (not a rest day, another fixed holiday or an earlier make-up day), e.g. Sat 1/5/2027 → Mon 3/5.
   */
  private fixedMakeUpDays(year: number): Map<LocalDate, { name: string; nameVi: string }> {
    const cached = this.makeUpCache.get(year);
    if (cached) return cached;
    const holidays = fixedHolidaysOf(year).map((h) => ({ ...h, date: `${year}-${h.monthDay}` }));
    const isRest = (d: LocalDate) => this.weeklyRestDays.includes(isoWeekday(d));
    const made = new Map<LocalDate, { name: string; nameVi: string }>();
    for (const h of holidays) {
      if (!isRest(h.date)) continue;
      let d = addDays(h.date, 1);
      while (isRest(d) || holidays.some((o) => o.date === d) || made.has(d)) d = addDays(d, 1);
      made.set(d, h);
    }
    this.makeUpCache.set(year, made);
    return made;
  }

  private applyOverride(override: ProvinceCalendarOverride): void {
    for (const d of override.daysOff) {
      if (!isLocalDate(d.date)) {
        throw new CalendarException(
          CalendarExceptionCode.InvalidCalendarData,
          `Override ${override.version}: bad date ${d.date}`,
        );
      }
      this.workedDays.delete(d.date);
      this.daysOff.set(d.date, { entry: d, version: override.version });
    }
    for (const w of override.workedDays) {
      if (!isLocalDate(w.date)) {
        throw new CalendarException(
          CalendarExceptionCode.InvalidCalendarData,
          `Override ${override.version}: bad date ${w.date}`,
        );
      }
      this.daysOff.delete(w.date);
      this.workedDays.set(w.date, { entry: w, version: override.version });
    }
  }

  private static parseSessions(config: WorkingHoursConfig): SessionMinutes[] {
    if (config.sessions.length === 0) {
      throw new CalendarException(
        CalendarExceptionCode.InvalidWorkingHours,
        'At least one working session is required',
      );
    }
    const sessions = config.sessions.map((s) => ({
      start: parseTimeOfDay(s.start),
      end: parseTimeOfDay(s.end),
    }));
    sessions.forEach((s, i) => {
      const previous = sessions[i - 1];
      if (s.end <= s.start || (previous !== undefined && s.start < previous.end)) {
        throw new CalendarException(
          CalendarExceptionCode.InvalidWorkingHours,
          `Working sessions must be increasing and non-overlapping, got ${JSON.stringify(config.sessions)}`,
        );
      }
    });
    return sessions;
  }

  private static validateYear(data: CalendarYearData): void {
    const problems: string[] = [];
    if (data.effectiveYear !== data.year)
      problems.push(`effectiveYear ${data.effectiveYear} ≠ year ${data.year}`);
    const seen = new Set<string>();
    for (const entry of [...data.daysOff, ...data.workedDays]) {
      if (!isLocalDate(entry.date) || yearOf(entry.date) !== data.year)
        problems.push(`date ${entry.date} outside ${data.year}`);
      if (seen.has(entry.date)) problems.push(`date ${entry.date} listed twice`);
      seen.add(entry.date);
    }
    for (const w of data.workedDays) {
      if (isLocalDate(w.date) && isoWeekday(w.date) < 6)
        problems.push(`worked day ${w.date} is not a weekend day`);
    }
    if (data.provisional === true) {
      if (!data.version.includes('provisional'))
        problems.push(`provisional year with version ${data.version} (must say "provisional")`);
      for (const entry of [...data.daysOff, ...data.workedDays]) {
        if (entry.certainty !== 'UNCERTAIN')
          problems.push(
            `provisional entry ${entry.date} is ${entry.certainty} (must be UNCERTAIN)`,
          );
      }
    }
    if (problems.length > 0) {
      throw new CalendarException(
        CalendarExceptionCode.InvalidCalendarData,
        `Calendar data ${data.version} is invalid: ${problems.join('; ')}`,
      );
    }
  }
}
