import { isoWeekday } from '../time';
import { CIVIL_SERVICE_CALENDAR } from './civil-service-calendar.data';

/**
 * Checks the lunar dates in the calendar data (Tết 1/1 and Giỗ Tổ Hùng Vương 10/3) with Hồ Ngọc Đức's Vietnamese
 * lunar calendar algorithm (new moons and solar terms after Jean Meeus, "Astronomical Algorithms", computed for
 * UTC+7, which is what makes the Vietnamese calendar differ from the Chinese one in some years). Test code only:
 * the production calendar never converts lunar dates, it reads them from the versioned data (ADR 0102).
 */
const TZ = 7;
const { floor, sin, PI } = Math;

function jdFromDate(dd: number, mm: number, yy: number): number {
  const a = floor((14 - mm) / 12);
  const y = yy + 4800 - a;
  const m = mm + 12 * a - 3;
  return (
    dd + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - floor(y / 100) + floor(y / 400) - 32045
  );
}

/** Julian day (fractional) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let c1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M);
  c1 = c1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr);
  c1 = c1 - 0.0004 * sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** Sun's apparent longitude (radians) at a Julian day. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * sin(dr * M);
  DL += (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.00029 * sin(dr * 3 * M);
  const L = (L0 + DL) * dr;
  return L - PI * 2 * floor(L / (PI * 2));
}

/** Solar-term sector (0..11, 30° each) of the sun at local midnight of day `dayNumber`. */
const sunSector = (dayNumber: number): number =>
  floor((sunLongitude(dayNumber - 0.5 - TZ / 24) / PI) * 6);
const newMoonDay = (k: number): number => floor(newMoon(k) + 0.5 + TZ / 24);

/** Day number of the start of lunar month 11 (the month containing the winter solstice) before 31/12/yy. */
function lunarMonth11(yy: number): number {
  const k = floor((jdFromDate(31, 12, yy) - 2415021) / 29.530588853);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

function leapMonthOffset(a11: number): number {
  const k = floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i += 1;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

interface LunarDate {
  day: number;
  month: number;
  leap: boolean;
}

/** Solar local date `YYYY-MM-DD` (Vietnam) → lunar day/month. */
function toLunar(date: string): LunarDate {
  const [yy, mm, dd] = date.split('-').map(Number);
  const dayNumber = jdFromDate(dd, mm, yy);
  const k = floor((dayNumber - 2415021.076998695) / 29.530588853);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = lunarMonth11(yy);
  let b11 = a11;
  if (a11 >= monthStart) a11 = lunarMonth11(yy - 1);
  else b11 = lunarMonth11(yy + 1);
  const diff = floor((monthStart - a11) / 29);
  let month = diff + 11;
  let leap = false;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (month > 12) month -= 12;
  return { day: dayNumber - monthStart + 1, month, leap };
}

describe('lunar dates in the civil-service calendar data', () => {
  it.each([
    // Published Tết dates; 2007 and 1985 are the years where Vietnam (UTC+7) and China (UTC+8) differ.
    ['1985-01-21'],
    ['2007-02-17'],
    ['2020-01-25'],
    ['2021-02-12'],
    ['2022-02-01'],
  ])('should give lunar 1/1 for the published Tết date %s (algorithm check)', (date) => {
    expect(toLunar(date)).toEqual({ day: 1, month: 1, leap: false });
  });

  it.each(CIVIL_SERVICE_CALENDAR.map((y) => [y.year, y] as const))(
    'should put Tết 1/1 and Giỗ Tổ 10/3 of %i on the lunar dates the law names',
    (_year, data) => {
      const tet = data.daysOff.filter((d) => d.name.startsWith('Lunar New Year, 1st day'));
      const gioTo = data.daysOff.filter((d) => d.nameVi === 'Giỗ Tổ Hùng Vương 10/3 âm lịch');
      expect(tet).toHaveLength(1);
      expect(gioTo).toHaveLength(1);
      expect(toLunar(tet[0].date)).toEqual({ day: 1, month: 1, leap: false });
      expect(toLunar(gioTo[0].date)).toEqual({ day: 10, month: 3, leap: false });
    },
  );

  it('should place provisional Tết Đinh Mùi on Sat 6/2/2027, after 28 and 29 Chạp, and Giỗ Tổ on Fri 16/4/2027', () => {
    const year = CIVIL_SERVICE_CALENDAR.find((y) => y.year === 2027);
    const tet = (year?.daysOff ?? []).filter((d) => d.kind === 'LUNAR_NEW_YEAR').map((d) => d.date);
    expect(tet).toEqual(['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(tet.map(toLunar)).toEqual([
      { day: 28, month: 12, leap: false },
      // 29 Chạp is New Year's Eve: the last month of Bính Ngọ has no 30th
      { day: 29, month: 12, leap: false },
      { day: 1, month: 1, leap: false },
      { day: 2, month: 1, leap: false },
      { day: 3, month: 1, leap: false },
    ]);
    expect(isoWeekday('2027-02-06')).toBe(6);
    const gioTo = year?.daysOff.find((d) => d.nameVi === 'Giỗ Tổ Hùng Vương 10/3 âm lịch');
    expect(gioTo?.date).toBe('2027-04-16');
    expect(isoWeekday('2027-04-16')).toBe(5);
  });
});
