import { Injectable } from '@nestjs/common';
import { DossierStatus, SupplementPolicy, type Rating, type TimeLimitUnit } from '@onestop/contracts';
import {
  DeadlineCalculator,
  DossierStateMachine,
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
  LegalCalendar,
  type DossierCommand,
} from '@onestop/domain';
import { ProblemException, type FieldError } from '@onestop/http';
import type { ResultDossierRow } from './result-dossier.repository';

/** Adapter over @onestop/domain for result-service: state-machine guard (409) and due-date recomputation. */
@Injectable()
export class ResultRules {
  private readonly machine = new DossierStateMachine();
  private readonly deadlines = new DeadlineCalculator(new LegalCalendar());

  /** Actions the dossier accepts now: the status's actions, without `rate` once the citizen has rated. */
  allowedActions(status: string, rating: Rating | null = null): string[] {
    const actions: string[] = this.machine.allowedActions(status as DossierStatus);
    return rating === null ? actions : actions.filter((a) => a !== 'rate');
  }

  check(d: ResultDossierRow, command: DossierCommand, rating: Rating | null = null): void {
    try {
      this.machine.transition(
        {
          status: d.status as DossierStatus,
          currentAgencyCode: d.agency_id,
          openInterAgencySteps: [],
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
        const allowedActions = this.allowedActions(d.status, rating);
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

  /** The `errors[]` entry of a refused command: the `rating` already given, else the dossier's `status`. */
  static fieldAtFault(err: InvalidTransitionException): FieldError {
    switch (err.code) {
      case InvalidTransitionExceptionCode.AlreadyRated:
      case InvalidTransitionExceptionCode.MissingField:
        return { field: 'rating', message: err.message.replace(/ Allowed actions: .*$/, '') };
      case InvalidTransitionExceptionCode.InterAgencyStepsPending:
        return { field: 'status', message: `dossier has open inter-agency steps; ${err.action} is not allowed yet` };
      default:
        return { field: 'status', message: `dossier is ${err.from ?? '(new)'}; ${err.action} is not allowed` };
    }
  }

  /** Due dates from the recorded history (same domain calculator as processing-service), or null. */
  recompute(d: ResultDossierRow, asOf: Date): { dueAt: Date; originalDueAt: Date } | null {
    if (d.due_at == null || d.time_limit == null) return null;
    const h = d.clock_history;
    const r = this.deadlines.computeDueDate({
      receivedAt: d.received_at.getTime(),
      limit: { value: d.time_limit.value, unit: d.time_limit.unit as TimeLimitUnit },
      supplementPolicy: (d.supplement_policy as SupplementPolicy) ?? SupplementPolicy.Restart,
      pauses: h.pauses.filter((p) => p.kind !== 'SUPPLEMENT').map((p) => ({ start: p.start, ...(p.end ? { end: p.end } : {}), reason: p.kind })),
      supplements: h.pauses.filter((p) => p.kind === 'SUPPLEMENT').map((p) => ({ requestedAt: p.start, ...(p.end ? { receivedAt: p.end } : {}) })),
      extensions: h.apologies.map((a) => ({ issuedAt: a.issuedAt, newDueAt: a.newDueAt })),
      asOf: asOf.getTime(),
    });
    return { dueAt: new Date(r.currentDueAtMs), originalDueAt: new Date(r.originalDueAtMs) };
  }
}
