import { storedPeriodsOf } from './counter-reader';

describe(storedPeriodsOf.name, () => {
  it('should read days and months as stored, quarters and years as the sum of their months', () => {
    expect(storedPeriodsOf('D2025-11-03')).toEqual(['D2025-11-03']);
    expect(storedPeriodsOf('M2025-11')).toEqual(['M2025-11']);
    expect(storedPeriodsOf('Q2025-4')).toEqual(['M2025-10', 'M2025-11', 'M2025-12']);
    expect(storedPeriodsOf('Y2025')).toHaveLength(12);
    expect(storedPeriodsOf('Y2025')[0]).toBe('M2025-01');
    expect(storedPeriodsOf('Y2025')[11]).toBe('M2025-12');
  });
});
