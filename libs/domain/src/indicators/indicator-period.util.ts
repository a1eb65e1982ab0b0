import { toEpochMillis, toVnDate, type InstantInput, type LocalDate } from '../time/vn-time.util';

/**
 * Reporting periods in Vietnam time (Asia/Ho_Chi_Minh, UTC+07:00, no DST):
 * day `D2025-11-23`, month `M2025-11`, quarter `Q2025-4`, year `Y2025`.
 */
export const PeriodGranularity = { Day: 'D', Month: 'M', Quarter: 'Q', Year: 'Y' } as const;
export type PeriodGranularity = (typeof PeriodGranularity)[keyof typeof PeriodGranularity];
export const PERIOD_GRANULARITIES: readonly PeriodGranularity[] = Object.values(PeriodGranularity);

/** A period key such as `D2025-11-23`, `M2025-11`, `Q2025-4` or `Y2025`. */
export type PeriodKey = string;

const VN_OFFSET_MS = 7 * 60 * 60_000;
const PERIOD_KEY = /^(?:D(\d{4})-(\d{2})-(\d{2})|M(\d{4})-(\d{2})|Q(\d{4})-([1-4])|Y(\d{4}))$/;

/** The period key of a Vietnam local date (`YYYY-MM-DD`) at a granularity. */
export function periodKeyOfDate(date: LocalDate, granularity: PeriodGranularity): PeriodKey {
  switch (granularity) {
    case PeriodGranularity.Day:
      return `D${date}`;
    case PeriodGranularity.Month:
      return `M${date.slice(0, 7)}`;
    case PeriodGranularity.Quarter:
      return `Q${date.slice(0, 4)}-${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    case PeriodGranularity.Year:
      return `Y${date.slice(0, 4)}`;
  }
}

/** The period keys (in `granularities` order) that contain an instant, in Vietnam time. */
export function periodKeysOf(
  instant: InstantInput,
  granularities: readonly PeriodGranularity[] = PERIOD_GRANULARITIES,
): PeriodKey[] {
  const date = vnDateOf(instant);
  return granularities.map((granularity) => periodKeyOfDate(date, granularity));
}

// Memo of ISO string → Vietnam date for strings in other offsets: the reducer re-reads the same few timestamps of a
// dossier on every event. Strings in Vietnam time (what events carry) are read directly: cheaper than hashing them.
const DATE_MEMO = new Map<string, LocalDate>();
const DATE_MEMO_LIMIT = 100_000;

/** The Vietnam local date (`YYYY-MM-DD`) of an instant (memoised for ISO strings not in Vietnam time). */
export function vnDateOf(instant: InstantInput): LocalDate {
  if (typeof instant !== 'string' || instant.endsWith('+07:00')) return toVnDate(instant);
  let date = DATE_MEMO.get(instant);
  if (date === undefined) {
    if (DATE_MEMO.size >= DATE_MEMO_LIMIT) DATE_MEMO.clear();
    date = toVnDate(instant);
    DATE_MEMO.set(instant, date);
  }
  return date;
}

function vnMidnight(year: number, month: number, day: number): number {
  // not Date.UTC: it reads years 0–99 as 1900–1999
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime() - VN_OFFSET_MS;
}

/** Bounds of a period as epoch milliseconds: `start` inclusive, `end` exclusive (Vietnam midnights). */
export function periodBounds(periodKey: PeriodKey): {
  readonly start: number;
  readonly end: number;
} {
  const m = PERIOD_KEY.exec(periodKey);
  if (m === null)
    throw new RangeError(`Not a period key (D2025-11-23, M2025-11, Q2025-4, Y2025): ${periodKey}`);
  if (m[1] !== undefined) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const start = vnMidnight(y, mo, d);
    if (vnDateOf(start) !== `${m[1]}-${m[2]}-${m[3]}`)
      throw new RangeError(`Not a real day: ${periodKey}`);
    return { start, end: vnMidnight(y, mo, d + 1) };
  }
  if (m[4] !== undefined) {
    const [y, mo] = [Number(m[4]), Number(m[5])];
    if (mo < 1 || mo > 12) throw new RangeError(`Not a real month: ${periodKey}`);
    return { start: vnMidnight(y, mo, 1), end: vnMidnight(y, mo + 1, 1) };
  }
  if (m[6] !== undefined) {
    const [y, q] = [Number(m[6]), Number(m[7])];
    return { start: vnMidnight(y, 3 * q - 2, 1), end: vnMidnight(y, 3 * q + 1, 1) };
  }
  const y = Number(m[8]);
  return { start: vnMidnight(y, 1, 1), end: vnMidnight(y + 1, 1, 1) };
}

/** Whether an instant lies in a period (start inclusive, end exclusive). */
export function isInPeriod(instant: InstantInput, periodKey: PeriodKey): boolean {
  const ms = toEpochMillis(instant);
  const { start, end } = periodBounds(periodKey);
  return ms >= start && ms < end;
}
