import { Injectable } from '@nestjs/common';
import { DossierStatus, type Rating } from '@onestop/contracts';
import {
  DOSSIER_TRANSITIONS,
  DeadlineCalculator,
  DossierStateMachine,
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
  LegalCalendar,
  dueDatesAfterPause,
  type DossierAction,
  type DossierCommand,
} from '@onestop/domain';
import { ProblemException, type FieldError } from '@onestop/http';
import type { ResultDossierRow } from './result-dossier.repository';

/** The domain actions result-service itself accepts (its endpoints); the others belong to intake or processing. */
export const RESULT_ACTIONS: readonly DossierAction[] = ['resolve', 'completePayment', 'returnResult', 'rate'];

/** What another service must do first, by the status of a dossier on which result-service can do nothing yet. */
const FIRST_STEP: Readonly<Record<string, string>> = {
  SUBMITTED: 'intake-service must first receive it',
  RECEIVED: 'processing-service must first take it into processing (transfer it to the competent agency, or start an inter-agency step)',
  SUPPLEMENT_REQUESTED: 'processing-service must first record the supplement (receiveSupplement)',
  SUSPENDED: 'processing-service must first resume processing',
};

/** What result-service knows besides the dossier row that the guards need. */
export interface ResultGuardContext {
  /** The citizen's rating, if any. */
  readonly rating?: Rating | null;
  /** Agency codes of the inter-agency steps started and not yet completed (from processing's events). */
  readonly openInterAgencySteps?: readonly string[];
}

/** Adapter over @onestop/domain for result-service: state-machine guard (409) and due-date recomputation. */
@Injectable()
export class ResultRules {
  private readonly machine = new DossierStateMachine();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());

  /**
   * Actions result-service accepts now (ADR 0305): the status's actions that are result-service's own, without
   * `rate` once the citizen has rated and without `resolve` while an inter-agency step is open.
   */
  allowedActions(status: string, ctx: ResultGuardContext = {}): string[] {
    const rated = (ctx.rating ?? null) !== null;
    const stepsOpen = (ctx.openInterAgencySteps ?? []).length > 0;
    return this.machine
      .allowedActions(status as DossierStatus)
      .filter((a) => RESULT_ACTIONS.includes(a))
      .filter((a) => !(a === 'rate' && rated) && !(a === 'resolve' && stepsOpen));
  }

  check(d: ResultDossierRow, command: DossierCommand, ctx: ResultGuardContext = {}): void {
    const rating = ctx.rating ?? null;
    try {
      this.machine.transition(
        {
          status: d.status as DossierStatus,
          currentAgencyCode: d.agency_id,
          openInterAgencySteps: [...(ctx.openInterAgencySteps ?? [])],
          completedInterAgencySteps: 0,
          supplementRequestCount: 0,
          apologyCount: 0,
          paymentRequestCount: 0,
          suspensionCount: 0,
          rating,
          digitisedComponents: [],
          reusedComponents: [],
        },
        command,
      );
    } catch (err) {
      if (err instanceof InvalidTransitionException) {
        const allowedActions = this.allowedActions(d.status, ctx);
        // The domain's message lists the status's actions (with `rate` even when rated): say what is allowed now.
        const detail = `${err.message.replace(/ Allowed actions: .*$/, '')} Allowed actions: ${allowedActions.length > 0 ? allowedActions.join(', ') : this.noActionYet(d.status, err, ctx)}`;
        throw new ProblemException(409, 'invalid-transition', 'Invalid transition', detail, [ResultRules.fieldAtFault(err)], {
          code: err.code,
          currentStatus: err.from,
          action: err.action,
          allowedActions,
        });
      }
      throw err;
    }
  }

  /**
   * Why nothing is allowed here now, and what must happen first (a bare "none" left the caller guessing, e.g. on a
   * dossier still RECEIVED): the inter-agency steps to complete, the other service's step that brings the dossier to
   * a status the action needs, or that nothing is left to do.
   */
  private noActionYet(status: string, err: InvalidTransitionException, ctx: ResultGuardContext): string {
    if (err.code === InvalidTransitionExceptionCode.InterAgencyStepsPending) {
      return `none until processing-service completes the open inter-agency steps (${(ctx.openInterAgencySteps ?? []).join(', ')})`;
    }
    const elsewhere = this.machine.allowedActions(status as DossierStatus).filter((a) => !RESULT_ACTIONS.includes(a));
    if (elsewhere.length === 0) return `none: nothing is left to do on a ${status} dossier`;
    const first = FIRST_STEP[status] ?? `another service must first act on it (${elsewhere.join(', ')})`;
    return `none yet: ${err.action} needs the dossier ${ResultRules.neededStatuses(err.action)}, and it is ${status}: ${first}`;
  }

  /** The statuses from which `action` is allowed ("IN_PROCESS", "RESOLVED or RETURNED"). */
  static neededStatuses(action: string): string {
    const rule = (DOSSIER_TRANSITIONS as Readonly<Record<string, { from: readonly (string | null)[] }>>)[action];
    return (rule?.from ?? []).filter((s): s is string => s !== null).join(' or ') || '(unknown)';
  }

  /**
   * The `errors[]` entry of a refused command (ADR 0305): the `rating` already given, the open `interAgencySteps`
   * that keep a result from being issued, else the dossier's `status`.
   */
  static fieldAtFault(err: InvalidTransitionException): FieldError {
    switch (err.code) {
      case InvalidTransitionExceptionCode.AlreadyRated:
      case InvalidTransitionExceptionCode.MissingField:
        return { field: 'rating', message: err.message.replace(/ Allowed actions: .*$/, '') };
      case InvalidTransitionExceptionCode.InterAgencyStepsPending:
        return { field: 'interAgencySteps', message: err.message.replace(/ Allowed actions: .*$/, '') };
      default:
        return { field: 'status', message: `dossier is ${err.from ?? '(new)'}; ${err.action} is not allowed (it needs ${ResultRules.neededStatuses(err.action)})` };
    }
  }

  /**
   * The due dates once the open pause of `kind` (started at `start`) is closed at `end`: the domain's
   * `dueDatesAfterPause` (ADR 0301, amendment 2026-11-25), the rule processing-service applies too, so both services
   * agree — a pause only ever extends the due dates of record (an imported appointment included), counted in whole
   * units of the limit. Null when the dossier has no appointment.
   */
  afterPause(d: ResultDossierRow, kind: 'PAYMENT' | 'SUSPENSION' | 'SUPPLEMENT', start: Date, end: Date): { dueAt: Date; originalDueAt: Date } | null {
    const r = dueDatesAfterPause(
      this.deadlines,
      { dueAt: d.due_at?.getTime() ?? null, originalDueAt: d.original_due_at?.getTime() ?? null, timeLimit: d.time_limit, supplementPolicy: d.supplement_policy },
      { supplement: kind === 'SUPPLEMENT', start: start.getTime(), end: end.getTime() },
    );
    return r.dueAt === null || r.originalDueAt === null ? null : { dueAt: new Date(r.dueAt), originalDueAt: new Date(r.originalDueAt) };
  }
}
