import type { SupplementPolicy } from '@onestop/contracts';
import type { TimeLimit } from '../deadlines';

/** Level of the authority competent to resolve (thẩm quyền giải quyết) after the 2025 reform. */
export const CompetentLevel = { Province: 'PROVINCE', Commune: 'COMMUNE' } as const;
export type CompetentLevel = (typeof CompetentLevel)[keyof typeof CompetentLevel];

/** One administrative procedure (thủ tục hành chính) as published (quyết định công bố TTHC). */
export interface ProcedureDefinition {
  /** National procedure code `d.dddddd`. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  /** Sector code `G03-GD10`. */
  readonly sectorCode: string;
  readonly sectorName: string;
  readonly timeLimit: TimeLimit;
  /** Limit for online submissions when it differs (ThoiGianThucHienTrucTuyen). */
  readonly onlineTimeLimit?: TimeLimit;
  readonly supplementPolicy: SupplementPolicy;
  readonly feeRequired: boolean;
  /** The result is a paper document (matters for the e-result indicator 4.1). */
  readonly paperResultRequired: boolean;
  /** Component codes (mã thành phần hồ sơ) every submission must contain. */
  readonly requiredComponentCodes: readonly string[];
  readonly competentLevel: CompetentLevel;
  /** True for illustrative entries that are not taken from the national TTHC database. */
  readonly sample: boolean;
}

export interface SubmissionToCheck {
  /** National or localised procedure code (`1.001193`, `1.001193.000.00.00.H56`). */
  readonly procedureCode: string;
  readonly componentCodes: readonly string[];
  /** Level of the unit that will resolve the dossier (may differ from the receiving unit). */
  readonly resolvingLevel?: CompetentLevel;
}

export const SubmissionProblemCode = {
  InvalidProcedureCode: 'INVALID_PROCEDURE_CODE',
  UnknownProcedure: 'UNKNOWN_PROCEDURE',
  MissingComponents: 'MISSING_COMPONENTS',
  WrongCompetentLevel: 'WRONG_COMPETENT_LEVEL',
} as const;
export type SubmissionProblemCode =
  (typeof SubmissionProblemCode)[keyof typeof SubmissionProblemCode];

export interface SubmissionProblem {
  readonly code: SubmissionProblemCode;
  /** Field the problem is about (`procedureCode`, `componentCodes`, `resolvingLevel`). */
  readonly field: string;
  readonly message: string;
}

export interface SubmissionCheck {
  readonly valid: boolean;
  readonly procedure: ProcedureDefinition | null;
  readonly problems: readonly SubmissionProblem[];
}
