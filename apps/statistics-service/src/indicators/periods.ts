/**
 * Period helpers of the query API on top of the domain's period keys (Vietnam time, no DST):
 * D2025-11-03, M2025-11, Q2025-4, Y2025.
 */
import { periodBounds as domainPeriodBounds } from '@onestop/domain';

export function isPeriodKey(s: string): boolean {
  try {
    domainPeriodBounds(s);
    return true;
  } catch {
    return false;
  }
}

/** [start, end) of a period as UTC instants. */
export function periodBounds(key: string): { start: Date; end: Date } {
  const { start, end } = domainPeriodBounds(key);
  return { start: new Date(start), end: new Date(end) };
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
