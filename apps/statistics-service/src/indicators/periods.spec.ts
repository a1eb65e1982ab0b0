import { daysBetween, isPeriodKey, periodBounds } from './periods';

describe('periods', () => {
  it('should accept only well-formed period keys', () => {
    expect(['D2025-11-03', 'M2025-11', 'Q2025-4', 'Y2025'].every(isPeriodKey)).toBe(true);
    expect(['M2025-13', 'D2025-02-30', 'Q2025-5', '2025', 'M25-11'].some(isPeriodKey)).toBe(false);
  });

  it('should bound the years 0000–0099 as themselves, not as 1900–1999 (Date.UTC would)', () => {
    expect(['Y0000', 'Q0099-4', 'M0001-01', 'D0050-01-01', 'Y0100', 'Y1900', 'M9999-12'].every(isPeriodKey)).toBe(true);
    expect(new Date(periodBounds('Y0050').start).toISOString()).toBe('0049-12-31T17:00:00.000Z');
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
