import {
  AdminUnitEra,
  AdminUnitLevel,
  AdminUnitRegistry,
  REFORM_2025_DATE,
  communeOneStopCode,
  DayStatusReason,
  DeadlineCalculator,
  LegalCalendar,
  MergeType,
  OneStopUnitCatalogue,
  addDays,
  readAdminUnitDataFiles,
  toVnDate,
  type TimeLimit,
} from '@onestop/domain';
import type { Channel } from '@onestop/contracts';
import type { ClockStartRoll, DueDate, DueDateFacts, IntakeCatalogue, LegacyUnitMapping, ProcedureInfo, UnitInfo, UnitValidity } from './intake-catalogue';
import { ProcedureSource } from './procedure-source';

/**
 * The intake port over @onestop/domain: the effective-dated one-stop unit catalogue (2025 two-level
 * hierarchy), the published procedures, and the legal calendar (DeadlineCalculator with the versioned
 * civil-service calendar). Built once at boot (the unit data is read synchronously, ~3.4k units).
 */
export class DomainCatalogue implements IntakeCatalogue {
  private readonly units: OneStopUnitCatalogue;
  private readonly registry: AdminUnitRegistry;
  private readonly provinceNames = new Map<string, string>();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());
  private readonly procedures = new ProcedureSource();

  constructor() {
    const files = readAdminUnitDataFiles();
    const registry = AdminUnitRegistry.fromRaw(files.merges, files.provinceCodes);
    this.registry = registry;
    this.units = OneStopUnitCatalogue.fromRegistry(registry);
    for (const p of registry.provincesAt('2025-07-01')) this.provinceNames.set(p.code, p.name);
  }

  unit(code: string, at: Date): UnitInfo | undefined {
    return this.unitOn(code, at, false);
  }

  unitValidity(code: string): UnitValidity | undefined {
    const u = this.units.get(code);
    if (!u) return undefined;
    const admin = this.registry.get(u.adminUnitId);
    const predecessors = admin ? this.registry.predecessorsOf(admin.id).map((l) => ({ code: l.unit.code, name: l.unit.name, whole: l.type === MergeType.Full })) : [];
    return { code: u.code, name: u.name, validFrom: u.validFrom, validTo: u.validTo, predecessors };
  }

  importUnit(code: string, at: Date): UnitInfo | undefined {
    return this.unitOn(code, at, true);
  }

  legacyUnit(communeCode: string, at: Date): LegacyUnitMapping | undefined {
    const day = toVnDate(at.getTime());
    if (day >= REFORM_2025_DATE) return undefined;
    const old = this.registry.findByCode(communeCode, day);
    if (!old || old.era !== AdminUnitEra.Pre2025 || old.level === AdminUnitLevel.Province || old.level === AdminUnitLevel.Nation) return undefined;
    const r = this.registry.rebase(old.id, REFORM_2025_DATE);
    const province = r.primary.parentId === null ? undefined : this.registry.get(r.primary.parentId);
    if (!province) return undefined;
    const unitCode = communeOneStopCode(province.code, r.primary.code);
    if (!this.units.has(unitCode)) return undefined;
    return { unitCode, oldUnitId: old.id, successorId: r.primary.id, rule: r.rule };
  }

  private unitOn(code: string, at: Date, history: boolean): UnitInfo | undefined {
    const u = this.units.get(code);
    if (!u) return undefined;
    const day = toVnDate(at.getTime());
    if ((!history && day < u.validFrom) || (u.validTo !== null && day > u.validTo)) return undefined;
    const province = this.provinceNames.get(u.provinceCode);
    return { code: u.code, name: u.name, ...(province ? { provinceName: `UBND ${province}` } : {}) };
  }

  isPublished(code: string, at: Date): boolean {
    return this.procedures.exists(code, at);
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

  dueDateFacts(receivedAt: Date, dueAt: Date, limit?: { value: number; unit: string }): DueDateFacts {
    const cal = this.deadlines.calendar;
    const at = receivedAt.getTime();
    // a calendar limit (days, months) counts days off: its clock only rolls to the next calendar day (ADR 0101 amendment)
    const calendarLimit = limit !== undefined && (limit.unit === 'CALENDAR_DAYS' || limit.unit === 'MONTHS');
    const start = this.deadlines.clockStart(at, limit as TimeLimit | undefined).at;
    const day = toVnDate(at);
    let roll: ClockStartRoll | null = null;
    if (start !== at) {
      if (calendarLimit) roll = at < cal.openingInstant(day) ? 'BEFORE_OPENING' : 'AFTER_CLOSING';
      else if (!cal.isWorkingDay(day)) roll = 'DAY_OFF';
      else if (at < cal.openingInstant(day)) roll = 'BEFORE_OPENING';
      else if (at >= cal.closingInstant(day)) roll = 'AFTER_CLOSING';
      else roll = 'MIDDAY_BREAK';
    }
    const from = addDays(day, 1);
    const to = addDays(toVnDate(dueAt.getTime()), -1);
    const daysOff = to < from ? [] : cal.nonWorkingDaysBetween(from, to).map((d) => ({
      date: d.date,
      weeklyRest: d.reason === DayStatusReason.WeeklyRest,
      nameVi: d.dayOff?.nameVi ?? null,
      ...(d.provisional && d.reason === DayStatusReason.DayOff ? { provisional: true } : {}),
    }));
    const workedRestDays: NonNullable<DueDateFacts['workedRestDays']> = [];
    for (let d = day, last = toVnDate(dueAt.getTime()); d <= last; d = addDays(d, 1)) {
      const status = cal.dayStatus(d);
      if (status.reason !== DayStatusReason.WorkedRestDay) continue;
      const swapped = /\d{4}-\d{2}-\d{2}/.exec(status.workedDay?.reason ?? '');
      workedRestDays.push({ date: d, swappedFor: swapped ? swapped[0] : null, ...(status.provisional ? { provisional: true } : {}) });
    }
    const firstYear = Number(day.slice(0, 4));
    const lastYear = Number(toVnDate(dueAt.getTime()).slice(0, 4));
    const provisionalYears = cal.provisionalYears.filter((y) => y >= firstYear && y <= lastYear);
    return {
      clockStartAt: new Date(start),
      clockStartRoll: roll,
      daysOff,
      ...(workedRestDays.length > 0 ? { workedRestDays } : {}),
      ...(provisionalYears.length > 0 ? { provisionalYears } : {}),
      workingHoursPerDay: cal.workingMinutesPerDay / 60,
      openingTime: cal.openingTime,
      closingTime: cal.closingTime,
    };
  }

  regulationVersion(at: Date): string {
    return toVnDate(at.getTime()) >= '2025-07-01' ? 'ND118-2025' : 'ND61-2018';
  }

  /** Every unit code in force (bench and tests pick from it). */
  unitCodes(): string[] {
    return this.units.all().map((u) => u.code);
  }
}
