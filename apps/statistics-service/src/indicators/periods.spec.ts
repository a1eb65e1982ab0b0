import { daysBetween, isPeriodKey, periodBounds } from './periods';

describe('periods', () => {
  it('should accept only well-formed period keys', () => {
    expect(['D2025-11-03', 'M2025-11', 'Q2025-4', 'Y2025'].every(isPeriodKey)).toBe(true);
    expect(['M2025-13', 'D2025-02-30', 'Q2025-5', '2025', 'M25-11'].some(isPeriodKey)).toBe(false);
  });

  it('should bound a month in Vietnam time', () => {
    const { start, end } = periodBounds('M2025-11');
    expect(start.toISOString()).toBe('2025-10-31T17:00:00.000Z');
    expect(end.toISOString()).toBe('2025-11-30T17:00:00.000Z');
  });

  it('should list the days of a range inclusively', () => {
    expect(daysBetween('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
  });
});
