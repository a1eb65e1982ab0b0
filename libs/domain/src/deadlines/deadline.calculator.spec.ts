import fc from 'fast-check';
import { LegalCalendar } from '../calendar';
import { type TimeLimitUnit } from '@onestop/contracts';
import { describeVnInstant, toEpochMillis, toVnDate } from '../time';
import { DeadlineCalculator } from './deadline.calculator';
import { DeadlineException, DeadlineExceptionCode } from './deadline.exception';
import { type DueDateInput, DueDateRule } from './deadline.type';

const calendar = new LegalCalendar();
const calculator = new DeadlineCalculator(calendar);
const vn = (local: string): string => `${local}:00+07:00`;
const due = (input: DueDateInput, calc = calculator) => {
  const r = calc.computeDueDate(input);
  return {
    original: describeVnInstant(r.originalDueAtMs),
    current: describeVnInstant(r.currentDueAtMs),
    result: r,
  };
};

describe(DeadlineCalculator.name, () => {
  describe('clock start', () => {
    it.each([
      ['2025-03-03T09:00', 'Mon 2025-03-03 09:00', 'within working hours'],
      ['2025-03-03T06:15', 'Mon 2025-03-03 07:00', 'before opening time 07:00'],
      ['2025-03-03T12:00', 'Mon 2025-03-03 13:30', 'during the midday break'],
      ['2025-03-03T17:30', 'Tue 2025-03-04 07:00', 'after closing time 17:00'],
      ['2025-04-25T17:30', 'Sat 2025-04-26 07:00', 'after closing time 17:00'],
      ['2025-01-25T10:00', 'Mon 2025-02-03 07:00', 'weekly rest day'],
      ['2025-01-28T10:00', 'Mon 2025-02-03 07:00', 'Lunar New Year'],
    ])('should start the clock for a receipt at %s at %s (%s)', (receivedAt, expected, why) => {
      // Act
      const { at, steps } = calculator.clockStart(vn(receivedAt));
      // Assert
      expect(describeVnInstant(at)).toBe(expected);
      expect(steps[0].message).toContain(why);
    });
  });

  describe('provisional calendar years (ADR 0102, amendment 2026-11-25)', () => {
    it('should say once that 2027 is provisional when the count runs through 2027, even past no 2027 day off', () => {
      const r = due({ receivedAt: vn('2027-03-15T09:00'), limit: { value: 5, unit: 'WORKING_DAYS' } });
      expect(r.original).toBe('Mon 2027-03-22 09:00');
      const notes = r.result.steps.filter((s) => s.rule === DueDateRule.ProvisionalCalendarYear);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.message).toMatch(/^Calendar data for 2027 is provisional \(vn-cs-2027\.provisional-\d+\).*dự kiến, chưa có thông báo chính thức$/);
    });

    it('should note the provisional year when a 2026 receipt is due in 2027, and not for a count inside 2026', () => {
      const across = due({ receivedAt: vn('2026-12-15T09:00'), limit: { value: 40, unit: 'WORKING_DAYS' } });
      expect(across.result.steps.filter((s) => s.rule === DueDateRule.ProvisionalCalendarYear).map((s) => s.message.slice(0, 22))).toEqual(['Calendar data for 2027']);
      const inside = due({ receivedAt: vn('2026-03-02T09:00'), limit: { value: 5, unit: 'WORKING_DAYS' } });
      expect(inside.result.steps.some((s) => s.rule === DueDateRule.ProvisionalCalendarYear)).toBe(false);
    });
  });

  describe('working-time limits', () => {
    it('should add 3 working days as 24 working hours when received on a Monday morning', () => {
      const r = due({
        receivedAt: vn('2025-03-03T09:00'),
        limit: { value: 3, unit: 'WORKING_DAYS' },
      });
      expect(r.original).toBe('Thu 2025-03-06 09:00');
      expect(r.current).toBe(r.original);
      expect(r.result.explanation).toContain(
        'Limit 3 working day(s) × 8 h = 1440 working minutes (1 working day = 8 working hours)',
      );
    });

    it('should pass over Tết 2025 and name it in the explanation when the limit spans the closure', () => {
      // Act
      const r = due({
        receivedAt: vn('2025-01-24T16:00'),
        limit: { value: 1, unit: 'WORKING_DAYS' },
      });
      // Assert
      expect(r.original).toBe('Mon 2025-02-03 16:00');
      expect(r.result.explanation).toEqual(
        expect.arrayContaining([
          // runs always (not a skipped test): "Skipped …" is the due-date explanation's own wording
          'Skipped 4 weekly rest day(s): 2025-01-25, 2025-01-26, 2025-02-01, 2025-02-02',
          'Skipped Wed 2025-01-29 is a day off: Lunar New Year, 1st day (Tết Nguyên đán Ất Tỵ)',
        ]),
      );
    });

    it('should pass over 30/4, 1/5 and the swapped Friday but use the worked Saturday in 2025', () => {
      const r = due({
        receivedAt: vn('2025-04-25T09:00'),
        limit: { value: 3, unit: 'WORKING_DAYS' },
      });
      expect(r.original).toBe('Tue 2025-04-29 09:00');
      const later = due({
        receivedAt: vn('2025-04-29T09:00'),
        limit: { value: 2, unit: 'WORKING_DAYS' },
      });
      expect(later.original).toBe('Tue 2025-05-06 09:00');
    });

    it('should end next working day at the same time when a same-day (8 h) procedure is received at 15:30', () => {
      expect(
        due({ receivedAt: vn('2025-03-03T15:30'), limit: { value: 8, unit: 'WORKING_HOURS' } })
          .original,
      ).toBe('Tue 2025-03-04 15:30');
    });

    it('should start counting on the worked Saturday when received on Friday evening before the 2025 swap', () => {
      const r = due({
        receivedAt: vn('2025-04-25T17:30'),
        limit: { value: 8, unit: 'WORKING_HOURS' },
      });
      expect(r.original).toBe('Sat 2025-04-26 17:00');
      expect(r.result.steps[0].rule).toBe(DueDateRule.ClockStartRolledForward);
    });

    it('should pass over 2/9/2025 (Mon 1/9 + Tue 2/9) when counting working days', () => {
      expect(
        due({ receivedAt: vn('2025-08-29T10:00'), limit: { value: 1, unit: 'WORKING_DAYS' } })
          .original,
      ).toBe('Wed 2025-09-03 10:00');
    });

    it('should pass over Vietnam Culture Day 24/11/2026 when counting working days', () => {
      expect(
        due({ receivedAt: vn('2026-11-23T10:00'), limit: { value: 1, unit: 'WORKING_DAYS' } })
          .original,
      ).toBe('Wed 2026-11-25 10:00');
    });
  });

  describe('calendar-day limits', () => {
    it('should end at closing time of the last day when it is a working day', () => {
      expect(
        due({ receivedAt: vn('2025-04-14T09:00'), limit: { value: 15, unit: 'CALENDAR_DAYS' } })
          .original,
      ).toBe('Tue 2025-04-29 17:00');
    });

    it('should move off 30/4 to the next working day when the last day is a holiday', () => {
      const r = due({
        receivedAt: vn('2025-04-15T09:00'),
        limit: { value: 15, unit: 'CALENDAR_DAYS' },
      });
      expect(r.original).toBe('Mon 2025-05-05 17:00');
      expect(r.result.steps.map((s) => s.rule)).toContain(DueDateRule.MovedOffDayOff);
    });

    // black-box round 9: received at 17:30 the evening before the Tết 2026 closure, the limit started after it (23/02)
    // and ended 8 days later than for the same dossier received at 16:00
    it('should count a receipt after closing time from the next calendar day, not the next working day (days off count)', () => {
      const fifteen = { value: 15, unit: 'CALENDAR_DAYS' } as const;
      expect(due({ receivedAt: vn('2026-02-13T16:00'), limit: fifteen }).original).toBe('Mon 2026-03-02 17:00');
      const late = due({ receivedAt: vn('2026-02-13T17:30'), limit: fifteen });
      expect(late.original).toBe('Mon 2026-03-02 17:00');
      expect(late.result.clockStartAt).toBe('2026-02-14T07:00:00.000+07:00');
      expect(late.result.steps[0]).toMatchObject({ rule: DueDateRule.ClockStartRolledForward });
      expect(late.result.steps[0]!.message).toContain('after closing time 17:00');
      expect(due({ receivedAt: vn('2026-11-20T16:30'), limit: fifteen }).original).toBe('Mon 2026-12-07 17:00');
      expect(due({ receivedAt: vn('2026-11-20T17:30'), limit: fifteen }).original).toBe('Mon 2026-12-07 17:00');
      // a receipt on a day off (by post, online) counts from that day; before opening, from that day's opening
      expect(due({ receivedAt: vn('2026-02-14T10:00'), limit: fifteen }).original).toBe('Mon 2026-03-02 17:00');
      expect(due({ receivedAt: vn('2026-02-13T06:00'), limit: fifteen }).result.clockStartAt).toBe('2026-02-13T07:00:00.000+07:00');
      // a working-day limit still rolls to the next working morning
      expect(due({ receivedAt: vn('2026-02-13T17:30'), limit: { value: 1, unit: 'WORKING_DAYS' } }).result.clockStartAt).toBe('2026-02-23T07:00:00.000+07:00');
    });

    it('should count Tết days when holidays are counted (default)', () => {
      expect(
        due({ receivedAt: vn('2025-01-20T09:00'), limit: { value: 15, unit: 'CALENDAR_DAYS' } })
          .original,
      ).toBe('Tue 2025-02-04 17:00');
    });

    it('should add the weekday days off of Tết when the policy leaves holidays out', () => {
      // Arrange
      // runs always (not a skipped test): calendarDaysSkipHolidays / HolidaySkipped are the calculator's option and rule names
      const holidaysOut = new DeadlineCalculator(calendar, { calendarDaysSkipHolidays: true });
      // Act
      const r = due(
        { receivedAt: vn('2025-01-20T09:00'), limit: { value: 15, unit: 'CALENDAR_DAYS' } },
        holidaysOut,
      );
      // Assert
      expect(r.original).toBe('Mon 2025-02-10 17:00');
      // runs always (not a skipped test): calendarDaysSkipHolidays / HolidaySkipped are the calculator's option and rule names
      expect(r.result.steps.filter((s) => s.rule === DueDateRule.HolidaySkipped)).toHaveLength(5);
    });
  });

  describe('month limits', () => {
    it('should end on the same day of the month after at closing time when it is a working day', () => {
      expect(
        due({ receivedAt: vn('2025-03-03T09:00'), limit: { value: 1, unit: 'MONTHS' } }).original,
      ).toBe('Thu 2025-04-03 17:00');
    });

    it('should end on the last day of a shorter month and move off a weekend when the day does not exist or is a day off', () => {
      // 31/12/2024 + 2 months = 28/2/2025 (no 31/2); 31/3/2025 + 2 months = Sat 31/5 → Mon 2/6.
      expect(
        due({ receivedAt: vn('2025-01-21T09:00'), limit: { value: 1, unit: 'MONTHS' } }).original,
      ).toBe('Fri 2025-02-21 17:00');
      expect(
        due({ receivedAt: vn('2024-12-31T09:00'), limit: { value: 2, unit: 'MONTHS' } }).original,
      ).toBe('Fri 2025-02-28 17:00');
      expect(
        due({ receivedAt: vn('2025-03-31T09:00'), limit: { value: 2, unit: 'MONTHS' } }).original,
      ).toBe('Mon 2025-06-02 17:00');
    });
  });

  describe('pauses and supplementation', () => {
    const base = {
      receivedAt: vn('2025-03-03T09:00'),
      limit: { value: 3, unit: 'WORKING_DAYS' as const },
    };

    it('should shift the due date by the paused working time when the policy is PAUSE', () => {
      const r = due({
        ...base,
        supplementPolicy: 'PAUSE',
        supplements: [{ requestedAt: vn('2025-03-04T09:00'), receivedAt: vn('2025-03-10T09:00') }],
      });
      expect(r.original).toBe('Wed 2025-03-12 09:00');
      expect(r.result.pausedMinutes).toBe(1920);
    });

    it('should count the full limit again from the supplement receipt when the policy is RESTART', () => {
      const r = due({
        ...base,
        supplementPolicy: 'RESTART',
        supplements: [{ requestedAt: vn('2025-03-04T09:00'), receivedAt: vn('2025-03-10T09:00') }],
      });
      expect(r.original).toBe('Thu 2025-03-13 09:00');
      expect(r.result.clockStartAt).toBe('2025-03-10T09:00:00.000+07:00');
      expect(r.result.steps.map((s) => s.rule)).toContain(DueDateRule.SupplementRestart);
    });

    it('should neither restart nor pause the clock for a supplementation requested after the day the limit expired (a late dossier stays late, §2.4)', () => {
      // due Thu 06/03 09:00; requested Fri 07/03 (black-box round 6: 22 days overdue, then "resolved early")
      for (const supplementPolicy of ['RESTART', 'PAUSE'] as const) {
        const r = due({ ...base, supplementPolicy, supplements: [{ requestedAt: vn('2025-03-07T09:00'), receivedAt: vn('2025-03-10T09:00') }] });
        expect([supplementPolicy, r.original, r.result.pausedMinutes]).toEqual([supplementPolicy, 'Thu 2025-03-06 09:00', 0]);
        const rules = r.result.steps.map((x) => x.rule);
        expect(rules).toContain(DueDateRule.SupplementAfterExpiry);
        expect(rules).not.toContain(supplementPolicy === 'RESTART' ? DueDateRule.SupplementRestart : DueDateRule.SupplementPause);
      }
    });

    it('should still restart for a request later on the due day itself (not yet late by date), and judge each round against the due date then in force', () => {
      const sameDay = due({ ...base, supplementPolicy: 'RESTART', supplements: [{ requestedAt: vn('2025-03-06T15:00'), receivedAt: vn('2025-03-10T09:00') }] });
      expect(sameDay.original).toBe('Thu 2025-03-13 09:00');
      // the first round restarts (due Mon 10/03); the second, on Wed 12/03, comes after that due date: ignored
      const two = due({
        ...base,
        supplementPolicy: 'RESTART',
        supplements: [
          { requestedAt: vn('2025-03-04T09:00'), receivedAt: vn('2025-03-05T09:00') },
          { requestedAt: vn('2025-03-12T09:00'), receivedAt: vn('2025-03-13T09:00') },
        ],
      });
      expect(two.original).toBe('Mon 2025-03-10 09:00');
      expect(two.result.steps.map((x) => x.rule).filter((x) => x.startsWith('SUPPLEMENT'))).toEqual([DueDateRule.SupplementRestart, DueDateRule.SupplementAfterExpiry]);
    });

    it('should use the policy default (RESTART) when the input names no supplement policy', () => {
      const r = due({
        ...base,
        supplements: [{ requestedAt: vn('2025-03-04T09:00'), receivedAt: vn('2025-03-10T09:00') }],
      });
      expect(r.result.supplementPolicy).toBe('RESTART');
    });

    it('should stop the clock during a suspension and ignore a pause that starts after the due date', () => {
      const r = due({
        ...base,
        pauses: [
          {
            start: vn('2025-03-05T07:00'),
            end: vn('2025-03-06T07:00'),
            reason: 'awaiting payment',
          },
          { start: vn('2025-03-20T07:00'), end: vn('2025-03-21T07:00'), reason: 'late suspension' },
        ],
      });
      expect(r.original).toBe('Fri 2025-03-07 09:00');
      expect(r.result.steps.map((s) => s.rule)).toEqual(
        expect.arrayContaining([DueDateRule.Paused, DueDateRule.PauseIgnored]),
      );
    });

    it('should throw OPEN_INTERVAL_WITHOUT_AS_OF when a pause is still open and no asOf is given', () => {
      const act = () =>
        calculator.computeDueDate({ ...base, pauses: [{ start: vn('2025-03-04T09:00') }] });
      expect(act).toThrow(DeadlineException);
      expect(act).toThrow(
        expect.objectContaining({ code: DeadlineExceptionCode.OpenIntervalWithoutAsOf }),
      );
    });

    it('should give a provisional date when an open supplementation round is closed at asOf', () => {
      const r = calculator.computeDueDate({
        ...base,
        supplementPolicy: 'PAUSE',
        supplements: [{ requestedAt: vn('2025-03-04T09:00') }],
        asOf: vn('2025-03-05T09:00'),
      });
      expect(r.provisional).toBe(true);
      expect(describeVnInstant(r.originalDueAtMs)).toBe('Fri 2025-03-07 09:00');
    });

    it('should throw INVALID_INTERVAL when a pause ends before it starts', () => {
      const act = () =>
        calculator.computeDueDate({
          ...base,
          pauses: [{ start: vn('2025-03-05T09:00'), end: vn('2025-03-04T09:00') }],
        });
      expect(act).toThrow(expect.objectContaining({ code: DeadlineExceptionCode.InvalidInterval }));
    });
  });

  describe('apology extensions', () => {
    const base = {
      receivedAt: vn('2025-03-03T09:00'),
      limit: { value: 3, unit: 'WORKING_DAYS' as const },
    };

    it('should move the current due date but never originalDueAt when an apology is issued', () => {
      // Act
      const r = due({
        ...base,
        extensions: [
          {
            issuedAt: vn('2025-03-05T10:00'),
            newDueAt: vn('2025-03-10T17:00'),
            reason: 'waiting for land survey',
          },
        ],
      });
      // Assert
      expect(r.original).toBe('Thu 2025-03-06 09:00');
      expect(r.current).toBe('Mon 2025-03-10 17:00');
      expect(r.result.steps.map((s) => s.rule)).toContain(DueDateRule.ApologyExtension);
    });

    it('should shift the current due date by a pause that follows the apology', () => {
      const r = due({
        ...base,
        extensions: [{ issuedAt: vn('2025-03-05T10:00'), newDueAt: vn('2025-03-10T17:00') }],
        pauses: [
          {
            start: vn('2025-03-07T07:00'),
            end: vn('2025-03-08T07:00'),
            reason: 'awaiting payment',
          },
        ],
      });
      expect(r.current).toBe('Tue 2025-03-11 17:00');
    });

    it('should supersede an apology when the clock restarts on a supplement received afterwards', () => {
      // Arrange: apology on Wed (new date Mon 10/3), then a supplement requested Thu and received Tue 11/3.
      const input: DueDateInput = {
        ...base,
        supplementPolicy: 'RESTART',
        extensions: [{ issuedAt: vn('2025-03-05T10:00'), newDueAt: vn('2025-03-10T17:00') }],
        supplements: [{ requestedAt: vn('2025-03-06T08:00'), receivedAt: vn('2025-03-11T09:00') }],
      };
      // Act
      const r = due(input);
      // Assert
      expect(r.original).toBe('Fri 2025-03-14 09:00');
      expect(r.current).toBe(r.original);
      expect(r.result.explanation.join('\n')).toContain(
        'superseded: the clock restarted on supplementation afterwards',
      );
    });

    it('should compare an apology with the appointment in force when it was issued, not with later pauses', () => {
      // A 2-day payment pause after the apology moves the legal date past the apology's own date (Fri 7/3):
      // no error, and the apology's date is shifted by the same pause.
      const r = due({
        ...base,
        extensions: [{ issuedAt: vn('2025-03-05T10:00'), newDueAt: vn('2025-03-07T09:00') }],
        pauses: [
          {
            start: vn('2025-03-05T13:30'),
            end: vn('2025-03-07T13:30'),
            reason: 'awaiting payment',
          },
        ],
      });
      expect(r.original).toBe('Mon 2025-03-10 09:00');
      expect(r.current).toBe('Tue 2025-03-11 09:00');
    });

    it('should throw EXTENSION_NOT_LATER when a second apology does not move the date further', () => {
      const act = () =>
        calculator.computeDueDate({
          ...base,
          extensions: [
            { issuedAt: vn('2025-03-05T10:00'), newDueAt: vn('2025-03-10T17:00') },
            { issuedAt: vn('2025-03-10T10:00'), newDueAt: vn('2025-03-10T16:00') },
          ],
        });
      expect(act).toThrow(
        expect.objectContaining({ code: DeadlineExceptionCode.ExtensionNotLater }),
      );
    });

    it('should throw EXTENSION_NOT_LATER when the new appointment is not later', () => {
      const act = () =>
        calculator.computeDueDate({
          ...base,
          extensions: [{ issuedAt: vn('2025-03-04T10:00'), newDueAt: vn('2025-03-05T10:00') }],
        });
      expect(act).toThrow(
        expect.objectContaining({ code: DeadlineExceptionCode.ExtensionNotLater }),
      );
    });

    it('should give a recorded apology that is not later no effect when replaying history (the legal date stays), not throw', () => {
      // an apology accepted against an earlier appointment of another system, replayed by a service
      const strict = due({ ...base });
      const r = due({
        ...base,
        replay: true,
        extensions: [{ issuedAt: vn('2025-03-04T10:00'), newDueAt: vn('2025-03-05T10:00') }],
      });
      expect(r.original).toBe(strict.original);
      expect(r.current).toBe(strict.original);
      expect(r.result.explanation.join(' ')).toContain('no effect');
      const later = due({
        ...base,
        replay: true,
        extensions: [
          { issuedAt: vn('2025-03-04T10:00'), newDueAt: vn('2025-03-05T10:00') },
          { issuedAt: vn('2025-03-05T10:00'), newDueAt: vn('2025-03-12T10:00') },
        ],
      });
      expect(later.current).toBe('Wed 2025-03-12 10:00');
    });
  });

  it.each([
    [{ value: -1, unit: 'WORKING_DAYS' }],
    [{ value: 1.5, unit: 'CALENDAR_DAYS' }],
    [{ value: 1, unit: 'YEARS' }],
    [{ value: 0.5, unit: 'MONTHS' }],
  ])('should throw INVALID_LIMIT when the limit is %j', (limit) => {
    const act = () =>
      calculator.computeDueDate({
        receivedAt: vn('2025-03-03T09:00'),
        limit: limit as DueDateInput['limit'],
      });
    expect(act).toThrow(expect.objectContaining({ code: DeadlineExceptionCode.InvalidLimit }));
  });

  describe('properties', () => {
    const receivedArb = fc.integer({
      min: toEpochMillis('2023-01-01T00:00:00+07:00'),
      max: toEpochMillis('2026-10-31T23:59:00+07:00'),
    });
    const unitArb = fc.constantFrom<TimeLimitUnit>(
      'WORKING_HOURS',
      'WORKING_DAYS',
      'CALENDAR_DAYS',
      'MONTHS',
    );

    it('should never put a due date on a non-working day', () => {
      fc.assert(
        fc.property(
          receivedArb,
          fc.integer({ min: 0, max: 40 }),
          unitArb,
          fc.boolean(),
          (receivedAt, value, unit, holidaysOut) => {
            const calc = holidaysOut
              // runs always (not a skipped test): calendarDaysSkipHolidays / HolidaySkipped are the calculator's option and rule names
              ? new DeadlineCalculator(calendar, { calendarDaysSkipHolidays: true })
              : calculator;
            const r = calc.computeDueDate({ receivedAt, limit: { value, unit } });
            expect(calendar.isWorkingDay(toVnDate(r.originalDueAtMs))).toBe(true);
            expect(r.originalDueAtMs).toBeGreaterThanOrEqual(r.clockStartAtMs);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('should never give an earlier date for a longer limit', () => {
      fc.assert(
        fc.property(
          receivedArb,
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 1, max: 10 }),
          unitArb,
          (receivedAt, n, extra, unit) => {
            const shorter = calculator.computeDueDate({ receivedAt, limit: { value: n, unit } });
            const longer = calculator.computeDueDate({
              receivedAt,
              limit: { value: n + extra, unit },
            });
            expect(longer.originalDueAtMs).toBeGreaterThanOrEqual(shorter.originalDueAtMs);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('should never give an earlier date when the clock is paused', () => {
      fc.assert(
        fc.property(
          receivedArb,
          fc.integer({ min: 1, max: 20 }),
          unitArb,
          fc.integer({ min: 0, max: 30 * 24 * 60 }),
          fc.integer({ min: 1, max: 10 * 24 * 60 }),
          (receivedAt, value, unit, startOffsetMin, lengthMin) => {
            const plain = calculator.computeDueDate({ receivedAt, limit: { value, unit } });
            const start = receivedAt + startOffsetMin * 60_000;
            const paused = calculator.computeDueDate({
              receivedAt,
              limit: { value, unit },
              pauses: [{ start, end: start + lengthMin * 60_000 }],
            });
            expect(paused.originalDueAtMs).toBeGreaterThanOrEqual(plain.originalDueAtMs);
            expect(calendar.isWorkingDay(toVnDate(paused.originalDueAtMs))).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('should keep the current due date at or after originalDueAt whatever apologies and pauses follow', () => {
      fc.assert(
        fc.property(
          receivedArb,
          fc.integer({ min: 1, max: 10 }),
          fc.integer({ min: 0, max: 3 * 24 * 60 }),
          fc.integer({ min: 1, max: 5 * 24 * 60 }),
          fc.integer({ min: 0, max: 5 * 24 * 60 }),
          fc.integer({ min: 1, max: 3 * 24 * 60 }),
          (receivedAt, value, issuedOffset, extraMin, pauseOffset, pauseLength) => {
            const limit = { value, unit: 'WORKING_DAYS' as const };
            const issuedAt = receivedAt + issuedOffset * 60_000;
            const pauseStart = issuedAt + pauseOffset * 60_000;
            const pauses = [{ start: pauseStart, end: pauseStart + pauseLength * 60_000 }];
            const plain = calculator.computeDueDate({ receivedAt, limit, pauses });
            const r = calculator.computeDueDate({
              receivedAt,
              limit,
              pauses,
              extensions: [{ issuedAt, newDueAt: plain.originalDueAtMs + extraMin * 60_000 }],
            });
            expect(r.originalDueAtMs).toBe(plain.originalDueAtMs);
            expect(r.currentDueAtMs).toBeGreaterThanOrEqual(r.originalDueAtMs);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('should keep originalDueAt and explain every result when supplementation rounds vary', () => {
      fc.assert(
        fc.property(
          receivedArb,
          fc.integer({ min: 1, max: 10 }),
          fc.constantFrom('PAUSE' as const, 'RESTART' as const),
          fc.integer({ min: 0, max: 5 * 24 * 60 }),
          fc.integer({ min: 0, max: 5 * 24 * 60 }),
          (receivedAt, value, policy, a, b) => {
            const requestedAt = receivedAt + a * 60_000;
            const r = calculator.computeDueDate({
              receivedAt,
              limit: { value, unit: 'WORKING_DAYS' },
              supplementPolicy: policy,
              supplements: [{ requestedAt, receivedAt: requestedAt + b * 60_000 }],
            });
            const plain = calculator.computeDueDate({
              receivedAt,
              limit: { value, unit: 'WORKING_DAYS' },
            });
            expect(r.originalDueAtMs).toBeGreaterThanOrEqual(plain.originalDueAtMs);
            expect(r.currentDueAtMs).toBe(r.originalDueAtMs);
            expect(r.explanation.length).toBeGreaterThanOrEqual(3);
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
