import {
  AdminUnitRegistry,
  DeadlineCalculator,
  LegalCalendar,
  OneStopUnitCatalogue,
  readAdminUnitDataFiles,
  toVnDate,
} from '@onestop/domain';
import type { Channel } from '@onestop/contracts';
import type { DueDate, IntakeCatalogue, ProcedureInfo, UnitInfo } from './intake-catalogue';
import { ProcedureSource } from './procedure-source';

/**
 * The intake port over @onestop/domain: the effective-dated one-stop unit catalogue (2025 two-level
 * hierarchy), the published procedures, and the legal calendar (DeadlineCalculator with the versioned
 * civil-service calendar). Built once at boot (the unit data is read synchronously, ~3.4k units).
 */
export class DomainCatalogue implements IntakeCatalogue {
  private readonly units: OneStopUnitCatalogue;
  private readonly provinceNames = new Map<string, string>();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());
  private readonly procedures = new ProcedureSource();

  constructor() {
    const files = readAdminUnitDataFiles();
    const registry = AdminUnitRegistry.fromRaw(files.merges, files.provinceCodes);
    this.units = OneStopUnitCatalogue.fromRegistry(registry);
    for (const p of registry.provincesAt('2025-07-01')) this.provinceNames.set(p.code, p.name);
  }

  unit(code: string, at: Date): UnitInfo | undefined {
    const u = this.units.get(code);
    if (!u) return undefined;
    const day = toVnDate(at.getTime());
    if (day < u.validFrom || (u.validTo !== null && day > u.validTo)) return undefined;
    const province = this.provinceNames.get(u.provinceCode);
    return { code: u.code, name: u.name, ...(province ? { provinceName: `UBND ${province}` } : {}) };
  }

  procedure(code: string, at: Date, unitCode: string, channel?: Channel): ProcedureInfo | undefined {
    return this.procedures.find(code, at, unitCode, channel);
  }

  resolvingUnit(procedure: ProcedureInfo, receivingUnitCode: string): string {
    return this.procedures.resolvingUnit(procedure, receivingUnitCode);
  }

  dueDate(receivedAt: Date, procedure: ProcedureInfo): DueDate {
    if (procedure.noAppointment) return { dueAt: null, explanation: ['Thủ tục giải quyết ngay, không hẹn ngày trả kết quả'] };
    const r = this.deadlines.computeDueDate({ receivedAt: receivedAt.getTime(), limit: procedure.timeLimit, supplementPolicy: procedure.supplementPolicy });
    return { dueAt: new Date(r.originalDueAtMs), explanation: [...r.explanation] };
  }

  regulationVersion(at: Date): string {
    return toVnDate(at.getTime()) >= '2025-07-01' ? 'ND118-2025' : 'ND61-2018';
  }

  /** Every unit code in force (bench and tests pick from it). */
  unitCodes(): string[] {
    return this.units.all().map((u) => u.code);
  }
}
