import { isInPeriod, periodBounds, periodKeysOf } from './indicator-period.util';

describe('indicator periods (Vietnam time)', () => {
  it.each([
    ['2025-11-23T09:30:00+07:00', ['D2025-11-23', 'M2025-11', 'Q2025-4', 'Y2025']],
    ['2025-03-31T16:59:59Z', ['D2025-03-31', 'M2025-03', 'Q2025-1', 'Y2025']],
    ['2025-03-31T17:00:00Z', ['D2025-04-01', 'M2025-04', 'Q2025-2', 'Y2025']],
    ['2025-12-31T23:59:59.999+07:00', ['D2025-12-31', 'M2025-12', 'Q2025-4', 'Y2025']],
  ])('should bucket %s', (instant, keys) => {
    expect(periodKeysOf(instant)).toEqual(keys);
  });

  it('should give only the asked granularities', () => {
    expect(periodKeysOf('2025-07-01T00:00:00+07:00', ['Q', 'Y'])).toEqual(['Q2025-3', 'Y2025']);
  });

  it.each([
    ['D2025-11-23', '2025-11-23T00:00:00+07:00', '2025-11-24T00:00:00+07:00'],
    ['M2025-12', '2025-12-01T00:00:00+07:00', '2026-01-01T00:00:00+07:00'],
    ['Q2025-4', '2025-10-01T00:00:00+07:00', '2026-01-01T00:00:00+07:00'],
    ['Q2026-1', '2026-01-01T00:00:00+07:00', '2026-04-01T00:00:00+07:00'],
    ['Y2024', '2024-01-01T00:00:00+07:00', '2025-01-01T00:00:00+07:00'],
  ])('should bound %s by Vietnam midnights', (key, start, end) => {
    expect(periodBounds(key)).toEqual({ start: Date.parse(start), end: Date.parse(end) });
  });

  it('should bound the years 0–99 as themselves, not as 1900–1999', () => {
    expect(periodBounds('Y0050')).toEqual({ start: Date.parse('0050-01-01T00:00:00+07:00'), end: Date.parse('0051-01-01T00:00:00+07:00') });
    expect(periodBounds('D0099-12-31').end).toBe(Date.parse('0100-01-01T00:00:00+07:00'));
  });

  it('should include the start and exclude the end', () => {
    expect(isInPeriod('2025-11-01T00:00:00+07:00', 'M2025-11')).toBe(true);
    expect(isInPeriod('2025-12-01T00:00:00+07:00', 'M2025-11')).toBe(false);
  });

  it.each(['2025-11', 'D2025-02-30', 'M2025-13', 'Q2025-5', 'W2025-47'])(
    'should reject %s',
    (key) => {
      expect(() => periodBounds(key)).toThrow(RangeError);
    },
  );
});
