import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { applicantMarksKey, DossierStatus, FeeCollectionStage, holdsMarkedData, SupplementPolicy, toVnIsoString, type DossierEventV1 } from '@onestop/contracts';
import { ProblemException, assertUnitScope, recordAudit, withIdempotency, type Officer } from '@onestop/http';
import { CLOCK, type Clock } from '../clock/clock';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { rescheduleDeadlines } from '../deadlines/deadline-schedule';
import { ProcessingEvents, type EventMeta } from '../infrastructure/processing-events';
import { AgencyCatalogue } from './agency-catalogue';
import { LifecycleRules } from './lifecycle-rules';
import { PauseKind } from './dossier-status';
import { DossierRepository, type DossierRow } from './dossier.repository';
import type {
  ApologyDto,
  CompleteStepDto,
  FinancialObligationDto,
  RefusalDto,
  ResumptionDto,
  StartStepDto,
  SupplementReceiptDto,
  SupplementRequestDto,
  SuspensionDto,
  TransferDto,
  WithdrawalDto,
  AssignDto,
} from './dto/commands.dto';

/** Who asks, and the request context written to audit and events. */
export interface CommandContext {
  officer: Officer;
  ip?: string;
  correlationId: string;
  /** Idempotency-Key of the request and the hash of method + path + body. */
  idempotencyKey: string;
  requestHash: string;
}

/** The answer of a command (also what an idempotent retry replays). */
export type CommandResult = ReturnType<DossierRepository['toView']> & { events: { id: string; type: string }[] };

interface Change {
  events: DossierEventV1[];
  /** Audit action name. */
  action: string;
  details?: Record<string, unknown>;
}

const iso = (d: Date | null | undefined): string | null => (d ? toVnIsoString(d) : null);
const vn = (d: Date | string): string => toVnIsoString(new Date(d));

/**
 * The officials' work on a dossier. Every command: lock the dossier row, check unit scope and the
 * lifecycle state machine (409 with the allowed actions), change state, re-arm the deadline watch, append
 * the events to the outbox and write the audit row — all in one transaction.
 */
/** Electronic agency identifier of QĐ 20/2020/QĐ-TTg: three numeric levels and the level-1 code (`000.00.15.H56`). */
const ELECTRONIC_AGENCY_ID = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
/** An inter-agency step id (generated with randomUUID). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class DossiersService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: DossierRepository,
    private readonly events: ProcessingEvents,
    private readonly rules: LifecycleRules,
    private readonly agencies: AgencyCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig,
  ) {}

  private marksKey?: string;

  /**
   * Fields published on the public topic may not hold the applicant's data (name in any word order, ID number, phone,
   * e-mail, address, however written): compared with the dossier's keyed marks (ADR 0309, amendment round 8; a fee
   * line named after the applicant, or a reference made of their phone split by `/`, was published). 400 naming each.
   */
  private refuseApplicantData(d: DossierRow, fields: { field: string; value: string | undefined }[]): void {
    const key = (this.marksKey ??= applicantMarksKey(this.cfg.jwtSecret));
    const bad = fields.filter((f) => f.value !== undefined && holdsMarkedData(f.value, d.applicant_marks, key));
    if (bad.length > 0) {
      throw ProblemException.validation(bad.map((f) => ({ field: f.field, message: "is published on the public topic and must not contain the applicant's personal data" })));
    }
  }

  async get(dossierId: string, officer: Officer) {
    const d = await this.repo.find(this.ds.manager, dossierId);
    if (!d) throw ProblemException.notFound(`Dossier ${dossierId}`, 'dossierId');
    this.assertScope(officer, d);
    const details = await this.repo.details(this.ds.manager, dossierId);
    const openSteps = details.interAgencySteps.filter((s) => s.completedAt === null).length;
    return { ...this.repo.toView(d), allowedActions: this.rules.allowedActions(d.status, openSteps), ...details };
  }

  transfer(ctx: CommandContext, id: string, dto: TransferDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      this.assertKnownAgency(dto.agencyId, now);
      this.assertSameProvince(d, dto.agencyId);
      if (dto.stepDueAt) this.assertStepDueAt(d, now, this.instant(dto.stepDueAt, 'stepDueAt'), 'stepDueAt');
      await this.rules.check(m, d, { type: 'transfer', agencyCode: dto.agencyId });
      // A dossier already in process at that agency would be "transferred" to itself: nothing moves, yet a
      // DossierTransferred would be published (ADR 0309). From RECEIVED the transfer is the hand-over that starts
      // processing (status RECEIVED → IN_PROCESS), also to the agency named at receipt, so it stays allowed.
      if (d.status !== DossierStatus.Received && d.agency_id === dto.agencyId) {
        throw this.rules.conflict(
          d,
          'transfer',
          `dossier ${d.id} is already held by agency ${dto.agencyId}`,
          { field: 'agencyId', message: `the dossier is already with ${dto.agencyId}; name another agency (to change the officer, use /assign)` },
          { code: 'ALREADY_AT_AGENCY' },
        );
      }
      const from = d.agency_id;
      await this.repo.update(m, id, {
        status: DossierStatus.InProcess,
        agency_id: dto.agencyId,
        officer_id: dto.officerId ?? null,
      });
      const ev = this.events.make(
        'DossierTransferred',
        {
          ...this.base(d),
          agencyCode: dto.agencyId,
          transferredAt: vn(now),
          ...(dto.stepDueAt ? { stepDueAt: vn(dto.stepDueAt) } : {}),
        },
        meta,
      );
      return { events: [ev], action: 'dossier.transfer', details: { from, to: dto.agencyId } };
    });
  }

  assign(ctx: CommandContext, id: string, dto: AssignDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m) => {
      if (!this.rules.isOpen(d.status)) {
        throw this.rules.conflict(d, 'assign', `cannot assign a dossier in status ${d.status}`, {
          field: 'status',
          message: `dossier is ${d.status}; only an open dossier can be assigned`,
        });
      }
      await this.repo.update(m, id, { officer_id: dto.officerId });
      return { events: [], action: 'dossier.assign', details: { officerId: dto.officerId } };
    });
  }

  startStep(ctx: CommandContext, id: string, dto: StartStepDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      this.assertKnownAgency(dto.agencyId, now, 'external-allowed');
      const dueAt = this.instant(dto.dueAt, 'dueAt');
      this.assertStepDueAt(d, now, dueAt, 'dueAt');
      await this.rules.check(m, d, { type: 'startInterAgencyStep', agencyCode: dto.agencyId });
      // Liên thông is with another agency: a step "with" the agency that holds an in-process dossier consults no one,
      // yet it would be published and block the result until completed (ADR 0309; as for a transfer, RECEIVED is
      // still with the one-stop counter, so the agency named at receipt may be consulted from there).
      if (d.status !== DossierStatus.Received && d.agency_id === dto.agencyId) {
        throw this.rules.conflict(
          d,
          'startInterAgencyStep',
          `dossier ${d.id} is held by agency ${dto.agencyId}: an inter-agency step consults another agency`,
          { field: 'agencyId', message: `the dossier is already with ${dto.agencyId}; an inter-agency step names another agency` },
          { code: 'STEP_WITH_HOLDING_AGENCY' },
        );
      }
      const stepId = randomUUID();
      await m.query(
        `INSERT INTO "${this.cfg.schema}".inter_agency_step (id, dossier_id, agency_id, description, started_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [stepId, id, dto.agencyId, dto.description ?? null, now, dueAt],
      );
      await this.repo.update(m, id, { status: DossierStatus.InProcess });
      const ev = this.events.make(
        'InterAgencyStepStarted',
        { ...this.base(d), stepId, agencyCode: dto.agencyId, stepDueAt: vn(dueAt), at: vn(now) },
        meta,
      );
      return { events: [ev], action: 'inter-agency-step.start', details: { stepId, agencyId: dto.agencyId } };
    });
  }

  completeStep(ctx: CommandContext, id: string, stepId: string, dto: CompleteStepDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      // Step ids are UUIDs: anything else names no step (404), and must not reach the uuid column (a 500 before).
      if (!UUID.test(stepId)) throw ProblemException.notFound(`Inter-agency step ${stepId}`, 'stepId');
      const rows: { agency_id: string; due_at: Date; completed_at: Date | null }[] = await m.query(
        `SELECT agency_id, due_at, completed_at FROM "${this.cfg.schema}".inter_agency_step WHERE id = $1 AND dossier_id = $2 FOR UPDATE`,
        [stepId, id],
      );
      const step = rows[0];
      if (!step) throw ProblemException.notFound(`Inter-agency step ${stepId}`, 'stepId');
      if (step.completed_at) {
        throw this.rules.conflict(
          d,
          'completeInterAgencyStep',
          `inter-agency step ${stepId} is already completed`,
          { field: 'stepId', message: `inter-agency step ${stepId} is already completed` },
          { code: 'INTER_AGENCY_STEP_NOT_OPEN' },
        );
      }
      await this.rules.check(m, d, { type: 'completeInterAgencyStep', agencyCode: step.agency_id });
      await m.query(`UPDATE "${this.cfg.schema}".inter_agency_step SET completed_at = $1, outcome = $2 WHERE id = $3`, [
        now,
        dto.outcome ?? null,
        stepId,
      ]);
      const ev = this.events.make(
        'InterAgencyStepCompleted',
        { ...this.base(d), stepId, agencyCode: step.agency_id, stepDueAt: vn(step.due_at), at: vn(now) },
        meta,
      );
      return { events: [ev], action: 'inter-agency-step.complete', details: { stepId } };
    });
  }

  requestSupplement(ctx: CommandContext, id: string, dto: SupplementRequestDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      if (dto.applicantDeadline) this.assertFuture(now, this.instant(dto.applicantDeadline, 'applicantDeadline'), 'applicantDeadline');
      await this.rules.check(m, d, { type: 'requestSupplement' });
      const count = d.supplement_count + 1;
      await this.pause(m, d, PauseKind.Supplement, dto.content, now);
      await this.repo.update(m, id, { status: DossierStatus.SupplementRequested, supplement_count: count });
      const ev = this.events.make(
        'SupplementRequested',
        {
          ...this.base(d),
          requestedAt: vn(now),
          content: dto.content,
          requestCount: count,
          ...(dto.applicantDeadline ? { applicantDeadline: vn(dto.applicantDeadline) } : {}),
        },
        meta,
      );
      return { events: [ev], action: 'supplement.request', details: { requestCount: count } };
    });
  }

  receiveSupplement(ctx: CommandContext, id: string, dto: SupplementReceiptDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      await this.rules.check(m, d, { type: 'receiveSupplement' });
      const policy = (d.supplement_policy as SupplementPolicy) ?? SupplementPolicy.Restart;
      const previous = d.due_at;
      const dates = await this.resume(m, d, now, `supplement-${policy.toLowerCase()}`);
      const newDue = dates.dueAt;
      // NgayHenTraMoi: the new LEGAL due date (the views follow it as the legal date; an apology's later appointment is not one)
      const ev = this.events.make(
        'SupplementReceived',
        { ...this.base(d), receivedAt: vn(now), previousDueAt: iso(previous), newDueAt: iso(dates.originalDueAt), policy },
        meta,
      );
      // The officer's note (what was handed in) was accepted and stored nowhere; it stays internal: audit only (ADR 0309).
      return {
        events: [ev],
        action: 'supplement.receive',
        details: { policy, previousDueAt: iso(previous), newDueAt: iso(newDue), ...(dto.note ? { note: dto.note } : {}) },
      };
    });
  }

  requestFinancialObligation(ctx: CommandContext, id: string, dto: FinancialObligationDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      this.refuseApplicantData(d, dto.feeLines.flatMap((l, i) => [{ field: `feeLines[${i}].name`, value: l.name }, { field: `feeLines[${i}].code`, value: l.code }]));
      const feeLines = dto.feeLines.map((l) => ({ code: l.code, name: l.name, amount: l.amount, collectedAt: l.collectedAt ?? FeeCollectionStage.Result }));
      // The total is the sum of the lines (the contract's meaning of totalAmount, and what result-service charges); a
      // line code appears once (result-service keeps one line per code). Checked before the state machine (ADR 0308).
      const totalAmount = feeLines.reduce((sum, l) => sum + l.amount, 0);
      const seen = new Set<string>();
      const duplicates = feeLines.flatMap((l, i) => (seen.has(l.code) ? [i] : (seen.add(l.code), [])));
      if (duplicates.length > 0) {
        throw ProblemException.validation(duplicates.map((i) => ({ field: `feeLines[${i}].code`, message: `fee code ${feeLines[i]?.code} appears more than once` })));
      }
      if (dto.amount !== undefined && dto.amount !== totalAmount) {
        throw ProblemException.unprocessable('amount-mismatch', `amount ${dto.amount} is not the sum of the fee lines (${totalAmount})`, [
          { field: 'amount', message: `must equal the sum of feeLines[].amount (${totalAmount}), or be omitted` },
        ]);
      }
      await this.rules.check(m, d, { type: 'requestPayment' });
      const exempt = dto.exempt ?? false;
      // Nothing to pay (đối tượng miễn phí, or all lines at 0): the obligation is recorded and published, but there
      // is no payment wait: the dossier stays IN_PROCESS (the only state that accepts it) and its clock keeps
      // running (ADR 0306).
      if (!exempt && totalAmount > 0) {
        await this.pause(m, d, PauseKind.Payment, dto.description ?? null, now);
        await this.repo.update(m, id, { status: DossierStatus.AwaitingPayment });
      }
      const ev = this.events.make(
        'FinancialObligationRequested',
        { ...this.base(d), requestedAt: vn(now), feeLines, totalAmount, exempt },
        meta,
      );
      return { events: [ev], action: 'financial-obligation.request', details: { totalAmount, exempt } };
    });
  }

  suspend(ctx: CommandContext, id: string, dto: SuspensionDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      await this.rules.check(m, d, { type: 'suspend' });
      await this.pause(m, d, PauseKind.Suspension, dto.reason, now);
      await this.repo.update(m, id, { status: DossierStatus.Suspended });
      const ev = this.events.make('ProcessingSuspended', { ...this.base(d), at: vn(now), reason: dto.reason }, meta);
      return { events: [ev], action: 'processing.suspend', details: { reason: dto.reason } };
    });
  }

  resumeProcessing(ctx: CommandContext, id: string, dto: ResumptionDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      await this.rules.check(m, d, { type: 'resume' });
      const previous = d.due_at;
      const dates = await this.resume(m, d, now, 'resume');
      const newDue = dates.dueAt;
      // newDueAt: the legal due date after the pause (null without one), for the views that keep it (ADR 0301)
      const ev = this.events.make('ProcessingResumed', { ...this.base(d), at: vn(now), newDueAt: iso(dates.originalDueAt), reason: dto.reason ?? 'resumed' }, meta);
      return { events: [ev], action: 'processing.resume', details: { previousDueAt: iso(previous), newDueAt: iso(newDue) } };
    });
  }

  apologise(ctx: CommandContext, id: string, dto: ApologyDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      const newDue = this.instant(dto.newDueAt, 'newDueAt');
      await this.rules.check(m, d, { type: 'issueApology' });
      // Also after the due date has passed (ADR 0306): the late dossier still owes the applicant a letter and a new
      // appointment, and it stays late in the statistics, which classify against the legal due date (originalDueAt).
      if (!this.rules.isWorkingInstant(newDue)) {
        throw ProblemException.unprocessable('invalid-due-date', `new appointment ${vn(newDue)} is not within working hours of a working day`, [
          { field: 'newDueAt', message: 'must be within working hours of a working day of the legal calendar (a due date never ends on a day off)' },
        ]);
      }
      if (newDue.getTime() <= now.getTime()) {
        throw ProblemException.unprocessable('invalid-due-date', `new appointment ${vn(newDue)} is not in the future`, [
          { field: 'newDueAt', message: `must be after now (${vn(now)})` },
        ]);
      }
      if (d.due_at && newDue.getTime() <= d.due_at.getTime()) {
        throw ProblemException.validation([{ field: 'newDueAt', message: 'must be later than the current due date' }]);
      }
      // At most one more full time limit of the procedure (and never more than a year): a typo such as 2206 would
      // otherwise become the appointment in force, silence the deadline alerts for good and be published (ADR 0309).
      const latest = this.rules.latestApologyDueAt(d, now);
      if (newDue.getTime() > latest.getTime()) {
        throw ProblemException.unprocessable('invalid-due-date', `new appointment ${vn(newDue)} is later than ${vn(latest)}`, [
          {
            field: 'newDueAt',
            message: `must be no later than ${vn(latest)}: an apology extends the appointment by at most the procedure's own time limit, counted from the later of the appointment in force and now, and by at most one year`,
          },
        ]);
      }
      await this.changeDue(m, d, now, newDue, 'apology');
      const ev = this.events.make(
        'ApologyIssued',
        { ...this.base(d), issuedAt: vn(now), reason: dto.reason, originalDueAt: vn(d.due_at ?? now), newDueAt: vn(newDue) },
        meta,
      );
      return { events: [ev], action: 'apology.issue', details: { newDueAt: vn(newDue) } };
    });
  }

  refuse(ctx: CommandContext, id: string, dto: RefusalDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      await this.rules.check(m, d, { type: 'refuse' });
      await this.finish(m, d, DossierStatus.Refused, now);
      const ev = this.events.make('DossierRefused', { ...this.base(d), finishedAt: vn(now), reason: dto.reason }, meta);
      return { events: [ev], action: 'dossier.refuse', details: { reason: dto.reason } };
    });
  }

  withdraw(ctx: CommandContext, id: string, dto: WithdrawalDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta) => {
      this.refuseApplicantData(d, [{ field: 'requestRef', value: dto.requestRef }]);
      await this.rules.check(m, d, { type: 'withdraw' });
      await this.finish(m, d, DossierStatus.Withdrawn, now);
      const ev = this.events.make('DossierWithdrawn', { ...this.base(d), finishedAt: vn(now), requestRef: dto.requestRef }, meta);
      // The applicant's free-text reason is kept internal (audit), never published (ADR 0308).
      return { events: [ev], action: 'dossier.withdraw', details: { requestRef: dto.requestRef, ...(dto.reason ? { reason: dto.reason } : {}) } };
    });
  }

  // ---- shared steps -------------------------------------------------------------------------------

  private base(d: DossierRow) {
    return { dossierId: d.id, receivingUnitId: d.unit_id, procedureCode: d.procedure_code };
  }

  /** 422 naming `agencyId` unless it is a one-stop unit of the catalogue in force now. */
  /**
   * A transfer goes to a one-stop unit of the catalogue in force (its officers work in this system). An
   * inter-agency step may also consult an agency outside it (tax, police, a ministry), named by its electronic
   * agency identifier of QĐ 20/2020/QĐ-TTg (`000.00.15.H56`, `000.00.00.G09`); anything else is refused (ADR 0306).
   */
  private assertKnownAgency(agencyId: string, now: Date, external: 'external-allowed' | 'catalogue-only' = 'catalogue-only'): void {
    if (this.agencies.isKnown(agencyId, now)) return;
    if (external === 'external-allowed' && ELECTRONIC_AGENCY_ID.test(agencyId)) return;
    const hint = external === 'external-allowed' ? ', or an electronic agency identifier of QĐ 20/2020 such as "000.00.15.H56"' : '';
    throw ProblemException.unprocessable('unknown-agency', `agency ${agencyId} is not a one-stop unit in force${hint ? ' nor an electronic agency identifier' : ''}`, [
      { field: 'agencyId', message: `not a one-stop unit of the catalogue in force (codes look like "01.TTPV", "01.STP", "01.00004")${hint}` },
    ]);
  }

  /**
   * 422 naming `agencyId` when a transfer would leave the receiving unit's province: the competent agency of a dossier
   * received in a province is a unit of that province (intake is boundary-free only within the province, domain.md §0;
   * ADR 0308). Receiving units outside the catalogue (legacy electronic agency codes) have no province here: not checked.
   */
  private assertSameProvince(d: DossierRow, agencyId: string): void {
    const home = this.agencies.provinceOf(d.unit_id);
    const target = this.agencies.provinceOf(agencyId);
    if (home === undefined || target === undefined || home === target) return;
    throw ProblemException.unprocessable('agency-outside-province', `agency ${agencyId} is not in the province of the receiving unit ${d.unit_id}`, [
      { field: 'agencyId', message: `must be a one-stop unit of province ${home}, the province of the receiving unit ${d.unit_id}` },
    ]);
  }

  /**
   * The instant of a `date-time` field. RFC 3339 (and so the schema's format) allows a leap second (`23:59:60Z`), which
   * no JavaScript Date can hold: it became NaN, passed every comparison and failed formatting — 500 (ADR 0309).
   */
  private instant(value: string, field: string): Date {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      throw ProblemException.validation([{ field, message: 'is not an instant this service can store (a leap second :60 cannot be represented; use :59)' }]);
    }
    return at;
  }

  /**
   * 422 naming `field` unless a step due date lies after the dossier's receipt, after now, and within working hours of a
   * working day of the legal calendar — a due date never ends on a day off, as for an apology's appointment (ADR 0306).
   */
  private assertStepDueAt(d: DossierRow, now: Date, value: Date, field: string): void {
    const at = value.getTime();
    if (at <= d.received_at.getTime()) {
      throw ProblemException.unprocessable('invalid-due-date', `${field} ${vn(value)} is not after the dossier's receipt`, [
        { field, message: `must be after the dossier's receipt (${vn(d.received_at)})` },
      ]);
    }
    if (at <= now.getTime()) {
      throw ProblemException.unprocessable('invalid-due-date', `${field} ${vn(value)} is in the past`, [{ field, message: `must be after now (${vn(now)})` }]);
    }
    if (!this.rules.isWorkingInstant(value)) {
      throw ProblemException.unprocessable('invalid-due-date', `${field} ${vn(value)} is not within working hours of a working day`, [
        { field, message: 'must be within working hours of a working day of the legal calendar (a due date never ends on a day off)' },
      ]);
    }
  }

  /** 422 naming `field` unless the instant lies after now (a deadline given to the applicant cannot be past). */
  private assertFuture(now: Date, value: Date, field: string): void {
    if (value.getTime() <= now.getTime()) {
      throw ProblemException.unprocessable('invalid-due-date', `${field} ${vn(value)} is not in the future`, [{ field, message: `must be after now (${vn(now)})` }]);
    }
  }

  private assertScope(officer: Officer, d: DossierRow): void {
    // An officer of the competent agency or of the receiving one-stop unit may act on the dossier.
    if (officer.unitId === d.agency_id) return;
    assertUnitScope(officer, d.unit_id);
  }

  /** Opens a pause of `kind` (clock stopped, thresholds cancelled); also used by the projector for imported history. */
  async pause(m: EntityManager, d: DossierRow, kind: PauseKind, reason: string | null, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO "${this.cfg.schema}".pause_interval (dossier_id, kind, reason, started_at) VALUES ($1, $2, $3, $4)`,
      [d.id, kind, reason, now],
    );
    await this.repo.update(m, d.id, { paused_at: now, pause_kind: kind });
    await rescheduleDeadlines(m, this.cfg.schema, { dossierId: d.id, dueAt: null, dueSoonWindowMinutes: this.window() });
  }

  /**
   * Ends the open pause and extends the due dates of record by it (`LifecycleRules.afterPause`, ADR 0301: supplementation
   * under RESTART or PAUSE, payment, suspension; never earlier), then re-arms the thresholds.
   */
  async resume(m: EntityManager, d: DossierRow, now: Date, cause: string, stated?: Date): Promise<{ dueAt: Date | null; originalDueAt: Date | null }> {
    // never before the pause's start: an imported resumption dated earlier would close it with a negative length
    const S = `"${this.cfg.schema}"`;
    const closed: { kind: string; started_at: Date; ended_at: Date }[] = await m.query(
      `SELECT kind, started_at, GREATEST($2::timestamptz, started_at) AS ended_at FROM ${S}.pause_interval
       WHERE dossier_id = $1 AND ended_at IS NULL ORDER BY id`,
      [d.id, now],
    );
    await m.query(`UPDATE ${S}.pause_interval SET ended_at = GREATEST($2::timestamptz, started_at) WHERE dossier_id = $1 AND ended_at IS NULL`, [d.id, now]);
    let dates = { dueAt: d.due_at, originalDueAt: d.original_due_at };
    for (const p of closed) {
      const at = { ...d, due_at: dates.dueAt, original_due_at: dates.originalDueAt };
      dates = this.rules.afterPause(at, { kind: p.kind, start: p.started_at, end: p.ended_at });
    }
    // an imported end of a pause that states the legal due date after it (`newDueAt`): followed as intake and
    // statistics follow it (the import checked it is not before the date of record; black-box round 8)
    if (stated) dates = { dueAt: dates.dueAt !== null && dates.dueAt > stated ? dates.dueAt : stated, originalDueAt: stated };
    const newDue = dates.dueAt;
    await this.repo.update(m, d.id, {
      status: DossierStatus.InProcess,
      paused_at: null,
      pause_kind: null,
      original_due_at: dates.originalDueAt,
    });
    await this.changeDue(m, { ...d, status: DossierStatus.InProcess }, now, newDue, cause);
    return dates;
  }

  /** Records a new due date (history row) and re-arms the thresholds; also used by the projector for imported history. */
  async changeDue(m: EntityManager, d: DossierRow, now: Date, newDue: Date | null, cause: string): Promise<void> {
    if ((d.due_at?.getTime() ?? null) !== (newDue?.getTime() ?? null)) {
      await m.query(
        `INSERT INTO "${this.cfg.schema}".due_date_change (dossier_id, changed_at, previous_due_at, new_due_at, cause)
         VALUES ($1, $2, $3, $4, $5)`,
        [d.id, now, d.due_at, newDue, cause],
      );
      await this.repo.update(m, d.id, { due_at: newDue });
    }
    await rescheduleDeadlines(m, this.cfg.schema, { dossierId: d.id, dueAt: newDue, dueSoonWindowMinutes: this.window(), armedAt: now });
  }

  /** Ends processing (terminal status, pauses closed, thresholds cancelled); also used by the projector for imported history. */
  async finish(m: EntityManager, d: DossierRow, status: DossierStatus, now: Date): Promise<void> {
    await m.query(
      `UPDATE "${this.cfg.schema}".pause_interval SET ended_at = $2 WHERE dossier_id = $1 AND ended_at IS NULL`,
      [d.id, now],
    );
    await this.repo.update(m, d.id, { status, finished_at: now, paused_at: null, pause_kind: null });
    await rescheduleDeadlines(m, this.cfg.schema, { dossierId: d.id, dueAt: null, dueSoonWindowMinutes: this.window() });
  }

  private window(): number {
    return this.cfg.deadlines.dueSoonWindowMinutes;
  }

  private async command(
    ctx: CommandContext,
    dossierId: string,
    run: (d: DossierRow, m: EntityManager, now: Date, meta: EventMeta) => Promise<Change>,
  ): Promise<CommandResult> {
    const r = await this.ds.transaction((m) =>
      withIdempotency(m, this.cfg.schema, ctx.officer.officerId, ctx.idempotencyKey, ctx.requestHash, async () => {
        const d = await this.repo.lock(m, dossierId);
        if (!d) throw ProblemException.notFound(`Dossier ${dossierId}`, 'dossierId');
        this.assertScope(ctx.officer, d);
        const now = this.clock.now();
        const meta: EventMeta = { correlationId: ctx.correlationId, occurredAt: now };
        const change = await run(d, m, now, meta);
        await this.repo.touch(m, dossierId, now);
        await this.events.append(m, change.events);
        await recordAudit(m, this.cfg.schema, {
          actor: ctx.officer.officerId,
          unitId: ctx.officer.unitId,
          action: change.action,
          target: dossierId,
          ip: ctx.ip,
          correlationId: ctx.correlationId,
          details: { ...(change.details ?? {}), events: change.events.map((e) => e.id) },
        });
        const after = (await this.repo.find(m, dossierId)) as DossierRow;
        const body: CommandResult = { ...this.repo.toView(after), events: change.events.map((e) => ({ id: e.id, type: e.type })) };
        return { status: 200, body };
      }),
    );
    return r.body;
  }
}
