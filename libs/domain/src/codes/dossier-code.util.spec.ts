import fc from 'fast-check';
import { CodeFormatException, CodeFormatExceptionCode } from './code-format.exception';
import {
  formatDossierCode,
  generateDossierCode,
  isValidDossierCode,
  parseDossierCode,
} from './dossier-code.util';

describe(formatDossierCode.name, () => {
  it.each([
    [{ unitCode: '000.00.15.H56', date: '2023-07-19', sequence: 1 }, '000.00.15.H56-230719-0001'],
    [{ unitCode: '01.00004', date: '2025-07-01', sequence: 42 }, '01.00004-250701-0042'],
    [{ unitCode: '79.TTPV', date: '2025-12-31', sequence: 12345 }, '79.TTPV-251231-12345'],
  ])('should format %j as %s', (parts, expected) => {
    expect(formatDossierCode(parts)).toBe(expected);
  });

  it.each([
    [
      { unitCode: '01-00004', date: '2025-07-01', sequence: 1 },
      CodeFormatExceptionCode.InvalidUnitCode,
    ],
    [
      { unitCode: '01..00004', date: '2025-07-01', sequence: 1 },
      CodeFormatExceptionCode.InvalidUnitCode,
    ],
    [{ unitCode: '', date: '2025-07-01', sequence: 1 }, CodeFormatExceptionCode.InvalidUnitCode],
    [
      { unitCode: '01.00004', date: '2025-02-29', sequence: 1 },
      CodeFormatExceptionCode.InvalidDate,
    ],
    [
      { unitCode: '01.00004', date: '1999-12-31', sequence: 1 },
      CodeFormatExceptionCode.InvalidDate,
    ],
    [
      { unitCode: '01.00004', date: '2025-07-01', sequence: 0 },
      CodeFormatExceptionCode.InvalidSequence,
    ],
    [
      { unitCode: '01.00004', date: '2025-07-01', sequence: 1.5 },
      CodeFormatExceptionCode.InvalidSequence,
    ],
  ])('should throw a typed error for %j', (parts, code) => {
    const act = () => formatDossierCode(parts);
    expect(act).toThrow(CodeFormatException);
    expect(act).toThrow(expect.objectContaining({ code }));
  });
});

describe(generateDossierCode.name, () => {
  it('should use the Vietnam local date of the receipt when it is late evening UTC', () => {
    expect(generateDossierCode('01.00004', '2025-06-30T18:30:00Z', 7)).toBe('01.00004-250701-0007');
  });
});

describe(parseDossierCode.name, () => {
  it('should parse from the right when the unit code contains dots', () => {
    expect(parseDossierCode('000.00.15.H56-230719-0001')).toEqual({
      unitCode: '000.00.15.H56',
      date: '2023-07-19',
      sequence: 1,
    });
  });

  it.each([
    ['000.00.15.H56-230719', CodeFormatExceptionCode.MalformedDossierCode],
    ['H56-231319-0001', CodeFormatExceptionCode.InvalidDate],
    ['H56-230229-0001', CodeFormatExceptionCode.InvalidDate],
    ['H56-2307190-0001', CodeFormatExceptionCode.InvalidDate],
    ['H56-230719-001', CodeFormatExceptionCode.InvalidSequence],
    ['H56-230719-0000', CodeFormatExceptionCode.InvalidSequence],
    ['H-56-230719-0001', CodeFormatExceptionCode.InvalidUnitCode],
    ['-230719-0001', CodeFormatExceptionCode.MalformedDossierCode],
  ])('should throw a typed error when parsing %s', (code, errorCode) => {
    expect(() => parseDossierCode(code)).toThrow(expect.objectContaining({ code: errorCode }));
    expect(isValidDossierCode(code)).toBe(false);
  });

  it('should round-trip any valid parts through format and parse', () => {
    const segment = fc.stringMatching(/^[0-9A-Za-z]{1,6}$/);
    const unitCode = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
    const date = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-30T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(unitCode, date, fc.integer({ min: 1, max: 10_000_000 }), (u, d, sequence) => {
        const parts = { unitCode: u, date: d, sequence };
        const code = formatDossierCode(parts);
        expect(parseDossierCode(code)).toEqual(parts);
        expect(isValidDossierCode(code)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
