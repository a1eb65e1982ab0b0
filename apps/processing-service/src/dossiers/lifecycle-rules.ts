import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DossierStatus, SupplementPolicy, TimeLimitUnit } from '@onestop/contracts';
import {
  DeadlineCalculator,
  DossierStateMachine,
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
  LegalCalendar,
  type DossierCommand,
  type DossierLifecycleState,
  toVnDate,
  type DueDateResult,
} from '@onestop/domain';
import { ProblemException, type FieldError } from '@onestop/http';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { PauseKind } from './dossier-status';
import type { DossierRow } from './dossier.repository';

/** True when the calendar can count `limit` from `receivedAt` at all (no history). */
export function limitCountable(deadlines: DeadlineCalculator, receivedAt: number, limit: { value: number; unit: TimeLimitUnit }): boolean {
  try {
    deadlines.computeDueDate({ receivedAt, limit });
    return true;
  } catch {
    return false;
  }
}

/**
 * Adapter over @onestop/domain: the lifecycle state machine decides whether a command is allowed (else a
 * 409 problem listing the allowed actions), and the deadline calculator recomputes the due dates from the
 * dossier's history (receipt, limit, pauses, supplementation rounds under RESTART/PAUSE, apologies).
 */
@Injectable()
export class LifecycleRules {
  private readonly log = new Logger(LifecycleRules.name);
  private readonly machine = new DossierStateMachine();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());

  constructor(@Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig) {}

  allowedActions(status: string): string[] {
    return this.machine.allowedActions(status as DossierStatus);
  }

  isOpen(status: string): boolean {
    return (
      [DossierStatus.Received, DossierStatus.InProcess, DossierStatus.SupplementRequested, DossierStatus.AwaitingPayment, DossierStatus.Suspended] as string[]
    ).includes(status);
  }

  /**
   * True when `at` lies inside a working session of a working day of the legal calendar, both ends included:
   * a computed due date may be a session end (17:00), never a day off or closed hours (domain.md §2.1).
   */
  isWorkingInstant(at: Date): boolean {
    const t = at.getTime();
    return this.deadlines.calendar.sessionsOn(toVnDate(t)).some((s) => t >= s.start && t <= s.end);
  }

  /**
   * The latest new appointment an apology may give (ADR 0309): the procedure's time limit counted again on the legal
   * calendar from the later of the appointment in force and now, to the close of that working day, and never more
   * than one year after that instant. A dossier without a time limit, or one the calendar cannot count, gets the year.
   */
  latestApologyDueAt(d: Pick<DossierRow, 'due_at' | 'time_limit'>, now: Date): Date {
    const base = Math.max(d.due_at?.getTime() ?? now.getTime(), now.getTime());
    const year = new Date(base);
    year.setUTCFullYear(year.getUTCFullYear() + 1);
    if (d.time_limit == null) return year;
    const limit = { value: d.time_limit.value, unit: d.time_limit.unit as TimeLimitUnit };
    let due: number;
    try {
      due = this.deadlines.computeDueDate({ receivedAt: base, limit }).currentDueAtMs;
    } catch {
      return year; // a contract-valid limit the calendar cannot count (ADR 0301): the year alone bounds it
    }
    return new Date(Math.min(this.deadlines.calendar.closingInstant(toVnDate(due)), year.getTime()));
  }

  /** Throws the 409 problem when the state machine refuses `command` for this dossier; nothing is changed. */
  async check(m: EntityManager, d: DossierRow, command: DossierCommand): Promise<void> {
    const steps: { agency_id: string; completed_at: Date | null }[] = await m.query(
      `SELECT agency_id, completed_at FROM "${this.cfg.schema}".inter_agency_step WHERE dossier_id = $1`,
      [d.id],
    );
    const state: DossierLifecycleState = {
      status: d.status as DossierStatus,
      currentAgencyCode: d.agency_id,
      openInterAgencySteps: steps.filter((s) => s.completed_at == null).map((s) => s.agency_id),
      completedInterAgencySteps: steps.filter((s) => s.completed_at != null).length,
      supplementRequestCount: d.supplement_count,
      apologyCount: 0,
      paymentRequestCount: 0,
      suspensionCount: 0,
      rating: null,
      digitisedComponents: [],
      reusedComponents: [],
    };
    try {
      this.machine.transition(state, command);
    } catch (err) {
      if (err instanceof InvalidTransitionException) throw LifecycleRules.toProblem(err);
      throw err;
    }
  }

  static toProblem(err: InvalidTransitionException): ProblemException {
    return new ProblemException(409, 'invalid-transition', 'Invalid transition', err.message, [LifecycleRules.fieldAtFault(err)], {
      code: err.code,
      currentStatus: err.from,
      action: err.action,
      allowedActions: [...err.allowedActions],
    });
  }

  /**
   * The `errors[]` entry of a refused transition: the dossier's `status` when the action is not allowed in it,
   * else the request field the guard refused (`agencyId` of a step, the `stepId`, ...).
   */
  static fieldAtFault(err: InvalidTransitionException): FieldError {
    const message = err.message;
    switch (err.code) {
      case InvalidTransitionExceptionCode.InterAgencyStepAlreadyOpen:
        return { field: 'agencyId', message };
      case InvalidTransitionExceptionCode.InterAgencyStepNotOpen:
        return { field: 'stepId', message };
      case InvalidTransitionExceptionCode.InterAgencyStepsPending:
        return { field: 'interAgencySteps', message };
      case InvalidTransitionExceptionCode.SupplementLimitReached:
        return { field: 'supplementCount', message };
      case InvalidTransitionExceptionCode.MissingField:
        return { field: err.action === 'transfer' || err.action === 'startInterAgencyStep' ? 'agencyId' : 'body', message };
      case InvalidTransitionExceptionCode.AlreadyRated:
        return { field: 'rating', message };
      case InvalidTransitionExceptionCode.UnknownAction:
        return { field: 'action', message };
      case InvalidTransitionExceptionCode.ActionNotAllowed:
        return { field: 'status', message: `dossier is ${err.from ?? '(new)'}; ${err.action} is not allowed` };
    }
  }

  /** The 409 of a command refused by this service's own rules (not the state machine), in the same shape. */
  conflict(d: DossierRow, action: string, detail: string, error: FieldError, extra: Record<string, unknown> = {}): ProblemException {
    return new ProblemException(409, 'invalid-transition', 'Invalid transition', detail, [error], {
      ...extra,
      currentStatus: d.status,
      action,
      allowedActions: this.allowedActions(d.status),
    });
  }

  /**
   * The due dates from the dossier's whole history as of `asOf` (all pauses must be closed by then).
   * Null when the dossier has no appointment or no time limit.
   */
  async recompute(m: EntityManager, d: DossierRow, asOf: Date): Promise<{ dueAt: Date; originalDueAt: Date; result: DueDateResult } | null> {
    if (d.due_at == null || d.time_limit == null) return null;
    const S = `"${this.cfg.schema}"`;
    const pauses: { kind: string; started_at: Date; ended_at: Date | null; reason: string | null }[] = await m.query(
      `SELECT kind, started_at, ended_at, reason FROM ${S}.pause_interval WHERE dossier_id = $1 ORDER BY id`,
      [d.id],
    );
    const apologies: { changed_at: Date; new_due_at: Date }[] = await m.query(
      `SELECT changed_at, new_due_at FROM ${S}.due_date_change WHERE dossier_id = $1 AND cause = 'apology' ORDER BY id`,
      [d.id],
    );
    const ms = (x: Date | null) => (x ? x.getTime() : undefined);
    const limit = { value: d.time_limit.value, unit: d.time_limit.unit as TimeLimitUnit };
    const input = {
      receivedAt: d.received_at.getTime(),
      limit,
      supplementPolicy: (d.supplement_policy as SupplementPolicy) ?? SupplementPolicy.Restart,
      pauses: pauses
        .filter((p) => p.kind !== PauseKind.Supplement)
        .map((p) => ({ start: p.started_at.getTime(), ...(p.ended_at ? { end: p.ended_at.getTime() } : {}), reason: p.reason ?? p.kind })),
      supplements: pauses
        .filter((p) => p.kind === PauseKind.Supplement)
        .map((p) => ({ requestedAt: p.started_at.getTime(), ...(ms(p.ended_at) !== undefined ? { receivedAt: ms(p.ended_at) as number } : {}) })),
      extensions: apologies.map((a) => ({ issuedAt: a.changed_at.getTime(), newDueAt: a.new_due_at.getTime() })),
      asOf: asOf.getTime(),
      // recorded history: an apology accepted against an imported appointment never blocks the recomputation (ADR 0301)
      replay: true,
    };
    let result: DueDateResult;
    try {
      result = this.deadlines.computeDueDate(input);
    } catch (err) {
      // A contract-valid limit the calendar cannot count (1.5 CALENDAR_DAYS, 10⁹ WORKING_DAYS: an import or another
      // producer) threw here: 500 on every supplement receipt / resumption, and a PaymentCompleted stalled the
      // consumer. Such a dossier keeps the appointment in force, like one without a time limit (ADR 0301).
      if (limitCountable(this.deadlines, input.receivedAt, limit)) throw err;
      this.log.warn(`dossier ${d.id}: time limit ${JSON.stringify(limit)} cannot be counted on the legal calendar; due date kept`);
      return null;
    }
    return { dueAt: new Date(result.currentDueAtMs), originalDueAt: new Date(result.originalDueAtMs), result };
  }
}
