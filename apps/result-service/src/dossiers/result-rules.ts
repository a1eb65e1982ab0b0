import { Injectable } from '@nestjs/common';
import { DossierStatus, SupplementPolicy, type Rating, type TimeLimitUnit } from '@onestop/contracts';
import {
  DeadlineCalculator,
  DossierStateMachine,
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
  LegalCalendar,
  type DossierAction,
  type DossierCommand,
} from '@onestop/domain';
import { ProblemException, type FieldError } from '@onestop/http';
import type { ResultDossierRow } from './result-dossier.repository';

/** The domain actions result-service itself accepts (its endpoints); the others belong to intake or processing. */
export const RESULT_ACTIONS: readonly DossierAction[] = ['resolve', 'completePayment', 'returnResult', 'rate'];

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
        const detail = `${err.message.replace(/ Allowed actions: .*$/, '')} Allowed actions: ${allowedActions.length > 0 ? allowedActions.join(', ') : 'none'}`;
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
        return { field: 'status', message: `dossier is ${err.from ?? '(new)'}; ${err.action} is not allowed` };
    }
  }

  /** Due dates from the recorded history (same domain calculator as processing-service), or null. */
  recompute(d: ResultDossierRow, asOf: Date): { dueAt: Date; originalDueAt: Date } | null {
    if (d.due_at == null || d.time_limit == null) return null;
    const h = d.clock_history;
    const limit = { value: d.time_limit.value, unit: d.time_limit.unit as TimeLimitUnit };
    const receivedAt = d.received_at.getTime();
    try {
      const r = this.deadlines.computeDueDate({
        receivedAt,
        limit,
        supplementPolicy: (d.supplement_policy as SupplementPolicy) ?? SupplementPolicy.Restart,
        pauses: h.pauses.filter((p) => p.kind !== 'SUPPLEMENT').map((p) => ({ start: p.start, ...(p.end ? { end: p.end } : {}), reason: p.kind })),
        supplements: h.pauses.filter((p) => p.kind === 'SUPPLEMENT').map((p) => ({ requestedAt: p.start, ...(p.end ? { receivedAt: p.end } : {}) })),
        extensions: h.apologies.map((a) => ({ issuedAt: a.issuedAt, newDueAt: a.newDueAt })),
        asOf: asOf.getTime(),
        // recorded history: an apology accepted against an imported appointment never blocks the recomputation (ADR 0301)
        replay: true,
      });
      return { dueAt: new Date(r.currentDueAtMs), originalDueAt: new Date(r.originalDueAtMs) };
    } catch (err) {
      // A contract-valid limit the calendar cannot count (1.5 CALENDAR_DAYS, 10⁹ WORKING_DAYS from an import) threw
      // here: 500 on every payment of such a dossier. It keeps the appointment in force, as one without a limit (ADR 0301).
      try {
        this.deadlines.computeDueDate({ receivedAt, limit });
      } catch {
        return null;
      }
      throw err;
    }
  }
}
