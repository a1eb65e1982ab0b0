/**
 * Period keys (local time, Asia/Ho_Chi_Minh = UTC+7, no DST): D2025-11-03, M2025-11, Q2025-4, Y2025.
 * Every leaf cell (a day) is counted into its day, month, quarter and year.
 */
const OFFSET_MS = 7 * 3600_000;

export type PeriodKind = 'D' | 'M' | 'Q' | 'Y';

/** Local calendar day (YYYY-MM-DD) of an ISO instant. */
export function localDay(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not a date-time: ${iso}`);
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

export function periodKeysOfDay(day: string): string[] {
  const y = day.slice(0, 4);
  const m = day.slice(5, 7);
  const q = Math.floor((Number(m) - 1) / 3) + 1;
  return [`D${day}`, `M${y}-${m}`, `Q${y}-${q}`, `Y${y}`];
}

const PERIOD_RE = /^(?:D(\d{4})-(\d{2})-(\d{2})|M(\d{4})-(\d{2})|Q(\d{4})-([1-4])|Y(\d{4}))$/;

export function isPeriodKey(s: string): boolean {
  const m = PERIOD_RE.exec(s);
  if (!m) return false;
  if (m[1]) return localDay(`${m[1]}-${m[2]}-${m[3]}T12:00:00+07:00`) === `${m[1]}-${m[2]}-${m[3]}`;
  if (m[5]) return Number(m[5]) >= 1 && Number(m[5]) <= 12;
  return true;
}

/** [start, end) of a period as UTC instants. */
export function periodBounds(key: string): { start: Date; end: Date } {
  const m = PERIOD_RE.exec(key);
  if (!m) throw new Error(`bad period ${key}`);
  const at = (y: number, mo: number, d: number) => new Date(Date.UTC(y, mo - 1, d) - OFFSET_MS);
  if (m[1]) {
    const s = at(+m[1], +m[2]!, +m[3]!);
    return { start: s, end: new Date(s.getTime() + 86_400_000) };
  }
  if (m[4]) return { start: at(+m[4], +m[5]!, 1), end: at(+m[4], +m[5]! + 1, 1) };
  if (m[6]) return { start: at(+m[6], (+m[7]! - 1) * 3 + 1, 1), end: at(+m[6], +m[7]! * 3 + 1, 1) };
  return { start: at(+m[8]!, 1, 1), end: at(+m[8]! + 1, 1, 1) };
}

/** Days D…D (inclusive) between two YYYY-MM-DD dates, bounded. */
export function daysBetween(from: string, to: string, max = 400): string[] {
  const out: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (t <= end && out.length < max) {
    out.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}
