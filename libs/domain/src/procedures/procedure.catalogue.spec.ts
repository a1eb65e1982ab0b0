import { Channel } from '@onestop/contracts';
import {
  ProcedureCatalogueException,
  ProcedureCatalogueExceptionCode,
} from './procedure-catalogue.exception';
import { ProcedureCatalogue, validateProcedureDefinition } from './procedure.catalogue';
import { SubmissionProblemCode } from './procedure.type';
import { SAMPLE_PROCEDURES } from './sample-procedures.data';

const catalogue = new ProcedureCatalogue();

describe(ProcedureCatalogue.name, () => {
  it('should hold the ten sample procedures, all valid and marked as samples', () => {
    expect(catalogue.size).toBe(10);
    for (const p of SAMPLE_PROCEDURES) {
      expect(validateProcedureDefinition(p)).toEqual([]);
      expect(p.sample).toBe(true);
    }
  });

  it('should find a procedure by its localised code', () => {
    expect(catalogue.find('1.001193.000.00.00.H56')?.name).toBe('Đăng ký khai sinh');
    expect(catalogue.find('1.001193')?.competentLevel).toBe('COMMUNE');
    expect(catalogue.find('9.999999')).toBeUndefined();
    expect(catalogue.find('not a code')).toBeUndefined();
  });

  it('should pick the online limit for online submissions when one is defined', () => {
    expect(catalogue.timeLimitFor('2.000575', Channel.Online)).toEqual({
      value: 2,
      unit: 'WORKING_DAYS',
    });
    expect(catalogue.timeLimitFor('2.000575', Channel.Direct)).toEqual({
      value: 3,
      unit: 'WORKING_DAYS',
    });
    expect(catalogue.timeLimitFor('1.001193', Channel.Online)).toEqual({
      value: 8,
      unit: 'WORKING_HOURS',
    });
  });

  it('should accept a complete submission', () => {
    const check = catalogue.checkSubmission({
      procedureCode: '1.001193',
      componentCodes: ['TK_KHAI_SINH', 'GIAY_CHUNG_SINH', 'EXTRA'],
      resolvingLevel: 'COMMUNE',
    });
    expect(check).toMatchObject({ valid: true, problems: [] });
    expect(check.procedure?.code).toBe('1.001193');
  });

  it('should list every problem when a submission is incomplete and sent to the wrong level', () => {
    // Act
    const check = catalogue.checkSubmission({
      procedureCode: '2.000488',
      componentCodes: ['CCCD'],
      resolvingLevel: 'COMMUNE',
    });
    // Assert
    expect(check.valid).toBe(false);
    expect(check.problems.map((p) => [p.code, p.field])).toEqual([
      [SubmissionProblemCode.MissingComponents, 'componentCodes'],
      [SubmissionProblemCode.WrongCompetentLevel, 'resolvingLevel'],
    ]);
    expect(check.problems[0].message).toBe('Missing required components: TK_LLTP');
  });

  it.each([
    ['1.00119', SubmissionProblemCode.InvalidProcedureCode],
    ['9.999999', SubmissionProblemCode.UnknownProcedure],
  ])('should report %s as %s', (procedureCode, code) => {
    expect(
      catalogue.checkSubmission({ procedureCode, componentCodes: [] }).problems.map((p) => p.code),
    ).toEqual([code]);
  });

  it('should throw INVALID_SUBMISSION from assertValidSubmission when the submission is invalid', () => {
    const act = () =>
      catalogue.assertValidSubmission({ procedureCode: '1.000894', componentCodes: [] });
    expect(act).toThrow(ProcedureCatalogueException);
    expect(act).toThrow(
      expect.objectContaining({ code: ProcedureCatalogueExceptionCode.InvalidSubmission }),
    );
  });

  it('should throw INVALID_DEFINITION when a definition is malformed', () => {
    const bad = {
      ...SAMPLE_PROCEDURES[0],
      code: '1.1193',
      sectorCode: 'HT01',
      timeLimit: { value: 0, unit: 'WORKING_DAYS' as const },
    };
    let error: unknown;
    try {
      new ProcedureCatalogue([bad, SAMPLE_PROCEDURES[1], SAMPLE_PROCEDURES[1]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProcedureCatalogueException);
    expect((error as ProcedureCatalogueException).problems).toEqual([
      '1.1193: code must be a national procedure code d.dddddd',
      '1.1193: sector code "HT01" is invalid',
      '1.1193: timeLimit {"value":0,"unit":"WORKING_DAYS"} is not a positive limit in WORKING_HOURS/WORKING_DAYS/CALENDAR_DAYS/MONTHS',
      '1.000894: defined twice',
    ]);
  });

  it('should throw UNKNOWN_PROCEDURE when requiring a code that is not in the catalogue', () => {
    expect(() => catalogue.require('3.000181')).toThrow(
      expect.objectContaining({ code: ProcedureCatalogueExceptionCode.UnknownProcedure }),
    );
  });
});
