import { Channel } from '@onestop/contracts';
import { CompetentLevel, OneStopUnitKind, ProcedureCatalogue, parseOneStopUnitCode, provincialCentreCode, type ProcedureDefinition } from '@onestop/domain';
import { componentName } from './component-names';
import type { ProcedureInfo } from './intake-catalogue';

/**
 * The published procedures, from @onestop/domain's ProcedureCatalogue (its sample set until provinces load
 * theirs). The catalogue lists the required component codes only, so they are the procedure's whole component
 * list here (in the catalogue's order, the order the receipt prints them): a component code outside it is refused.
 * Their printed names come from COMPONENT_NAMES (the code when it has none).
 */
export class ProcedureSource {
  constructor(private readonly catalogue = new ProcedureCatalogue()) {}

  /** Published at `at` (the sample catalogue is not effective-dated yet, so: listed). */
  exists(code: string, _at: Date): boolean {
    return this.catalogue.find(code) !== undefined;
  }

  find(code: string, _at: Date, _unitCode: string, channel?: Channel): ProcedureInfo | undefined {
    const p = this.catalogue.find(code);
    return p ? toInfo(p, channel) : undefined;
  }

  /**
   * Boundary-free intake (domain.md §5): a commune one-stop unit may receive a province-level procedure; the
   * provincial Public Administration Service Centre then resolves it. Otherwise the receiving unit resolves.
   */
  resolvingUnit(procedure: ProcedureInfo, receivingUnitCode: string): string {
    const parts = parseOneStopUnitCode(receivingUnitCode);
    if (procedure.competentLevel === CompetentLevel.Province && parts?.kind === OneStopUnitKind.CommuneOneStop) {
      return provincialCentreCode(parts.provinceCode);
    }
    return receivingUnitCode;
  }
}

function toInfo(p: ProcedureDefinition, channel?: Channel): ProcedureInfo {
  return {
    code: p.code,
    name: p.name,
    sectorCode: p.sectorCode,
    timeLimit: channel === Channel.Online && p.onlineTimeLimit ? p.onlineTimeLimit : p.timeLimit,
    noAppointment: false,
    supplementPolicy: p.supplementPolicy,
    feeRequired: p.feeRequired,
    paperResultRequired: p.paperResultRequired,
    competentLevel: p.competentLevel,
    components: p.requiredComponentCodes.map((code) => ({ code, name: componentName(code), required: true })),
  };
}
