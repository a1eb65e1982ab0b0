import { DomainException } from '../errors';

/**
 * Vietnam local time without a date library. Vietnam is fixed UTC+07:00 (Asia/Ho_Chi_Minh, no DST
 * since 1975), so every local date/time is plain arithmetic on epoch milliseconds.
 *
 * Conventions used across @onestop/domain:
 * - an *instant* is given as epoch milliseconds (`number`) or an ISO-8601 date-time string with an
 *   explicit offset (`2025-01-27T08:00:00+07:00`, `…Z`); strings without an offset are rejected, because
 *   `new Date('2025-01-27T08:00')` silently uses the machine's zone;
 * - instants are returned both as epoch milliseconds (`…Ms`) and as ISO strings in Vietnam local
 *   time with milliseconds and the `+07:00` offset (`toVnIso`);
 * - a *local date* (`LocalDate`) is a `YYYY-MM-DD` string meaning a calendar day in Vietnam;
 * - a *minute of day* is minutes since local midnight (07:30 = 450).
 */

export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VN_UTC_OFFSET_MINUTES = 7 * 60;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;
const VN_OFFSET_MS = VN_UTC_OFFSET_MINUTES * MS_PER_MINUTE;

/** Epoch milliseconds (UTC). */
export type EpochMillis = number;
/** Epoch milliseconds or an ISO-8601 date-time with an explicit offset. */
export type InstantInput = EpochMillis | string;
/** A calendar day in Vietnam, `YYYY-MM-DD`. */
export type LocalDate = string;
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export enum TimeFormatExceptionCode {
  InvalidInstant = 'INVALID_INSTANT',
  InvalidLocalDate = 'INVALID_LOCAL_DATE',
  InvalidTimeOfDay = 'INVALID_TIME_OF_DAY',
  InvalidDvcqgTimestamp = 'INVALID_DVCQG_TIMESTAMP',
}

export class TimeFormatException extends DomainException<TimeFormatExceptionCode> {
  constructor(
    code: TimeFormatExceptionCode,
    readonly value: unknown,
    message: string,
  ) {
    super(code, message);
  }
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})$/;
const DVCQG_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** True when `value` is a `YYYY-MM-DD` string naming a real calendar day. */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function assertLocalDate(value: unknown): LocalDate {
  if (!isLocalDate(value)) {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidLocalDate,
      value,
      `Expected a local date YYYY-MM-DD naming a real day, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Offset in minutes of the last instant `parseCanonicalInstant` read (scratch, avoids an allocation per call). */
let canonicalOffsetMinutes = 0;

/**
 * Fast path of `toEpochMillis` for the forms events carry, `YYYY-MM-DDTHH:mm:ss[.f…](Z|±HH:mm)` with a year from
 * 1000 (no regular expression, no allocation): the same value as the general path, or NaN when the string is
 * in any other form or not a real date-time, so that the general path decides (and throws). With `epoch` false
 * it only validates (0 when valid) and sets `canonicalOffsetMinutes`.
 */
function parseCanonicalInstant(s: string, epoch: boolean): EpochMillis {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84)
    return NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hi < 10 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const year = hi * 100 + lo;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // '.' then 1–9 digits; 1–3 digits are exact integers, longer fractions keep the general path's arithmetic
    let frac = 0;
    let j = i + 1;
    while (j < n && j - i <= 9) {
      const c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) break;
      frac = frac * 10 + c;
      j++;
    }
    const digits = j - i - 1;
    if (digits === 0) return NaN;
    if (epoch)
      ms =
        digits === 1
          ? frac * 100
          : digits === 2
            ? frac * 10
            : digits === 3
              ? frac
              : Math.floor(Number(`0.${s.slice(i + 1, j)}`) * 1000);
    i = j;
  }
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === n) {
    canonicalOffsetMinutes = 0;
  } else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || om < 0) return NaN;
    canonicalOffsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return NaN;
  }
  if (!epoch) return 0;
  return (
    Date.UTC(year, month - 1, day, hour, minute, second, ms) -
    canonicalOffsetMinutes * MS_PER_MINUTE
  );
}

/** Epoch milliseconds of an instant given as epoch millis or an ISO-8601 string with an offset. */
export function toEpochMillis(input: InstantInput): EpochMillis {
  if (typeof input === 'string') {
    const fast = parseCanonicalInstant(input, true);
    if (fast === fast) return fast; // not NaN
  }
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) {
      throw new TimeFormatException(
        TimeFormatExceptionCode.InvalidInstant,
        input,
        `Not a finite epoch: ${input}`,
      );
    }
    return input;
  }
  const m = ISO_INSTANT.exec(input);
  if (m === null) {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidInstant,
      input,
      `Expected an ISO-8601 date-time with an explicit offset (e.g. 2025-01-27T08:00:00+07:00), got ${JSON.stringify(input)}`,
    );
  }
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidInstant,
      input,
      `Not a real date-time: ${input}`,
    );
  }
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes =
      sign *
      (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0));
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * MS_PER_MINUTE;
}

/** The Vietnam local date (`YYYY-MM-DD`) of an instant. */
export function toVnDate(input: InstantInput): LocalDate {
  // an instant written in Vietnam time (+07:00) names its Vietnam date (years from 1000: four digits)
  if (typeof input === 'string') {
    if (
      parseCanonicalInstant(input, false) === 0 &&
      canonicalOffsetMinutes === VN_UTC_OFFSET_MINUTES
    )
      return input.slice(0, 10);
  }
  const d = new Date(toEpochMillis(input) + VN_OFFSET_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO-8601 in Vietnam local time, always with milliseconds and `+07:00`: `2025-01-27T08:00:00.000+07:00`. */
export function toVnIso(input: InstantInput): string {
  const d = new Date(toEpochMillis(input) + VN_OFFSET_MS);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+07:00`
  );
}

/** Minutes since Vietnam local midnight (0–1439), ignoring seconds. */
export function vnMinuteOfDay(input: InstantInput): number {
  const local = toEpochMillis(input) + VN_OFFSET_MS;
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_MINUTE);
}

/** Epoch millis of Vietnam local midnight starting `date`. */
export function vnStartOfDay(date: LocalDate): EpochMillis {
  const m = LOCAL_DATE.exec(assertLocalDate(date)) as RegExpExecArray;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - VN_OFFSET_MS;
}

/** Epoch millis of `date` at `minuteOfDay` (number) or `HH:mm` Vietnam local time. */
export function atVnTime(date: LocalDate, time: number | string): EpochMillis {
  const minute = typeof time === 'number' ? time : parseTimeOfDay(time);
  return vnStartOfDay(date) + minute * MS_PER_MINUTE;
}

/** `HH:mm` → minute of day (00:00–24:00; 24:00 allowed as an end of day). */
export function parseTimeOfDay(value: string): number {
  const m = TIME_OF_DAY.exec(value);
  const minutes = m === null ? NaN : Number(m[1]) * 60 + Number(m[2]);
  if (m === null || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidTimeOfDay,
      value,
      `Expected a time of day HH:mm, got ${JSON.stringify(value)}`,
    );
  }
  return minutes;
}

/** Minute of day → `HH:mm`. */
export function formatTimeOfDay(minuteOfDay: number): string {
  return `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
}

/** `date` plus `days` calendar days (negative allowed). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return toVnDate(vnStartOfDay(date) + days * MS_PER_DAY);
}

/**
 * `date` plus `months` calendar months (Civil Code art. 147–148 style): the same day of the target month,
 * or its last day when that month is shorter (2025-01-31 + 1 month = 2025-02-28).
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const m = LOCAL_DATE.exec(assertLocalDate(date)) as RegExpExecArray;
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function diffDays(from: LocalDate, to: LocalDate): number {
  return Math.round((vnStartOfDay(to) - vnStartOfDay(from)) / MS_PER_DAY);
}

/** ISO weekday of a local date: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export function isoWeekday(date: LocalDate): IsoWeekday {
  const dow = new Date(vnStartOfDay(date) + VN_OFFSET_MS).getUTCDay();
  return (dow === 0 ? 7 : dow) as IsoWeekday;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** `Mon 2025-01-27`, used in explanations. */
export function describeVnDate(date: LocalDate): string {
  return `${WEEKDAY_NAMES[isoWeekday(date) - 1]} ${date}`;
}

/** `Mon 2025-01-27 07:00 (+07:00)`, used in explanations. */
export function describeVnInstant(input: InstantInput): string {
  return `${describeVnDate(toVnDate(input))} ${formatTimeOfDay(vnMinuteOfDay(input))}`;
}

/** Year of a local date. */
export function yearOf(date: LocalDate): number {
  return Number(assertLocalDate(date).slice(0, 4));
}

/** DVCQG wire format `yyyyMMddHHmmss` in Vietnam local time (domain.md §1.4). */
export function toDvcqgTimestamp(input: InstantInput): string {
  return toVnIso(input).slice(0, 19).replace(/[-T:]/g, '');
}

/** Parse the DVCQG wire format `yyyyMMddHHmmss` (Vietnam local time). */
export function fromDvcqgTimestamp(value: string): EpochMillis {
  const m = DVCQG_TIMESTAMP.exec(value);
  if (m === null) {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidDvcqgTimestamp,
      value,
      `Expected yyyyMMddHHmmss, got ${JSON.stringify(value)}`,
    );
  }
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`;
  try {
    return toEpochMillis(iso);
  } catch {
    throw new TimeFormatException(
      TimeFormatExceptionCode.InvalidDvcqgTimestamp,
      value,
      `Not a real date-time: ${value}`,
    );
  }
}

/** Compare two local dates (`-1`, `0`, `1`). */
export function compareLocalDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
