import type { DossierStatus } from '@onestop/contracts';
import { DomainException } from '../errors';
import type { DossierAction } from './dossier-lifecycle.type';

export enum InvalidTransitionExceptionCode {
  /** The action is not in the transition table for the current status. */
  ActionNotAllowed = 'ACTION_NOT_ALLOWED',
  SupplementLimitReached = 'SUPPLEMENT_LIMIT_REACHED',
  InterAgencyStepAlreadyOpen = 'INTER_AGENCY_STEP_ALREADY_OPEN',
  InterAgencyStepNotOpen = 'INTER_AGENCY_STEP_NOT_OPEN',
  InterAgencyStepsPending = 'INTER_AGENCY_STEPS_PENDING',
  AlreadyRated = 'ALREADY_RATED',
  MissingField = 'MISSING_FIELD',
  UnknownAction = 'UNKNOWN_ACTION',
}

/**
 * A command that the dossier state machine refuses. `allowedActions` names what the current status
 * accepts (also spelled out in the message), so an API can answer 409 with a useful hint.
 */
export class InvalidTransitionException extends DomainException<InvalidTransitionExceptionCode> {
  constructor(
    code: InvalidTransitionExceptionCode,
    readonly from: DossierStatus | null,
    readonly action: DossierAction | string,
    readonly allowedActions: readonly DossierAction[],
    reason?: string,
  ) {
    super(
      code,
      `Cannot ${action} a dossier in status ${from ?? '(new)'}${reason ? `: ${reason}` : ''}. ` +
        `Allowed actions: ${allowedActions.length > 0 ? allowedActions.join(', ') : 'none (terminal status)'}`,
    );
  }
}
