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
      expect(status).toMatchObject({ working, reason, covered: true, provisional: false });
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
        expect(year.version).toMatch(
          year.provisional === true
            ? new RegExp(`^vn-cs-${year.year}\\.provisional-\\d+$`)
            : new RegExp(`^vn-cs-${year.year}\\.\\d+$`),
        );
        const swapped = year.daysOff.filter((d) => d.kind === 'SWAPPED').length;
        expect(year.workedDays).toHaveLength(swapped);
        for (const d of year.daysOff.filter((x) => x.kind === 'MAKE_UP' || x.kind === 'SWAPPED')) {
          expect(isoWeekday(d.date)).toBeLessThan(6);
        }
      }
      expect(calendar.coveredYears).toEqual([2023, 2024, 2025, 2026, 2027]);
      expect(calendar.provisionalYears).toEqual([2027]);
      expect(calendar.dataVersions).toEqual([
        'vn-cs-2023.1',
        'vn-cs-2024.1',
        'vn-cs-2025.1',
        'vn-cs-2026.1',
        'vn-cs-2027.provisional-1',
      ]);
    });

    it.each([
      ['a CONFIRMED entry', 'vn-cs-2030.provisional-1', 'CONFIRMED' as const],
      ['a version that does not say provisional', 'vn-cs-2030.1', 'UNCERTAIN' as const],
    ])(
      'should throw INVALID_CALENDAR_DATA when a provisional year has %s',
      (_what, version, certainty) => {
        const act = () =>
          new LegalCalendar({
            years: [
              {
                year: 2030,
                version,
                effectiveYear: 2030,
                provisional: true,
                daysOff: [
                  {
                    date: '2030-01-01',
                    kind: 'PUBLIC_HOLIDAY',
                    name: "New Year's Day",
                    nameVi: 'Tết Dương lịch',
                    source: 's',
                    certainty,
                  },
                ],
                workedDays: [],
              },
            ],
          });
        expect(act).toThrow(
          expect.objectContaining({ code: CalendarExceptionCode.InvalidCalendarData }),
        );
      },
    );

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

  describe('provisional 2027 (ADR 0102, amendment 2026-11-25)', () => {
    const calculator = new DeadlineCalculator(calendar);
    const workingDays = (receivedAt: string, value: number) =>
      calculator.computeDueDate({ receivedAt, limit: { value, unit: 'WORKING_DAYS' } });
    const PROVISIONAL_NOTE =
      // runs always (not a skipped test): "pending the … notice" is the provisional-calendar wording
      '[provisional data vn-cs-2027.provisional-1, pending the official 2027 notice: ' +
      'dự kiến, chưa có thông báo chính thức]';

    it.each([
      // New Year's Day: Friday, no make-up day.
      ['2027-01-01', false, DayStatusReason.DayOff],
      // Tết Đinh Mùi (1/1 lunar = Sat 6/2): Thu 4/2 – Mon 8/2 Tết days, Tue 9/2 + Wed 10/2 make-up days.
      ['2027-02-03', true, DayStatusReason.WorkingDay],
      ['2027-02-04', false, DayStatusReason.DayOff],
      ['2027-02-05', false, DayStatusReason.DayOff],
      ['2027-02-06', false, DayStatusReason.DayOff],
      ['2027-02-07', false, DayStatusReason.DayOff],
      ['2027-02-08', false, DayStatusReason.DayOff],
      ['2027-02-09', false, DayStatusReason.DayOff],
      ['2027-02-10', false, DayStatusReason.DayOff],
      ['2027-02-11', true, DayStatusReason.WorkingDay],
      // Giỗ Tổ Hùng Vương (10/3 lunar) Fri 16/4; Sat 1/5 made up on Mon 3/5; 2/9 Thu + Fri 3/9.
      ['2027-04-15', true, DayStatusReason.WorkingDay],
      ['2027-04-16', false, DayStatusReason.DayOff],
      ['2027-04-30', false, DayStatusReason.DayOff],
      ['2027-05-03', false, DayStatusReason.DayOff],
      ['2027-05-04', true, DayStatusReason.WorkingDay],
      ['2027-09-01', true, DayStatusReason.WorkingDay],
      ['2027-09-02', false, DayStatusReason.DayOff],
      ['2027-09-03', false, DayStatusReason.DayOff],
      ['2027-11-24', false, DayStatusReason.DayOff],
    ])('should say %s is working=%s (%s), covered but provisional', (date, working, reason) => {
      expect(calendar.dayStatus(date)).toMatchObject({
        working,
        reason,
        covered: true,
        provisional: true,
      });
    });

    it('should mark every 2027 entry UNCERTAIN with the provisional source and assume no swap', () => {
      const year = CIVIL_SERVICE_CALENDAR.find((y) => y.year === 2027);
      expect(year).toMatchObject({ version: 'vn-cs-2027.provisional-1', provisional: true });
      expect(year?.workedDays).toEqual([]);
      expect(year?.daysOff.filter((d) => d.kind === 'SWAPPED')).toEqual([]);
      expect(year?.daysOff).toHaveLength(15);
      for (const d of year?.daysOff ?? []) {
        expect(d.certainty).toBe('UNCERTAIN');
        expect(d.source).toContain(
          // runs always (not a skipped test): "pending the … notice" is the provisional-calendar source text
          'provisional: derived from Labour Code 2019 art. 111(3), 112 pending the 2027 notice',
        );
      }
    });

    it('should pass over Tết 2027 and its make-up days when 5 working days run from Mon 1/2/2027 09:00', () => {
      // Mon 1/2 09:00 + Tue 2, Wed 3 = 2 days; Thu 4 – Wed 10 closed; Thu 11, Fri 12, Mon 15 09:00 = 5.
      const due = workingDays('2027-02-01T09:00:00+07:00', 5);
      expect(due.originalDueAt).toBe('2027-02-15T09:00:00.000+07:00');
      expect(due.calendarVersions).toContain('vn-cs-2027.provisional-1');
    });

    it('should end after Tết 2027 when a long limit starts in mid-December 2026', () => {
      // 40 working days from Tue 15/12/2026 09:00 pass 1/1/2027 and the 7-day Tết closure.
      const due = workingDays('2026-12-15T09:00:00+07:00', 40);
      expect(due.originalDueAt).toBe('2027-02-17T09:00:00.000+07:00');
    });

    it('should pass over Giỗ Tổ Fri 16/4/2027 when 2 working days run from Thu 15/4 09:00', () => {
      expect(workingDays('2027-04-15T09:00:00+07:00', 2).originalDueAt).toBe(
        '2027-04-20T09:00:00.000+07:00',
      );
    });

    it('should pass over 30/4 – 3/5/2027 and say the days are provisional, not "no calendar data"', () => {
      // Thu 29/4 09:00 + 2 working days: Fri 30/4, Sat 1/5, Sun 2/5 and make-up Mon 3/5 closed → Wed 5/5.
      const due = workingDays('2027-04-29T09:00:00+07:00', 2);
      expect(due.originalDueAt).toBe('2027-05-05T09:00:00.000+07:00');
      expect(due.explanation).toContain(
        // runs always (not a skipped test): "Skipped …" is the due-date explanation's own wording
        `Skipped Mon 2027-05-03 is a day off: Make-up day for International Labour Day on Saturday (Nghỉ bù Ngày Quốc tế Lao động) ${PROVISIONAL_NOTE}`,
      );
      expect(due.explanation.join('\n')).not.toContain('No calendar data for 2027');
    });

    it('should pass over both National Day days Thu 2/9 and Fri 3/9/2027 when counting working days', () => {
      expect(workingDays('2027-09-01T09:00:00+07:00', 1).originalDueAt).toBe(
        '2027-09-06T09:00:00.000+07:00',
      );
    });

    it('should say in English and Vietnamese that a 2027 day off is provisional when describing it', () => {
      expect(calendar.describeDay('2027-02-06')).toBe(
        `Sat 2027-02-06 is a day off: Lunar New Year, 1st day (Saturday) (Tết Nguyên đán Đinh Mùi) ${PROVISIONAL_NOTE}`,
      );
      expect(calendar.describeDay('2027-02-11')).toBe(
        `Thu 2027-02-11 is a working day ${PROVISIONAL_NOTE}`,
      );
      expect(calendar.describeDay('2026-02-17')).not.toContain('provisional');
      const due = workingDays('2027-02-01T09:00:00+07:00', 5);
      for (const date of ['2027-02-04', '2027-02-06', '2027-02-09', '2027-02-10']) {
        // runs always (not a skipped test): "Skipped …" is the due-date explanation's own wording
        const line = due.explanation.find((x) => x.startsWith('Skipped ') && x.includes(date));
        expect(line).toContain(PROVISIONAL_NOTE);
      }
    });

    it('should keep the fixed-holiday fallback for 2028, the first year still without data', () => {
      // Mon 20/12/2027 09:00 + 10 working days: Sat 1/1/2028 made up on Mon 3/1 (fallback) → Tue 4/1/2028.
      const due = workingDays('2027-12-20T09:00:00+07:00', 10);
      expect(due.originalDueAt).toBe('2028-01-04T09:00:00.000+07:00');
      expect(due.explanation).toContain(
        // runs always (not a skipped test): "Skipped …" is the due-date explanation's own wording
        "Skipped Mon 2028-01-03 is a day off: Make-up day for New Year's Day on a weekly rest day (Nghỉ bù Tết Dương lịch) [no calendar data for this year: fixed-date holidays only]",
      );
      expect(due.explanation).toContain(
        'No calendar data for 2028: only weekends and the fixed-date holidays 1/1, 30/4, 1/5, 2/9 (24/11 from 2026), with their make-up days, were applied there',
      );
    });

    it('should not mark a day decided by a province override as provisional', () => {
      const override: ProvinceCalendarOverride = {
        provinceCode: '38',
        version: 'vn-cs-38-2027.1',
        daysOff: [
          {
            date: '2027-03-10',
            kind: 'PROVINCIAL',
            name: 'Provincial day off',
            nameVi: 'Nghỉ theo quyết định của tỉnh',
            source: 'test',
            certainty: 'CONFIRMED',
          },
        ],
        workedDays: [],
      };
      const thanhHoa = new LegalCalendar({ provinceCode: '38', provinceOverrides: [override] });
      expect(thanhHoa.dayStatus('2027-03-10')).toMatchObject({
        working: false,
        provisional: false,
        dataVersion: 'vn-cs-38-2027.1',
      });
      expect(thanhHoa.describeDay('2027-03-10')).not.toContain('provisional');
      expect(thanhHoa.dayStatus('2027-02-05')).toMatchObject({ working: false, provisional: true });
    });
  });

  describe('years without data', () => {
    it('should apply only weekends and fixed-date holidays when the year is not covered', () => {
      expect(calendar.dayStatus('2028-09-02')).toMatchObject({
        working: false,
        covered: false,
        provisional: false,
        reason: DayStatusReason.DayOff,
      });
      // Wed 26/1/2028 is Tết Mậu Thân (1/1 lunar): no 2028 data yet, so an ordinary working day
      expect(calendar.dayStatus('2028-01-26')).toMatchObject({ working: true, covered: false });
    });

    it('should make up a fixed-date holiday on a weekly rest day on the next working day (art. 111(3)) when the year is not covered', () => {
      // Sat 1/1/2028 → Mon 3/1/2028 off; Sun 30/4/2028 and Mon 1/5/2028 → Tue 2/5/2028 off; Sun 2/9/2029 → Mon 3/9
      expect(calendar.dayStatus('2028-01-03')).toMatchObject({
        working: false,
        covered: false,
        dayOff: expect.objectContaining({ kind: 'MAKE_UP', nameVi: 'Nghỉ bù Tết Dương lịch' }),
      });
      expect(calendar.isWorkingDay('2028-01-04')).toBe(true);
      expect(calendar.isWorkingDay('2028-05-01')).toBe(false);
      expect(calendar.isWorkingDay('2028-05-02')).toBe(false);
      expect(calendar.isWorkingDay('2028-05-03')).toBe(true);
      expect(calendar.isWorkingDay('2029-09-03')).toBe(false);
      expect(calendar.isWeekdayDayOff('2028-01-03')).toBe(true);
    });

    it('should make up Sat 1/5/2027 on Mon 3/5 with the fixed-holiday fallback when a calendar has no 2027 data', () => {
      // the fallback rule itself, on a calendar built without the provisional 2027 year
      const without2027 = new LegalCalendar({
        years: CIVIL_SERVICE_CALENDAR.filter((y) => y.year !== 2027),
      });
      expect(without2027.dayStatus('2027-05-03')).toMatchObject({
        working: false,
        covered: false,
        dayOff: expect.objectContaining({
          kind: 'MAKE_UP',
          nameVi: 'Nghỉ bù Ngày Quốc tế Lao động',
        }),
      });
      expect(without2027.isWorkingDay('2027-05-04')).toBe(true);
    });

    it('should keep Vietnam Culture Day 24/11 off in years after 2026 without data, not before 2026', () => {
      expect(calendar.dayStatus('2028-11-24')).toMatchObject({ working: false, covered: false });
      expect(calendar.isWorkingDay('2022-11-24')).toBe(true);
      // 3 working days from Wed 22/11/2028 09:00 pass over Fri 24/11: due Tue 28/11/2028 09:00
      const due = new DeadlineCalculator(calendar).computeDueDate({
        receivedAt: '2028-11-22T09:00:00+07:00',
        limit: { value: 3, unit: 'WORKING_DAYS' },
      });
      expect(due.originalDueAt).toBe('2028-11-28T09:00:00.000+07:00');
    });

    it('should throw YEAR_NOT_COVERED when the policy is THROW', () => {
      const strict = new LegalCalendar({ uncoveredYear: UncoveredYearPolicy.Throw });
      expect(() => strict.dayStatus('2028-03-01')).toThrow(CalendarException);
      expect(() => strict.dayStatus('2028-03-01')).toThrow(
        expect.objectContaining({ code: CalendarExceptionCode.YearNotCovered }),
      );
      expect(strict.dayStatus('2027-03-01')).toMatchObject({ working: true, covered: true });
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

    it('should pass over the midday break and Tết when adding working time', () => {
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
      max: toEpochMillis('2027-12-31T23:59:00+07:00'),
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
        fc.property(fc.integer({ min: 0, max: 5 * 366 }), (offset) => {
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
