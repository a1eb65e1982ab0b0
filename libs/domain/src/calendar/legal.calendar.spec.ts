import fc from 'fast-check';
import {
  addDays,
  atVnTime,
  describeVnInstant,
  isoWeekday,
  toEpochMillis,
  toVnDate,
  toVnIso,
} from '../time';
import { CalendarException, CalendarExceptionCode } from './calendar.exception';
import {
  type ProvinceCalendarOverride,
  DayStatusReason,
  UncoveredYearPolicy,
} from './calendar.type';
import { CIVIL_SERVICE_CALENDAR } from './civil-service-calendar.data';
import { LegalCalendar } from './legal.calendar';
import { DeadlineCalculator } from '../deadlines/deadline.calculator';

const calendar = new LegalCalendar();

describe(LegalCalendar.name, () => {
  describe('real dates 2023–2026', () => {
    it.each([
      // Tết Nguyên đán 2025: Mon 27/1 – Fri 31/1 off, weekends around (9 days closed).
      ['2025-01-24', true, DayStatusReason.WorkingDay],
      ['2025-01-25', false, DayStatusReason.WeeklyRest],
      ['2025-01-27', false, DayStatusReason.DayOff],
      ['2025-01-29', false, DayStatusReason.DayOff],
      ['2025-01-31', false, DayStatusReason.DayOff],
      ['2025-02-02', false, DayStatusReason.WeeklyRest],
      ['2025-02-03', true, DayStatusReason.WorkingDay],
      // Tết 2026: closure Sat 14/2 – Sun 22/2.
      ['2026-02-13', true, DayStatusReason.WorkingDay],
      ['2026-02-16', false, DayStatusReason.DayOff],
      ['2026-02-20', false, DayStatusReason.DayOff],
      ['2026-02-23', true, DayStatusReason.WorkingDay],
      // 30/4–1/5/2025 with the swap: Sat 26/4 worked, Fri 2/5 off.
      ['2025-04-26', true, DayStatusReason.WorkedRestDay],
      ['2025-04-30', false, DayStatusReason.DayOff],
      ['2025-05-01', false, DayStatusReason.DayOff],
      ['2025-05-02', false, DayStatusReason.DayOff],
      ['2025-05-05', true, DayStatusReason.WorkingDay],
      ['2025-04-07', false, DayStatusReason.DayOff],
      // 2/9/2025: Mon 1/9 + Tue 2/9.
      ['2025-09-01', false, DayStatusReason.DayOff],
      ['2025-09-02', false, DayStatusReason.DayOff],
      ['2025-09-03', true, DayStatusReason.WorkingDay],
      // 2024: swap Mon 29/4 ↔ Sat 4/5; National Day 2–3/9; Tết 8–14/2.
      ['2024-04-29', false, DayStatusReason.DayOff],
      ['2024-05-04', true, DayStatusReason.WorkedRestDay],
      ['2024-09-03', false, DayStatusReason.DayOff],
      ['2024-02-14', false, DayStatusReason.DayOff],
      ['2024-02-15', true, DayStatusReason.WorkingDay],
      // 2023: make-up days for holidays on weekends.
      ['2023-01-02', false, DayStatusReason.DayOff],
      ['2023-01-26', false, DayStatusReason.DayOff],
      ['2023-01-27', true, DayStatusReason.WorkingDay],
      ['2023-05-02', false, DayStatusReason.DayOff],
      ['2023-05-03', false, DayStatusReason.DayOff],
      ['2023-09-04', false, DayStatusReason.DayOff],
      // 2026: Giỗ Tổ on Sunday 26/4 made up on Monday 27/4; 24/11 Vietnam Culture Day (a Tuesday).
      ['2026-04-26', false, DayStatusReason.DayOff],
      ['2026-04-27', false, DayStatusReason.DayOff],
      ['2026-04-28', true, DayStatusReason.WorkingDay],
      ['2026-11-24', false, DayStatusReason.DayOff],
      ['2026-11-25', true, DayStatusReason.WorkingDay],
    ])('should say %s is working=%s (%s)', (date, working, reason) => {
      // Act
      const status = calendar.dayStatus(date);
      // Assert
      expect(status).toMatchObject({ working, reason, covered: true });
    });

    it('should name the holiday when describing a day off', () => {
      expect(calendar.describeDay('2026-11-24')).toBe(
        'Tue 2026-11-24 is a day off: Vietnam Culture Day (Ngày Văn hóa Việt Nam)',
      );
      expect(calendar.dayStatus('2025-05-02').dayOff?.kind).toBe('SWAPPED');
    });

    it.each([
      ['2025-01-24', '2025-02-03'],
      ['2026-02-13', '2026-02-23'],
      ['2025-04-29', '2025-05-05'],
      ['2025-04-25', '2025-04-26'],
      ['2025-08-29', '2025-09-03'],
    ])('should give %s → %s as the next working day', (date, next) => {
      expect(calendar.nextWorkingDay(date)).toBe(next);
    });
  });

  describe('data', () => {
    it('should version every year and keep each swap balanced by a worked Saturday', () => {
      for (const year of CIVIL_SERVICE_CALENDAR) {
        expect(year.version).toMatch(new RegExp(`^vn-cs-${year.year}\\.\\d+$`));
        const swapped = year.daysOff.filter((d) => d.kind === 'SWAPPED').length;
        expect(year.workedDays).toHaveLength(swapped);
        for (const d of year.daysOff.filter((x) => x.kind === 'MAKE_UP' || x.kind === 'SWAPPED')) {
          expect(isoWeekday(d.date)).toBeLessThan(6);
        }
      }
      expect(calendar.coveredYears).toEqual([2023, 2024, 2025, 2026]);
      expect(calendar.dataVersions).toEqual([
        'vn-cs-2023.1',
        'vn-cs-2024.1',
        'vn-cs-2025.1',
        'vn-cs-2026.1',
      ]);
    });

    it('should throw INVALID_CALENDAR_DATA when a worked day is not a weekend day', () => {
      const act = () =>
        new LegalCalendar({
          years: [
            {
              year: 2030,
              version: 'x',
              effectiveYear: 2030,
              daysOff: [],
              workedDays: [
                { date: '2030-01-02', reason: 'r', source: 's', certainty: 'CONFIRMED' },
              ],
            },
          ],
        });
      expect(act).toThrow(
        expect.objectContaining({ code: CalendarExceptionCode.InvalidCalendarData }),
      );
    });
  });

  describe('years without data', () => {
    it('should apply only weekends and fixed-date holidays when the year is not covered', () => {
      expect(calendar.dayStatus('2027-09-02')).toMatchObject({
        working: false,
        covered: false,
        reason: DayStatusReason.DayOff,
      });
      expect(calendar.dayStatus('2027-02-08')).toMatchObject({ working: true, covered: false });
    });

    it('should make up a fixed-date holiday on a weekly rest day on the next working day (art. 111(3)) when the year is not covered', () => {
      // Sat 1/5/2027 → Mon 3/5/2027 off; Sun 30/4/2028 and Mon 1/5/2028 → Tue 2/5/2028 off; Sun 2/9/2029 → Mon 3/9
      expect(calendar.dayStatus('2027-05-03')).toMatchObject({
        working: false,
        covered: false,
        dayOff: expect.objectContaining({ kind: 'MAKE_UP', nameVi: 'Nghỉ bù Ngày Quốc tế Lao động' }),
      });
      expect(calendar.isWorkingDay('2027-05-04')).toBe(true);
      expect(calendar.isWorkingDay('2028-05-01')).toBe(false);
      expect(calendar.isWorkingDay('2028-05-02')).toBe(false);
      expect(calendar.isWorkingDay('2028-05-03')).toBe(true);
      expect(calendar.isWorkingDay('2029-09-03')).toBe(false);
      expect(calendar.isWeekdayDayOff('2027-05-03')).toBe(true);
    });

    it('should keep Vietnam Culture Day 24/11 off in years after 2026 without data, not before 2026', () => {
      expect(calendar.dayStatus('2027-11-24')).toMatchObject({ working: false, covered: false });
      expect(calendar.isWorkingDay('2022-11-24')).toBe(true);
      // runs always (not a skipped test): "skip" is the count passing over the day off
      // 3 working days from Mon 22/11/2027 09:00 skip Wed 24/11: due Fri 26/11/2027 09:00
      const due = new DeadlineCalculator(calendar).computeDueDate({
        receivedAt: '2027-11-22T09:00:00+07:00',
        limit: { value: 3, unit: 'WORKING_DAYS' },
      });
      expect(due.originalDueAt).toBe('2027-11-26T09:00:00.000+07:00');
    });

    it('should throw YEAR_NOT_COVERED when the policy is THROW', () => {
      const strict = new LegalCalendar({ uncoveredYear: UncoveredYearPolicy.Throw });
      expect(() => strict.dayStatus('2027-03-01')).toThrow(CalendarException);
      expect(() => strict.dayStatus('2027-03-01')).toThrow(
        expect.objectContaining({ code: CalendarExceptionCode.YearNotCovered }),
      );
    });
  });

  describe('province overrides', () => {
    const override: ProvinceCalendarOverride = {
      provinceCode: '38',
      version: 'vn-cs-38-2025.1',
      daysOff: [
        {
          date: '2025-03-10',
          kind: 'PROVINCIAL',
          name: 'Provincial day off',
          nameVi: 'Nghỉ theo quyết định của tỉnh',
          source: 'test',
          certainty: 'CONFIRMED',
        },
      ],
      workedDays: [
        {
          date: '2025-03-15',
          reason: 'Worked Saturday (provincial)',
          source: 'test',
          certainty: 'CONFIRMED',
        },
      ],
    };

    it('should apply the override when the calendar is built for that province', () => {
      // Arrange
      const thanhHoa = new LegalCalendar({ provinceCode: '38', provinceOverrides: [override] });
      // Act / Assert
      expect(thanhHoa.isWorkingDay('2025-03-10')).toBe(false);
      expect(thanhHoa.isWorkingDay('2025-03-15')).toBe(true);
      expect(thanhHoa.dataVersions).toContain('vn-cs-38-2025.1');
    });

    it('should ignore the override when the calendar is for another province', () => {
      const haNoi = new LegalCalendar({ provinceCode: '01', provinceOverrides: [override] });
      expect(haNoi.isWorkingDay('2025-03-10')).toBe(true);
      expect(haNoi.isWorkingDay('2025-03-15')).toBe(false);
    });
  });

  describe('working time', () => {
    it('should have 8 working hours a day when using the default sessions', () => {
      expect(calendar.workingMinutesPerDay).toBe(480);
      expect(calendar.openingTime).toBe('07:00');
      expect(calendar.closingTime).toBe('17:00');
    });

    it('should continue on the worked Saturday when adding time on Friday 25/4/2025 afternoon', () => {
      // Act
      const due = calendar.addWorkingMinutes('2025-04-25T16:00:00+07:00', 120);
      // Assert
      expect(toVnIso(due)).toBe('2025-04-26T08:00:00.000+07:00');
    });

    // runs always (not a skipped test): "skip" is the calendar passing over days off
    it('should skip the midday break and Tết when adding working time', () => {
      // Act
      const due = calendar.addWorkingMinutes('2025-01-24T11:00:00+07:00', 60);
      const afterTet = calendar.addWorkingMinutes('2025-01-24T16:30:00+07:00', 60);
      // Assert
      expect(describeVnInstant(due)).toBe('Fri 2025-01-24 14:00');
      expect(describeVnInstant(afterTet)).toBe('Mon 2025-02-03 07:30');
    });

    it('should end on the session end when the time is used up exactly at closing', () => {
      expect(describeVnInstant(calendar.addWorkingMinutes('2025-03-03T16:00:00+07:00', 60))).toBe(
        'Mon 2025-03-03 17:00',
      );
    });

    it('should count only session time when measuring working minutes', () => {
      expect(
        calendar.workingMinutesBetween('2025-03-03T10:00:00+07:00', '2025-03-04T10:00:00+07:00'),
      ).toBe(480);
      expect(
        calendar.workingMinutesBetween('2025-03-07T16:00:00+07:00', '2025-03-10T08:00:00+07:00'),
      ).toBe(120);
    });

    it('should support custom office hours when configured', () => {
      const custom = new LegalCalendar({
        workingHours: {
          sessions: [
            { start: '08:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
        },
      });
      expect(custom.workingMinutesPerDay).toBe(480);
      expect(describeVnInstant(custom.nextWorkingInstant('2025-03-03T12:30:00+07:00'))).toBe(
        'Mon 2025-03-03 13:00',
      );
    });

    it('should throw INVALID_WORKING_HOURS when sessions overlap', () => {
      const act = () =>
        new LegalCalendar({
          workingHours: {
            sessions: [
              { start: '07:00', end: '12:00' },
              { start: '11:00', end: '17:00' },
            ],
          },
        });
      expect(act).toThrow(
        expect.objectContaining({ code: CalendarExceptionCode.InvalidWorkingHours }),
      );
    });

    const instantArb = fc.integer({
      min: toEpochMillis('2023-01-01T00:00:00+07:00'),
      max: toEpochMillis('2026-12-31T23:59:00+07:00'),
    });

    it('should always land on a working day within working hours when adding working time', () => {
      fc.assert(
        fc.property(instantArb, fc.integer({ min: 1, max: 480 * 30 }), (from, minutes) => {
          const due = calendar.addWorkingMinutes(from, minutes);
          const date = toVnDate(due);
          expect(calendar.isWorkingDay(date)).toBe(true);
          expect(due).toBeGreaterThan(from);
          expect(due).toBeLessThanOrEqual(calendar.closingInstant(date));
          expect(due).toBeGreaterThan(atVnTime(date, '07:00'));
        }),
        { numRuns: 200 },
      );
    });

    it('should measure back exactly the working minutes it added', () => {
      fc.assert(
        fc.property(instantArb, fc.integer({ min: 0, max: 480 * 20 }), (from, minutes) => {
          const start = calendar.nextWorkingInstant(from);
          expect(
            calendar.workingMinutesBetween(start, calendar.addWorkingMinutes(start, minutes)),
          ).toBe(minutes);
        }),
        { numRuns: 200 },
      );
    });

    it('should never give a non-working day as the next working day', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4 * 366 }), (offset) => {
          const date = addDays('2023-01-01', offset);
          const next = calendar.nextWorkingDay(date);
          expect(next > date).toBe(true);
          expect(calendar.isWorkingDay(next)).toBe(true);
          for (let d = addDays(date, 1); d < next; d = addDays(d, 1))
            expect(calendar.isWorkingDay(d)).toBe(false);
        }),
        { numRuns: 200 },
      );
    });
  });
});
