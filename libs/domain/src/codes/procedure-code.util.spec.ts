import { CodeFormatExceptionCode } from './code-format.exception';
import {
  isValidProcedureCode,
  nationalProcedureCode,
  parseProcedureCode,
} from './procedure-code.util';
import { isValidSectorCode, parseSectorCode } from './sector-code.util';

describe(parseProcedureCode.name, () => {
  it.each([
    ['1.000948', { nationalCode: '1.000948', agencyCode: null, variant: null }],
    ['2.000635', { nationalCode: '2.000635', agencyCode: null, variant: null }],
    [
      '1.011442.000.00.00.H38',
      { nationalCode: '1.011442', agencyCode: '000.00.00.H38', variant: null },
    ],
    ['1.000948.H38', { nationalCode: '1.000948', agencyCode: 'H38', variant: null }],
    [
      '2.000815.000.00.00.H55.02',
      { nationalCode: '2.000815', agencyCode: '000.00.00.H55', variant: '02' },
    ],
    ['1.001193.G09', { nationalCode: '1.001193', agencyCode: 'G09', variant: null }],
  ])('should parse %s', (code, parts) => {
    expect(parseProcedureCode(code)).toEqual({ code, ...parts });
    expect(isValidProcedureCode(code)).toBe(true);
  });

  it.each([
    '1.00948',
    '1000948',
    '12.000948',
    '1.000948.',
    '1.000948.H3',
    '1.000948.00.00.00.H38',
    '1.000948.Z38',
    '1.000948.H38.2',
  ])('should reject %s with INVALID_PROCEDURE_CODE', (code) => {
    expect(() => parseProcedureCode(code)).toThrow(
      expect.objectContaining({ code: CodeFormatExceptionCode.InvalidProcedureCode }),
    );
    expect(isValidProcedureCode(code)).toBe(false);
  });

  it('should give the national part of a localised code', () => {
    expect(nationalProcedureCode('1.011442.000.00.00.H38')).toBe('1.011442');
  });
});

describe(parseSectorCode.name, () => {
  it('should split the agency and the sector when the code is valid', () => {
    expect(parseSectorCode('G03-GD10')).toEqual({
      code: 'G03-GD10',
      agencyCode: 'G03',
      sector: 'GD10',
    });
  });

  it.each(['G03GD10', 'G3-GD10', 'G03-gd10', 'G03-GD', 'Z03-GD10', 'G03-GD1000'])(
    'should reject %s with INVALID_SECTOR_CODE',
    (code) => {
      expect(() => parseSectorCode(code)).toThrow(
        expect.objectContaining({ code: CodeFormatExceptionCode.InvalidSectorCode }),
      );
      expect(isValidSectorCode(code)).toBe(false);
    },
  );
});
