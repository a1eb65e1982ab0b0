import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DossierStatus, TimeLimitUnit } from '@onestop/contracts';
import {
  DeadlineCalculator,
  DossierStateMachine,
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
  LegalCalendar,
  type DossierAction,
  type DossierCommand,
  type DossierLifecycleState,
  dueDatesAfterPause,
  toVnDate,
} from '@onestop/domain';
import { ProblemException, type FieldError } from '@onestop/http';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { PauseKind } from './dossier-status';
import type { DossierRow } from './dossier.repository';

/**
 * The domain actions processing-service itself accepts (its endpoints). The others belong to intake (receive,
 * digitise) or result-service (resolve, payment, return, rating): processing never lists them as allowed, as
 * result-service lists only its own (ADR 0305) — a processing view offering `rate` on a returned dossier, even after
 * the citizen rated, pointed officers at an action this service does not have.
 */
export const PROCESSING_ACTIONS: readonly DossierAction[] = [
  'transfer',
  'startInterAgencyStep',
  'completeInterAgencyStep',
  'requestSupplement',
  'receiveSupplement',
  'requestPayment',
  'suspend',
  'resume',
  'issueApology',
  'refuse',
  'withdraw',
];

/** `rate, returnResult: result-service; digitiseComponent: intake-service` for actions of the other services. */
function ownersOf(actions: readonly DossierAction[]): string {
  const intake: readonly string[] = ['submit', 'receive', 'rejectAtIntake', 'digitiseComponent', 'reuseData'];
  const by = new Map<string, string[]>();
  for (const a of actions) {
    const owner = intake.includes(a) ? 'intake-service' : 'result-service';
    by.set(owner, [...(by.get(owner) ?? []), a]);
  }
  return [...by].map(([owner, list]) => `${list.join(', ')}: ${owner}`).join('; ');
}

/** The status's actions that are processing-service's own. */
function ownActions(actions: readonly DossierAction[]): string[] {
  return actions.filter((a) => PROCESSING_ACTIONS.includes(a));
}

/**
 * Adapter over @onestop/domain: the lifecycle state machine decides whether a command is allowed (else a
 * 409 problem listing the allowed actions); a closed pause extends the due dates of record (`afterPause`, ADR 0301).
 */
@Injectable()
export class LifecycleRules {
  private readonly machine = new DossierStateMachine();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());

  constructor(@Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig) {}

  /**
   * The status's actions that are this service's own; with `openSteps` known, `completeInterAgencyStep` only while a
   * step is open (black-box round 10: it was offered on a dossier that had none).
   */
  allowedActions(status: string, openSteps?: number): string[] {
    const own = ownActions(this.machine.allowedActions(status as DossierStatus));
    return openSteps === 0 ? own.filter((a) => a !== 'completeInterAgencyStep') : own;
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
    const own = ownActions(err.allowedActions);
    const elsewhere = err.allowedActions.filter((a) => !PROCESSING_ACTIONS.includes(a));
    const allowed =
      own.length > 0
        ? own.join(', ')
        : elsewhere.length > 0
          ? `none in processing-service (${ownersOf(elsewhere)})`
          : 'none (terminal status)';
    const detail = `${err.message.replace(/ Allowed actions: .*$/, '')} Allowed actions: ${allowed}`;
    return new ProblemException(409, 'invalid-transition', 'Invalid transition', detail, [LifecycleRules.fieldAtFault(err)], {
      code: err.code,
      currentStatus: err.from,
      action: err.action,
      allowedActions: own,
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
   * The due dates in force once the pause `[start, end]` of `kind` is closed: the domain's `dueDatesAfterPause` (ADR 0301,
   * amendment 2026-11-25), the one rule result-service applies too — a pause only ever extends the due dates of
   * record (an imported appointment included), counted in whole units of the limit. Null dates stay null.
   */
  afterPause(
    d: Pick<DossierRow, 'due_at' | 'original_due_at' | 'time_limit' | 'supplement_policy'>,
    pause: { kind: string; start: Date; end: Date },
  ): { dueAt: Date | null; originalDueAt: Date | null } {
    const r = dueDatesAfterPause(
      this.deadlines,
      { dueAt: d.due_at?.getTime() ?? null, originalDueAt: d.original_due_at?.getTime() ?? null, timeLimit: d.time_limit, supplementPolicy: d.supplement_policy },
      { supplement: pause.kind === PauseKind.Supplement, start: pause.start.getTime(), end: pause.end.getTime() },
    );
    if (r.dueAt === null || r.originalDueAt === null) return { dueAt: d.due_at, originalDueAt: d.original_due_at };
    return { dueAt: new Date(r.dueAt), originalDueAt: new Date(r.originalDueAt) };
  }
}
