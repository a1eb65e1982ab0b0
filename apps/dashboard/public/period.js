// Period keys of the statistics API (Asia/Ho_Chi_Minh calendar): D2025-11-03 | M2025-11 | Q2025-4 | Y2025.
export const GRANULARITIES = ['D', 'M', 'Q', 'Y'];
const PERIOD_RE = /^(?:D(\d{4})-(\d{2})-(\d{2})|M(\d{4})-(\d{2})|Q(\d{4})-([1-4])|Y(\d{4}))$/;

/** Today's date in Vietnam as YYYY-MM-DD. */
export function vnToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Years the page offers (its year input's bounds). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/**
 * Whether `key` names a real period the statistics service answers for: the shape AND the calendar (month 01–12,
 * a day that exists, quarter 1–4), in years MIN_YEAR..MAX_YEAR. `M2026-13` or `D2026-02-30` have the shape only.
 */
export function isPeriodKey(key) {
  const m = typeof key === 'string' ? PERIOD_RE.exec(key) : null;
  if (!m) return false;
  const year = Number(m[1] ?? m[4] ?? m[6] ?? m[8]);
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  if (m[1]) {
    const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`;
  }
  if (m[4]) return Number(m[5]) >= 1 && Number(m[5]) <= 12;
  return true;
}

/** { g, day, month, quarter, year } from a period key (fields not implied by the key default to `today`); the current month for anything isPeriodKey refuses. */
export function parsePeriod(key, today = vnToday()) {
  const base = { g: 'M', day: today, month: today.slice(0, 7), quarter: Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1, year: Number(today.slice(0, 4)) };
  const m = isPeriodKey(key) ? PERIOD_RE.exec(key) : null;
  if (!m) return base;
  if (m[1]) return { ...base, g: 'D', day: `${m[1]}-${m[2]}-${m[3]}`, month: `${m[1]}-${m[2]}`, year: Number(m[1]) };
  if (m[4]) return { ...base, g: 'M', month: `${m[4]}-${m[5]}`, year: Number(m[4]) };
  if (m[6]) return { ...base, g: 'Q', quarter: Number(m[7]), year: Number(m[6]) };
  return { ...base, g: 'Y', year: Number(m[8]) };
}

export function periodKey(p) {
  switch (p.g) {
    case 'D':
      return `D${p.day}`;
    case 'Q':
      return `Q${p.year}-${p.quarter}`;
    case 'Y':
      return `Y${p.year}`;
    default:
      return `M${p.month}`;
  }
}

/** Human label of a period key, with the translator and formatters of the current language. */
export function periodLabel(key, t, fmt) {
  const p = parsePeriod(key);
  switch (p.g) {
    case 'D':
      return t('period.show.D', { d: fmt.day(p.day) });
    case 'Q':
      return t('period.show.Q', { q: p.quarter, y: p.year });
    case 'Y':
      return t('period.show.Y', { y: p.year });
    default:
      return t('period.show.M', { m: p.month.slice(5, 7), y: p.month.slice(0, 4) });
  }
}
