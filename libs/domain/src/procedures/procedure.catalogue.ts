import { Channel, SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';
import { isValidProcedureCode, isValidSectorCode, parseProcedureCode } from '../codes';
import type { TimeLimit } from '../deadlines';
import {
  ProcedureCatalogueException,
  ProcedureCatalogueExceptionCode,
} from './procedure-catalogue.exception';
import {
  CompetentLevel,
  type ProcedureDefinition,
  type SubmissionCheck,
  type SubmissionProblem,
  SubmissionProblemCode,
  type SubmissionToCheck,
} from './procedure.type';
import { SAMPLE_PROCEDURES } from './sample-procedures.data';

function limitProblems(code: string, field: string, limit: TimeLimit | undefined): string[] {
  if (limit === undefined) return [];
  const units: string[] = Object.values(TimeLimitUnit);
  const ok =
    units.includes(limit.unit) &&
    Number.isFinite(limit.value) &&
    limit.value > 0 &&
    ((limit.unit !== TimeLimitUnit.CalendarDays && limit.unit !== TimeLimitUnit.Months) ||
      Number.isInteger(limit.value));
  return ok
    ? []
    : [`${code}: ${field} ${JSON.stringify(limit)} is not a positive limit in ${units.join('/')}`];
}

/** Check one definition; returns the problems found (empty when valid). */
export function validateProcedureDefinition(p: ProcedureDefinition): string[] {
  const problems: string[] = [];
  const code = String(p.code);
  if (!/^\d\.\d{6}$/.test(code))
    problems.push(`${code}: code must be a national procedure code d.dddddd`);
  if (!isValidSectorCode(p.sectorCode))
    problems.push(`${code}: sector code ${JSON.stringify(p.sectorCode)} is invalid`);
  if (typeof p.name !== 'string' || p.name.trim() === '')
    problems.push(`${code}: name is required`);
  problems.push(
    ...limitProblems(code, 'timeLimit', p.timeLimit),
    ...limitProblems(code, 'onlineTimeLimit', p.onlineTimeLimit),
  );
  if (!(Object.values(SupplementPolicy) as string[]).includes(p.supplementPolicy))
    problems.push(`${code}: supplementPolicy ${p.supplementPolicy} is invalid`);
  if (!(Object.values(CompetentLevel) as string[]).includes(p.competentLevel))
    problems.push(`${code}: competentLevel ${p.competentLevel} is invalid`);
  if (new Set(p.requiredComponentCodes).size !== p.requiredComponentCodes.length)
    problems.push(`${code}: duplicate required component codes`);
  if (p.requiredComponentCodes.some((c) => typeof c !== 'string' || c.trim() === ''))
    problems.push(`${code}: empty component code`);
  return problems;
}

/**
 * A procedure catalogue (data-driven): look up procedures by national or localised code, pick the time
 * limit for a channel, and check submissions (procedure known, required components present, resolving level).
 */
export class ProcedureCatalogue {
  private readonly byCode = new Map<string, ProcedureDefinition>();

  constructor(definitions: readonly ProcedureDefinition[] = SAMPLE_PROCEDURES) {
    const problems: string[] = [];
    for (const d of definitions) {
      problems.push(...validateProcedureDefinition(d));
      if (this.byCode.has(d.code)) problems.push(`${d.code}: defined twice`);
      this.byCode.set(d.code, d);
    }
    if (problems.length > 0) {
      throw new ProcedureCatalogueException(
        ProcedureCatalogueExceptionCode.InvalidDefinition,
        'Invalid procedure catalogue',
        problems,
      );
    }
  }

  get size(): number {
    return this.byCode.size;
  }

  list(): ProcedureDefinition[] {
    return [...this.byCode.values()];
  }

  /** Find by national (`1.001193`) or localised (`1.001193.000.00.00.H56`) code; undefined when unknown or malformed. */
  find(procedureCode: string): ProcedureDefinition | undefined {
    if (!isValidProcedureCode(procedureCode)) return undefined;
    return this.byCode.get(parseProcedureCode(procedureCode).nationalCode);
  }

  require(procedureCode: string): ProcedureDefinition {
    const found = this.find(procedureCode);
    if (!found) {
      throw new ProcedureCatalogueException(
        ProcedureCatalogueExceptionCode.UnknownProcedure,
        `Unknown procedure ${JSON.stringify(procedureCode)}`,
      );
    }
    return found;
  }

  /** The limit that applies to a submission channel (online limit for ONLINE when defined). */
  timeLimitFor(procedureCode: string, channel: Channel): TimeLimit {
    const p = this.require(procedureCode);
    return channel === Channel.Online && p.onlineTimeLimit ? p.onlineTimeLimit : p.timeLimit;
  }

  /** Check a submission; never throws. */
  checkSubmission(submission: SubmissionToCheck): SubmissionCheck {
    const problems: SubmissionProblem[] = [];
    if (!isValidProcedureCode(submission.procedureCode)) {
      problems.push({
        code: SubmissionProblemCode.InvalidProcedureCode,
        field: 'procedureCode',
        message: `${JSON.stringify(submission.procedureCode)} is not a procedure code (d.dddddd[.agency][.NN])`,
      });
      return { valid: false, procedure: null, problems };
    }
    const procedure = this.find(submission.procedureCode);
    if (!procedure) {
      problems.push({
        code: SubmissionProblemCode.UnknownProcedure,
        field: 'procedureCode',
        message: `Procedure ${submission.procedureCode} is not in the catalogue`,
      });
      return { valid: false, procedure: null, problems };
    }
    const given = new Set(submission.componentCodes);
    const missing = procedure.requiredComponentCodes.filter((c) => !given.has(c));
    if (missing.length > 0) {
      problems.push({
        code: SubmissionProblemCode.MissingComponents,
        field: 'componentCodes',
        message: `Missing required components: ${missing.join(', ')}`,
      });
    }
    if (
      submission.resolvingLevel !== undefined &&
      submission.resolvingLevel !== procedure.competentLevel
    ) {
      problems.push({
        code: SubmissionProblemCode.WrongCompetentLevel,
        field: 'resolvingLevel',
        message: `${procedure.code} is resolved at ${procedure.competentLevel} level, not ${submission.resolvingLevel}`,
      });
    }
    return { valid: problems.length === 0, procedure, problems };
  }

  /** `checkSubmission` that throws ProcedureCatalogueException(INVALID_SUBMISSION) and returns the procedure. */
  assertValidSubmission(submission: SubmissionToCheck): ProcedureDefinition {
    const check = this.checkSubmission(submission);
    if (!check.valid || check.procedure === null) {
      throw new ProcedureCatalogueException(
        ProcedureCatalogueExceptionCode.InvalidSubmission,
        'Invalid submission',
        check.problems.map((p) => `${p.field}: ${p.message}`),
      );
    }
    return check.procedure;
  }
}
