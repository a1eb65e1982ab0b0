import type { ApplicantType, Channel, SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';

/**
 * What intake needs from the shared catalogues (@onestop/domain): the one-stop units, the published
 * procedures with their components and time limits, and the legal calendar. A narrow port so the use case
 * is testable and the adapter (domain-catalogue.ts) is the only place that knows the domain library's API.
 */
export const INTAKE_CATALOGUE = Symbol('INTAKE_CATALOGUE');

export interface UnitInfo {
  /** Electronic agency code of the one-stop unit (mã định danh), also the dossier code prefix. */
  code: string;
  name: string;
  /** Province-level name for the receipt header. */
  provinceName?: string;
}

export interface ProcedureComponentInfo {
  code: string;
  name: string;
  required: boolean;
}

export interface ProcedureInfo {
  code: string;
  name: string;
  version?: string;
  sectorCode: string;
  timeLimit: { value: number; unit: TimeLimitUnit };
  noAppointment: boolean;
  supplementPolicy: SupplementPolicy;
  feeRequired: boolean;
  paperResultRequired: boolean;
  components: ProcedureComponentInfo[];
  /** PROVINCE or COMMUNE (thẩm quyền giải quyết). */
  competentLevel?: string;
}

export interface DueDate {
  dueAt: Date | null;
  /** Human-readable steps of the computation (Vietnamese), stored with the dossier. */
  explanation: string[];
}

export interface IntakeCatalogue {
  unit(code: string, at: Date): UnitInfo | undefined;
  /** The procedure as it applies to a channel (the online time limit may differ). */
  procedure(code: string, at: Date, unitCode: string, channel?: Channel): ProcedureInfo | undefined;
  /** Who resolves dossiers of this procedure received at this unit (boundary-free intake). */
  resolvingUnit(procedure: ProcedureInfo, receivingUnitCode: string): string;
  dueDate(receivedAt: Date, procedure: ProcedureInfo): DueDate;
  regulationVersion(at: Date): string;
}

export type { ApplicantType };
