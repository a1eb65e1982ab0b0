import {
  type CalendarDayOff,
  type CalendarWorkedDay,
  type CalendarYearData,
} from './calendar.type';

/**
 * Days off and worked Saturdays of the civil service (cán bộ, công chức, viên chức), which the one-stop
 * counters follow: 2023–2026 from the notices, 2027 PROVISIONAL (derived from the law, see CALENDAR_2027).
 * VERSIONED DATA: change an entry → bump that year's `version`.
 * Every entry marked UNCERTAIN, and the source of every year, is listed in docs/adr/0102.
 *
 * Rules behind the entries (Labour Code 2019): art. 112(1) holidays: 1/1; Tết Âm lịch 5 days; Giỗ Tổ
 * Hùng Vương 10/3 lunar; 30/4; 1/5; 2/9 + 1 adjacent day; art. 111(3): a holiday on a weekly rest day
 * is made up on the next working day; art. 112(3): the Prime Minister fixes the Tết days and the
 * second National Day day; annual notices may swap a weekday off for a Saturday worked.
 * Holidays that fall on a weekend are recorded too (kind PUBLIC_HOLIDAY / LUNAR_NEW_YEAR) so that
 * explanations can name them; their make-up day is a separate MAKE_UP entry.
 */

const LABOUR_CODE = 'Labour Code 2019 art. 111(3), 112';
const C = 'CONFIRMED' as const;
const U = 'UNCERTAIN' as const;

function off(
  date: string,
  kind: CalendarDayOff['kind'],
  name: string,
  nameVi: string,
  source: string,
  certainty: CalendarDayOff['certainty'] = C,
): CalendarDayOff {
  return { date, kind, name, nameVi, source, certainty };
}

function worked(
  date: string,
  reason: string,
  source: string,
  certainty: CalendarWorkedDay['certainty'] = C,
): CalendarWorkedDay {
  return { date, reason, source, certainty };
}

const SRC_2023 =
  'MOLISA notices on the 2023 Tết and National Day schedule for civil servants (Dec 2022) as reported in the press; ' +
  LABOUR_CODE;
const CALENDAR_2023: CalendarYearData = {
  year: 2023,
  version: 'vn-cs-2023.1',
  effectiveYear: 2023,
  daysOff: [
    off('2023-01-01', 'PUBLIC_HOLIDAY', "New Year's Day (Sunday)", 'Tết Dương lịch', LABOUR_CODE),
    off(
      '2023-01-02',
      'MAKE_UP',
      "Make-up day for New Year's Day on Sunday",
      'Nghỉ bù Tết Dương lịch',
      LABOUR_CODE,
    ),
    off(
      '2023-01-20',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (29 Chạp Nhâm Dần)',
      'Tết Nguyên đán Quý Mão',
      SRC_2023,
    ),
    off(
      '2023-01-21',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (Saturday)',
      'Tết Nguyên đán Quý Mão',
      SRC_2023,
    ),
    off(
      '2023-01-22',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 1st day (Sunday)',
      'Tết Nguyên đán Quý Mão',
      SRC_2023,
    ),
    off(
      '2023-01-23',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 2nd day',
      'Tết Nguyên đán Quý Mão',
      SRC_2023,
    ),
    off(
      '2023-01-24',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 3rd day',
      'Tết Nguyên đán Quý Mão',
      SRC_2023,
    ),
    off('2023-01-25', 'MAKE_UP', 'Lunar New Year make-up day', 'Nghỉ bù Tết Nguyên đán', SRC_2023),
    off('2023-01-26', 'MAKE_UP', 'Lunar New Year make-up day', 'Nghỉ bù Tết Nguyên đán', SRC_2023),
    off(
      '2023-04-29',
      'PUBLIC_HOLIDAY',
      'Hùng Kings Commemoration (Saturday)',
      'Giỗ Tổ Hùng Vương 10/3 âm lịch',
      SRC_2023,
    ),
    off(
      '2023-04-30',
      'PUBLIC_HOLIDAY',
      'Reunification Day (Sunday)',
      'Ngày Giải phóng miền Nam, thống nhất đất nước',
      SRC_2023,
    ),
    off(
      '2023-05-01',
      'PUBLIC_HOLIDAY',
      'International Labour Day',
      'Ngày Quốc tế Lao động',
      LABOUR_CODE,
    ),
    off(
      '2023-05-02',
      'MAKE_UP',
      'Make-up day for the Hùng Kings Commemoration on Saturday',
      'Nghỉ bù Giỗ Tổ Hùng Vương',
      SRC_2023,
    ),
    off(
      '2023-05-03',
      'MAKE_UP',
      'Make-up day for Reunification Day on Sunday',
      'Nghỉ bù 30/4',
      SRC_2023,
    ),
    off(
      '2023-09-01',
      'PUBLIC_HOLIDAY',
      'National Day, adjacent day',
      'Quốc khánh (ngày liền kề)',
      SRC_2023,
    ),
    off('2023-09-02', 'PUBLIC_HOLIDAY', 'National Day (Saturday)', 'Quốc khánh 2/9', LABOUR_CODE),
    off(
      '2023-09-04',
      'MAKE_UP',
      'Make-up day for National Day on Saturday',
      'Nghỉ bù Quốc khánh',
      SRC_2023,
    ),
  ],
  workedDays: [],
};

const SRC_2024 =
  'MOLISA notice on the 2024 Tết and National Day schedule and the Prime Minister’s approval of the 29/4 swap ' +
  '(late 2023 / Mar 2024) as reported in the press; ' +
  LABOUR_CODE;
const CALENDAR_2024: CalendarYearData = {
  year: 2024,
  version: 'vn-cs-2024.1',
  effectiveYear: 2024,
  daysOff: [
    off('2024-01-01', 'PUBLIC_HOLIDAY', "New Year's Day", 'Tết Dương lịch', LABOUR_CODE),
    off(
      '2024-02-08',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (29 Chạp Quý Mão)',
      'Tết Nguyên đán Giáp Thìn',
      SRC_2024,
    ),
    off(
      '2024-02-09',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (30 Chạp Quý Mão)',
      'Tết Nguyên đán Giáp Thìn',
      SRC_2024,
    ),
    off(
      '2024-02-10',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 1st day (Saturday)',
      'Tết Nguyên đán Giáp Thìn',
      SRC_2024,
    ),
    off(
      '2024-02-11',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 2nd day (Sunday)',
      'Tết Nguyên đán Giáp Thìn',
      SRC_2024,
    ),
    off(
      '2024-02-12',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 3rd day',
      'Tết Nguyên đán Giáp Thìn',
      SRC_2024,
    ),
    off('2024-02-13', 'MAKE_UP', 'Lunar New Year make-up day', 'Nghỉ bù Tết Nguyên đán', SRC_2024),
    off('2024-02-14', 'MAKE_UP', 'Lunar New Year make-up day', 'Nghỉ bù Tết Nguyên đán', SRC_2024),
    off(
      '2024-04-18',
      'PUBLIC_HOLIDAY',
      'Hùng Kings Commemoration',
      'Giỗ Tổ Hùng Vương 10/3 âm lịch',
      LABOUR_CODE,
    ),
    off(
      '2024-04-29',
      'SWAPPED',
      'Swapped day off (Saturday 2024-05-04 worked)',
      'Nghỉ hoán đổi',
      SRC_2024,
    ),
    off(
      '2024-04-30',
      'PUBLIC_HOLIDAY',
      'Reunification Day',
      'Ngày Giải phóng miền Nam, thống nhất đất nước',
      LABOUR_CODE,
    ),
    off(
      '2024-05-01',
      'PUBLIC_HOLIDAY',
      'International Labour Day',
      'Ngày Quốc tế Lao động',
      LABOUR_CODE,
    ),
    off('2024-09-02', 'PUBLIC_HOLIDAY', 'National Day', 'Quốc khánh 2/9', LABOUR_CODE),
    off(
      '2024-09-03',
      'PUBLIC_HOLIDAY',
      'National Day, adjacent day',
      'Quốc khánh (ngày liền kề)',
      SRC_2024,
    ),
  ],
  workedDays: [worked('2024-05-04', 'Worked Saturday in exchange for Monday 2024-04-29', SRC_2024)],
};

const SRC_2025 =
  'domain.md §2.1 [V: HOL] (Tết 27–31/1/2025; Fri 2/5 off, Sat 26/4 worked); MOLISA notices on the 2025 schedule; ' +
  LABOUR_CODE;
const CALENDAR_2025: CalendarYearData = {
  year: 2025,
  version: 'vn-cs-2025.1',
  effectiveYear: 2025,
  daysOff: [
    off('2025-01-01', 'PUBLIC_HOLIDAY', "New Year's Day", 'Tết Dương lịch', LABOUR_CODE),
    off(
      '2025-01-27',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (28 Chạp Giáp Thìn)',
      'Tết Nguyên đán Ất Tỵ',
      SRC_2025,
    ),
    off(
      '2025-01-28',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (29 Chạp, New Year’s Eve)',
      'Tết Nguyên đán Ất Tỵ',
      SRC_2025,
    ),
    off(
      '2025-01-29',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 1st day',
      'Tết Nguyên đán Ất Tỵ',
      SRC_2025,
    ),
    off(
      '2025-01-30',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 2nd day',
      'Tết Nguyên đán Ất Tỵ',
      SRC_2025,
    ),
    off(
      '2025-01-31',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 3rd day',
      'Tết Nguyên đán Ất Tỵ',
      SRC_2025,
    ),
    off(
      '2025-04-07',
      'PUBLIC_HOLIDAY',
      'Hùng Kings Commemoration',
      'Giỗ Tổ Hùng Vương 10/3 âm lịch',
      LABOUR_CODE,
    ),
    off(
      '2025-04-30',
      'PUBLIC_HOLIDAY',
      'Reunification Day',
      'Ngày Giải phóng miền Nam, thống nhất đất nước',
      LABOUR_CODE,
    ),
    off(
      '2025-05-01',
      'PUBLIC_HOLIDAY',
      'International Labour Day',
      'Ngày Quốc tế Lao động',
      LABOUR_CODE,
    ),
    off(
      '2025-05-02',
      'SWAPPED',
      'Swapped day off (Saturday 2025-04-26 worked)',
      'Nghỉ hoán đổi',
      SRC_2025,
    ),
    off(
      '2025-09-01',
      'PUBLIC_HOLIDAY',
      'National Day, adjacent day',
      'Quốc khánh (ngày liền kề)',
      SRC_2025,
    ),
    off('2025-09-02', 'PUBLIC_HOLIDAY', 'National Day', 'Quốc khánh 2/9', LABOUR_CODE),
  ],
  workedDays: [worked('2025-04-26', 'Worked Saturday in exchange for Friday 2025-05-02', SRC_2025)],
};

const SRC_2026_TET =
  'domain.md §2.1 [V: caicachhanhchinh.dongnai.gov.vn]: Tết closure Sat 14/2 – Sun 22/2/2026';
const SRC_2026 =
  'Ministry of Home Affairs proposals for the 2026 schedule as recalled from the press [I]; ' +
  LABOUR_CODE;
const CALENDAR_2026: CalendarYearData = {
  year: 2026,
  version: 'vn-cs-2026.1',
  effectiveYear: 2026,
  daysOff: [
    off('2026-01-01', 'PUBLIC_HOLIDAY', "New Year's Day", 'Tết Dương lịch', LABOUR_CODE),
    off(
      '2026-01-02',
      'SWAPPED',
      'Swapped day off (Saturday 2026-01-10 worked)',
      'Nghỉ hoán đổi',
      SRC_2026,
      U,
    ),
    off(
      '2026-02-16',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (New Year’s Eve)',
      'Tết Nguyên đán Bính Ngọ',
      SRC_2026_TET,
    ),
    off(
      '2026-02-17',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 1st day',
      'Tết Nguyên đán Bính Ngọ',
      SRC_2026_TET,
    ),
    off(
      '2026-02-18',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 2nd day',
      'Tết Nguyên đán Bính Ngọ',
      SRC_2026_TET,
    ),
    off(
      '2026-02-19',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 3rd day',
      'Tết Nguyên đán Bính Ngọ',
      SRC_2026_TET,
    ),
    off(
      '2026-02-20',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 4th day',
      'Tết Nguyên đán Bính Ngọ',
      SRC_2026_TET,
    ),
    off(
      '2026-04-26',
      'PUBLIC_HOLIDAY',
      'Hùng Kings Commemoration (Sunday)',
      'Giỗ Tổ Hùng Vương 10/3 âm lịch',
      LABOUR_CODE,
    ),
    off(
      '2026-04-27',
      'MAKE_UP',
      'Make-up day for the Hùng Kings Commemoration on Sunday',
      'Nghỉ bù Giỗ Tổ Hùng Vương',
      LABOUR_CODE,
    ),
    off(
      '2026-04-30',
      'PUBLIC_HOLIDAY',
      'Reunification Day',
      'Ngày Giải phóng miền Nam, thống nhất đất nước',
      LABOUR_CODE,
    ),
    off(
      '2026-05-01',
      'PUBLIC_HOLIDAY',
      'International Labour Day',
      'Ngày Quốc tế Lao động',
      LABOUR_CODE,
    ),
    off(
      '2026-09-01',
      'PUBLIC_HOLIDAY',
      'National Day, adjacent day',
      'Quốc khánh (ngày liền kề)',
      SRC_2026,
      U,
    ),
    off('2026-09-02', 'PUBLIC_HOLIDAY', 'National Day', 'Quốc khánh 2/9', LABOUR_CODE),
    off(
      '2026-11-24',
      'PUBLIC_HOLIDAY',
      'Vietnam Culture Day',
      'Ngày Văn hóa Việt Nam',
      'domain.md §2.1 [S]: NQ 28/2026/QH16, paid day off from 1/7/2026',
      U,
    ),
  ],
  workedDays: [
    worked('2026-01-10', 'Worked Saturday in exchange for Friday 2026-01-02', SRC_2026, U),
  ],
  notes: [
    'No swap assumed around 30/4/2026 (Tue 28/4 and Wed 29/4 are working days).',
    'Check the 2026 notices of the Ministry of Home Affairs and bump the version when confirmed.',
  ],
};

/**
 * 2027 is PROVISIONAL (ADR 0102, amendment 2026-11-25): no notice for 2027 has been published yet, so the year is
 * derived from the Labour Code and the pattern of the 2023–2026 notices, every entry UNCERTAIN. Replace it with
 * the official notice (version `vn-cs-2027.1`, `provisional` removed) as soon as it is published.
 * Lunar dates computed with Hồ Ngọc Đức's Vietnamese lunar calendar algorithm (UTC+7), checked in
 * lunar-dates.spec.ts against Tết and Giỗ Tổ 2023–2026: 1/1 Đinh Mùi = Sat 6/2/2027 (Fri 5/2 is 29 Chạp Bính Ngọ,
 * New Year's Eve; the month has no 30th); 10/3 Đinh Mùi = Fri 16/4/2027.
 */
const SRC_2027 =
  'provisional: derived from Labour Code 2019 art. 111(3), 112 pending the 2027 notice';
const SRC_2027_TET =
  SRC_2027 +
  '; Tết days placed as in the 2024 notice (1/1 lunar also on a Saturday: 2 days before, 3 from 1/1)';
const CALENDAR_2027: CalendarYearData = {
  year: 2027,
  version: 'vn-cs-2027.provisional-1',
  effectiveYear: 2027,
  provisional: true,
  daysOff: [
    off('2027-01-01', 'PUBLIC_HOLIDAY', "New Year's Day", 'Tết Dương lịch', SRC_2027, U),
    off(
      '2027-02-04',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (28 Chạp Bính Ngọ)',
      'Tết Nguyên đán Đinh Mùi',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-05',
      'LUNAR_NEW_YEAR',
      'Lunar New Year (29 Chạp, New Year’s Eve)',
      'Tết Nguyên đán Đinh Mùi',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-06',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 1st day (Saturday)',
      'Tết Nguyên đán Đinh Mùi',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-07',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 2nd day (Sunday)',
      'Tết Nguyên đán Đinh Mùi',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-08',
      'LUNAR_NEW_YEAR',
      'Lunar New Year, 3rd day',
      'Tết Nguyên đán Đinh Mùi',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-09',
      'MAKE_UP',
      'Lunar New Year make-up day',
      'Nghỉ bù Tết Nguyên đán',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-02-10',
      'MAKE_UP',
      'Lunar New Year make-up day',
      'Nghỉ bù Tết Nguyên đán',
      SRC_2027_TET,
      U,
    ),
    off(
      '2027-04-16',
      'PUBLIC_HOLIDAY',
      'Hùng Kings Commemoration',
      'Giỗ Tổ Hùng Vương 10/3 âm lịch',
      SRC_2027,
      U,
    ),
    off(
      '2027-04-30',
      'PUBLIC_HOLIDAY',
      'Reunification Day',
      'Ngày Giải phóng miền Nam, thống nhất đất nước',
      SRC_2027,
      U,
    ),
    off(
      '2027-05-01',
      'PUBLIC_HOLIDAY',
      'International Labour Day (Saturday)',
      'Ngày Quốc tế Lao động',
      SRC_2027,
      U,
    ),
    off(
      '2027-05-03',
      'MAKE_UP',
      'Make-up day for International Labour Day on Saturday',
      'Nghỉ bù Ngày Quốc tế Lao động',
      SRC_2027,
      U,
    ),
    off('2027-09-02', 'PUBLIC_HOLIDAY', 'National Day', 'Quốc khánh 2/9', SRC_2027, U),
    off(
      '2027-09-03',
      'PUBLIC_HOLIDAY',
      'National Day, adjacent day',
      'Quốc khánh (ngày liền kề)',
      SRC_2027,
      U,
    ),
    off(
      '2027-11-24',
      'PUBLIC_HOLIDAY',
      'Vietnam Culture Day',
      'Ngày Văn hóa Việt Nam',
      SRC_2027 + '; domain.md §2.1 [S]: NQ 28/2026/QH16',
      U,
    ),
  ],
  workedDays: [],
  notes: [
    'PROVISIONAL: no 2027 notice yet; replace with the official notice (version vn-cs-2027.1) when published.',
    'No weekday/Saturday swaps: they are decided by each year’s notice and cannot be derived from the law.',
    'Tết alternative (1 day before + 4 from 1/1, as in 2026) would close Fri 5/2 – Thu 11/2 instead of Thu 4/2 – Wed 10/2.',
  ],
};

/** The national civil-service calendar, one entry per covered year (2027 provisional). */
export const CIVIL_SERVICE_CALENDAR: readonly CalendarYearData[] = [
  CALENDAR_2023,
  CALENDAR_2024,
  CALENDAR_2025,
  CALENDAR_2026,
  CALENDAR_2027,
];
