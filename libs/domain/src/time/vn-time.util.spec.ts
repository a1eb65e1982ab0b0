import fc from 'fast-check';
import {
  TimeFormatException,
  addMonths,
  TimeFormatExceptionCode,
  addDays,
  atVnTime,
  diffDays,
  fromDvcqgTimestamp,
  isLocalDate,
  isoWeekday,
  parseTimeOfDay,
  toDvcqgTimestamp,
  toEpochMillis,
  toVnDate,
  toVnIso,
  vnMinuteOfDay,
} from './vn-time.util';

describe(toEpochMillis.name, () => {
  it.each([
    ['2025-01-27T08:00:00+07:00', Date.UTC(2025, 0, 27, 1, 0, 0)],
    ['2025-01-27T01:00:00Z', Date.UTC(2025, 0, 27, 1, 0, 0)],
    ['2025-01-27T01:00Z', Date.UTC(2025, 0, 27, 1, 0, 0)],
    ['2025-01-27T08:00:00.250+0700', Date.UTC(2025, 0, 27, 1, 0, 0, 250)],
    ['2025-01-26T20:00:00-05:00', Date.UTC(2025, 0, 27, 1, 0, 0)],
  ])('should read %s as the right instant when it has an explicit offset', (input, expected) => {
    // Act
    const ms = toEpochMillis(input);
    // Assert
    expect(ms).toBe(expected);
  });

  it.each([
    '2025-01-27T08:00:00',
    '2025-01-27',
    '2025-02-30T08:00:00+07:00',
    'yesterday',
    '2025-01-27T25:00:00Z',
  ])('should throw INVALID_INSTANT when given %s', (input) => {
    // Act
    const act = () => toEpochMillis(input);
    // Assert
    expect(act).toThrow(TimeFormatException);
    expect(act).toThrow(expect.objectContaining({ code: TimeFormatExceptionCode.InvalidInstant }));
  });
});

describe('toEpochMillis / toVnDate on the forms events carry (fast path)', () => {
  // the general reading (regular expression), as the functions define it
  const ISO =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;
  const reference = (input: string): number | 'invalid' => {
    const m = ISO.exec(input);
    if (m === null) return 'invalid';
    const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const second = m[6] === undefined ? 0 : Number(m[6]);
    const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59)
      return 'invalid';
    const zone = m[8]!;
    const digits = zone.slice(1).replace(':', '');
    const offset =
      zone === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) *
          (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0));
    return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  };
  const two = (min: number, max: number) =>
    fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
  const instant = fc
    .tuple(
      fc.constantFrom(
        '2025',
        '2024',
        '2000',
        '1900',
        '2100',
        '0025',
        '0000',
        '1000',
        '0999',
        '9999',
      ),
      two(0, 13),
      two(0, 32),
      two(0, 25),
      two(0, 61),
      fc.option(two(0, 61), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^\d{0,10}$/)), {
        nil: undefined,
      }),
      fc.constantFrom(
        'Z',
        '+07:00',
        '+0700',
        '+07',
        '-05:00',
        '-00:00',
        '+99:99',
        '+7:00',
        'z',
        '',
        '+07:00 ',
      ),
    )
    .map(
      ([y, mo, d, h, mi, s, f, z]) =>
        `${y}-${mo}-${d}T${h}:${mi}${s === undefined ? '' : `:${s}`}${f === undefined ? '' : f[0] + f[1]}${z}`,
    );

  it('should read every string like the general reading (value, Vietnam date, or INVALID_INSTANT)', () => {
    fc.assert(
      fc.property(instant, (input) => {
        const expected = reference(input);
        if (expected === 'invalid') {
          expect(() => toEpochMillis(input)).toThrow(TimeFormatException);
          expect(() => toVnDate(input)).toThrow(TimeFormatException);
        } else {
          expect(toEpochMillis(input)).toBe(expected);
          expect(toVnDate(input)).toBe(toVnDate(expected));
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe(toVnDate.name, () => {
  it('should give the next local day when the UTC time is after 17:00', () => {
    // Arrange
    const instant = '2025-01-26T17:30:00Z';
    // Act
    const date = toVnDate(instant);
    // Assert
    expect(date).toBe('2025-01-27');
  });

  it('should round-trip any instant through toVnIso when parsed back', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
        expect(toEpochMillis(toVnIso(ms))).toBe(ms);
        expect(toVnIso(ms).endsWith('+07:00')).toBe(true);
        expect(toVnIso(ms).slice(0, 10)).toBe(toVnDate(ms));
      }),
    );
  });
});

describe(atVnTime.name, () => {
  it('should build the instant of a local date and time when given HH:mm', () => {
    // Act
    const ms = atVnTime('2025-04-30', '07:30');
    // Assert
    expect(toVnIso(ms)).toBe('2025-04-30T07:30:00.000+07:00');
    expect(vnMinuteOfDay(ms)).toBe(450);
  });
});

describe(isoWeekday.name, () => {
  it.each([
    ['2026-11-24', 2],
    ['2025-04-26', 6],
    ['2026-04-26', 7],
    ['2025-01-27', 1],
  ])('should say %s is ISO weekday %d', (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });
});

describe(addDays.name, () => {
  it('should be inverted by diffDays for any date and offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: -800, max: 800 }),
        (d, n) => {
          const date = toVnDate(d.getTime());
          expect(diffDays(date, addDays(date, n))).toBe(n);
        },
      ),
    );
  });

  it('should cross a leap day when adding days in February 2024', () => {
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });
});

describe(isLocalDate.name, () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-1-1', false],
    [20250101, false],
  ])('should say %s is a local date: %s', (value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });
});

describe(parseTimeOfDay.name, () => {
  it('should throw INVALID_TIME_OF_DAY when the minutes are out of range', () => {
    expect(() => parseTimeOfDay('07:75')).toThrow(
      expect.objectContaining({ code: TimeFormatExceptionCode.InvalidTimeOfDay }),
    );
  });
});

describe(toDvcqgTimestamp.name, () => {
  it('should write yyyyMMddHHmmss in Vietnam time and read it back', () => {
    // Arrange
    const instant = '2023-07-19T02:05:09Z';
    // Act
    const wire = toDvcqgTimestamp(instant);
    // Assert
    expect(wire).toBe('20230719090509');
    expect(fromDvcqgTimestamp(wire)).toBe(toEpochMillis(instant));
  });

  it('should throw INVALID_DVCQG_TIMESTAMP when the date is not real', () => {
    expect(() => fromDvcqgTimestamp('20230230090509')).toThrow(
      expect.objectContaining({ code: TimeFormatExceptionCode.InvalidDvcqgTimestamp }),
    );
  });
});

describe(addMonths.name, () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-03-15', 12, '2026-03-15'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('should give %s + %d month(s) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});
