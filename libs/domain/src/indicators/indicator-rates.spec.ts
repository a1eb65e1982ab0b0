import { computeRates, countersOf } from './indicator-rates.util';

describe('computeRates', () => {
  it('should reproduce the national Q2/2023 ratios (domain.md sources)', () => {
    const rates = computeRates({
      received: 84_547_844,
      receivedOnline: 45_111_888,
      resolved: 82_458_614,
      resolvedEarly: 81_149_720,
    });
    expect(rates.onlineRate).toBeCloseTo(0.5336, 4);
    expect(rates.resolvedRate).toBeCloseTo(0.9753, 4);
    expect(rates.onTimeRate).toBeCloseTo(0.9841, 4);
  });

  it('should compute every ratio from its own denominator', () => {
    expect(
      computeRates({
        received: 10,
        receivedOnline: 6,
        resolved: 8,
        resolvedEarly: 3,
        resolvedOnTime: 3,
        resolvedLate: 2,
        digitised: 9,
        reused: 5,
        fromRepository: 2,
        vneidVerified: 4,
        eResultRequired: 4,
        eResult: 3,
        feeBearing: 5,
        paidOnline: 4,
        ratingVerySatisfied: 2,
        ratingSatisfied: 1,
        ratingDissatisfied: 1,
      }),
    ).toEqual({
      onlineRate: 0.6,
      resolvedRate: 0.8,
      onTimeRate: 0.75,
      lateRate: 0.25,
      digitisedRate: 0.9,
      eResultRate: 0.75,
      reuseRate: 0.5,
      repositoryRate: 0.2,
      vneidRate: 0.4,
      onlinePaymentRate: 0.8,
      dissatisfiedRate: 0.25,
      satisfaction: 0.5,
    });
  });

  it('should return null for every ratio whose denominator is zero', () => {
    expect(Object.values(computeRates({})).every((value) => value === null)).toBe(true);
    expect(computeRates({ received: 3 }).onTimeRate).toBeNull();
  });

  it('should floor satisfaction at zero and use the available part when only one side exists', () => {
    expect(computeRates({ resolved: 2, resolvedLate: 2, ratingDissatisfied: 1 }).satisfaction).toBe(
      0,
    );
    expect(computeRates({ resolved: 4, resolvedLate: 1 }).satisfaction).toBe(0.75);
  });
});

describe('countersOf', () => {
  it('should read one cell of a table', () => {
    const table = {
      '000.00.15.H56|M2025-11|*|received': 3,
      '000.00.15.H56|M2025-11|*|resolved': 2,
      '000.00.15.H56|M2025-11|P:1.009994|received': 1,
      '000.00.15.H56|M2025-12|*|received': 7,
    };
    expect(countersOf(table, '000.00.15.H56', 'M2025-11')).toEqual({ received: 3, resolved: 2 });
    expect(countersOf(table, '000.00.15.H56', 'M2025-11', 'P:1.009994')).toEqual({ received: 1 });
  });
});
