import fc from 'fast-check';
import {
  ProgressTimeliness,
  ResolutionTimeliness,
  classifyProgress,
  classifyResolution,
} from './timeliness.util';

const vn = (local: string): string => `${local}:00+07:00`;
const originalDueAt = vn('2025-03-06T09:00');

describe(classifyResolution.name, () => {
  it.each([
    ['2025-03-05T16:00', 'DATE', ResolutionTimeliness.Early],
    ['2025-03-06T08:00', 'DATE', ResolutionTimeliness.OnTime],
    ['2025-03-06T16:00', 'DATE', ResolutionTimeliness.OnTime],
    ['2025-03-07T07:30', 'DATE', ResolutionTimeliness.Late],
    ['2025-03-05T16:00', 'DATETIME', ResolutionTimeliness.Early],
    ['2025-03-06T08:00', 'DATETIME', ResolutionTimeliness.OnTime],
    ['2025-03-06T16:00', 'DATETIME', ResolutionTimeliness.Late],
  ] as const)(
    'should classify a dossier finished at %s with %s comparison as %s',
    (finishedAt, comparison, expected) => {
      // Act
      const verdict = classifyResolution(
        { finishedAt: vn(finishedAt), originalDueAt },
        { comparison },
      );
      // Assert
      expect(verdict.timeliness).toBe(expected);
      expect(verdict.comparison).toBe(comparison);
    },
  );

  it('should classify against originalDueAt by default even when an apology moved the appointment', () => {
    // Arrange
    const facts = {
      finishedAt: vn('2025-03-09T10:00'),
      originalDueAt,
      currentDueAt: vn('2025-03-10T17:00'),
    };
    // Act
    const byDefault = classifyResolution(facts);
    const byCurrent = classifyResolution(facts, { basis: 'CURRENT' });
    // Assert
    expect(byDefault).toMatchObject({ timeliness: ResolutionTimeliness.Late, basis: 'ORIGINAL' });
    expect(byCurrent).toMatchObject({ timeliness: ResolutionTimeliness.Early, basis: 'CURRENT' });
  });

  it('should count a dossier without appointment as on time', () => {
    expect(
      classifyResolution({ finishedAt: vn('2025-03-09T10:00'), originalDueAt: null }).timeliness,
    ).toBe(ResolutionTimeliness.OnTime);
  });

  it('should count more than one supplementation as late when the F766 rule is switched on', () => {
    const facts = { finishedAt: vn('2025-03-05T10:00'), originalDueAt, supplementRequestCount: 2 };
    expect(classifyResolution(facts).timeliness).toBe(ResolutionTimeliness.Early);
    expect(classifyResolution(facts, { multipleSupplementsAreLate: true }).timeliness).toBe(
      ResolutionTimeliness.Late,
    );
  });

  it('should never call a dossier late under DATETIME when DATE says it is not late', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5 * 86_400_000, max: 5 * 86_400_000 }), (delta) => {
        const finishedAt = Date.parse(originalDueAt) + delta;
        const byDate = classifyResolution({ finishedAt, originalDueAt }).timeliness;
        const byTime = classifyResolution(
          { finishedAt, originalDueAt },
          { comparison: 'DATETIME' },
        ).timeliness;
        if (byDate === ResolutionTimeliness.Late) expect(byTime).toBe(ResolutionTimeliness.Late);
        if (byTime !== ResolutionTimeliness.Late) expect(byDate).toBe(byTime);
      }),
    );
  });
});

describe(classifyProgress.name, () => {
  it.each([
    ['2025-03-04T08:00', 'DATE', ProgressTimeliness.InTime],
    ['2025-03-05T10:00', 'DATE', ProgressTimeliness.DueSoon],
    ['2025-03-06T10:00', 'DATE', ProgressTimeliness.DueSoon],
    ['2025-03-06T10:00', 'DATETIME', ProgressTimeliness.Overdue],
    ['2025-03-07T07:00', 'DATE', ProgressTimeliness.Overdue],
  ] as const)(
    'should classify a dossier in progress at %s with %s comparison as %s',
    (asOf, comparison, expected) => {
      expect(classifyProgress({ asOf: vn(asOf), originalDueAt }, { comparison }).timeliness).toBe(
        expected,
      );
    },
  );

  it('should count a paused dossier as in time by default', () => {
    expect(
      classifyProgress({ asOf: vn('2025-03-09T10:00'), originalDueAt, paused: true }).timeliness,
    ).toBe(ProgressTimeliness.InTime);
    expect(
      classifyProgress(
        { asOf: vn('2025-03-09T10:00'), originalDueAt, paused: true },
        { pausedCountsAsInTime: false },
      ).timeliness,
    ).toBe(ProgressTimeliness.Overdue);
  });

  it('should use the configured due-soon window', () => {
    const facts = { asOf: vn('2025-03-04T08:00'), originalDueAt };
    expect(classifyProgress(facts, { dueSoonWithinMs: 72 * 3_600_000 }).timeliness).toBe(
      ProgressTimeliness.DueSoon,
    );
  });
});
