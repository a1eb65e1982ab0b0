import { DossierStatus, Rating } from '@onestop/contracts';
import {
  type DossierAction,
  type DossierCommand,
  type DossierLifecyclePolicy,
  type DossierLifecycleState,
} from './dossier-lifecycle.type';
import {
  DOSSIER_TRANSITIONS,
  type DossierStatusOrNew,
  allowedActions,
} from './dossier-transitions.constant';
import {
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
} from './invalid-transition.exception';

/** Default policy: no hard cap on supplementation requests; the count is recorded (ADR 0100). */
export const DEFAULT_LIFECYCLE_POLICY: DossierLifecyclePolicy = { maxSupplementRequests: null };

const RATINGS: readonly string[] = Object.values(Rating);

function newState(status: DossierStatus): DossierLifecycleState {
  return {
    status,
    currentAgencyCode: null,
    openInterAgencySteps: [],
    completedInterAgencySteps: 0,
    supplementRequestCount: 0,
    apologyCount: 0,
    paymentRequestCount: 0,
    suspensionCount: 0,
    rating: null,
    digitisedComponents: [],
    reusedComponents: [],
  };
}

/**
 * The dossier state machine over the internal statuses of domain.md §1.3. Pure: `transition` returns a new
 * state or throws `InvalidTransitionException` (status not allowed, or a guard failed); it never
 * returns a status outside `DossierStatus`.
 */
export class DossierStateMachine {
  readonly policy: DossierLifecyclePolicy;

  constructor(policy: Partial<DossierLifecyclePolicy> = {}) {
    this.policy = { ...DEFAULT_LIFECYCLE_POLICY, ...policy };
    const max = this.policy.maxSupplementRequests;
    if (max !== null && (!Number.isInteger(max) || max < 0)) {
      throw new RangeError(
        `maxSupplementRequests must be a non-negative integer or null, got ${max}`,
      );
    }
  }

  /** Actions the table allows in a status (guards not evaluated). */
  allowedActions(stateOrStatus: DossierLifecycleState | DossierStatusOrNew): DossierAction[] {
    return allowedActions(DossierStateMachine.statusOf(stateOrStatus));
  }

  /** True when `transition` would succeed. */
  can(state: DossierLifecycleState | null, command: DossierCommand): boolean {
    try {
      this.transition(state, command);
      return true;
    } catch (error) {
      if (error instanceof InvalidTransitionException) return false;
      throw error;
    }
  }

  /** Apply a sequence of commands from "no dossier". */
  replay(commands: readonly DossierCommand[]): DossierLifecycleState | null {
    return commands.reduce<DossierLifecycleState | null>(
      (state, command) => this.transition(state, command),
      null,
    );
  }

  /** More than one supplementation request: outside the "one-time written guidance" norm (F766 counts it late). */
  exceedsOneTimeSupplementNorm(state: DossierLifecycleState): boolean {
    return state.supplementRequestCount > 1;
  }

  transition(state: DossierLifecycleState | null, command: DossierCommand): DossierLifecycleState {
    const from = state?.status ?? null;
    const allowed = allowedActions(from);
    const type = command.type as string;
    const rule = Object.prototype.hasOwnProperty.call(DOSSIER_TRANSITIONS, type)
      ? DOSSIER_TRANSITIONS[command.type]
      : undefined;
    if (rule === undefined) {
      throw new InvalidTransitionException(
        InvalidTransitionExceptionCode.UnknownAction,
        from,
        type,
        allowed,
        'unknown action',
      );
    }
    if (!rule.from.includes(from)) {
      throw new InvalidTransitionException(
        InvalidTransitionExceptionCode.ActionNotAllowed,
        from,
        command.type,
        allowed,
      );
    }
    const fail = (code: InvalidTransitionExceptionCode, reason: string): never => {
      throw new InvalidTransitionException(code, from, command.type, allowed, reason);
    };
    const requireCode = (value: string, field: string): string => {
      if (typeof value !== 'string' || value.trim() === '')
        fail(InvalidTransitionExceptionCode.MissingField, `${field} is required`);
      return value.trim();
    };
    // From here on `state` is non-null except for submit/receive, whose rules allow `null`.
    const current = state ?? newState(DossierStatus.Submitted);

    switch (command.type) {
      case 'submit':
        return newState(DossierStatus.Submitted);
      case 'receive':
        return state === null
          ? newState(DossierStatus.Received)
          : { ...state, status: DossierStatus.Received };
      case 'rejectAtIntake':
        return { ...current, status: DossierStatus.IntakeRejected };
      case 'transfer': {
        const agencyCode = requireCode(command.agencyCode, 'agencyCode');
        return { ...current, status: DossierStatus.InProcess, currentAgencyCode: agencyCode };
      }
      case 'startInterAgencyStep': {
        const agencyCode = requireCode(command.agencyCode, 'agencyCode');
        if (current.openInterAgencySteps.includes(agencyCode)) {
          fail(
            InvalidTransitionExceptionCode.InterAgencyStepAlreadyOpen,
            `an inter-agency step with ${agencyCode} is already open`,
          );
        }
        return {
          ...current,
          status: DossierStatus.InProcess,
          openInterAgencySteps: [...current.openInterAgencySteps, agencyCode],
        };
      }
      case 'completeInterAgencyStep': {
        const agencyCode = requireCode(command.agencyCode, 'agencyCode');
        if (!current.openInterAgencySteps.includes(agencyCode)) {
          fail(
            InvalidTransitionExceptionCode.InterAgencyStepNotOpen,
            `no open inter-agency step with ${agencyCode}`,
          );
        }
        return {
          ...current,
          openInterAgencySteps: current.openInterAgencySteps.filter((a) => a !== agencyCode),
          completedInterAgencySteps: current.completedInterAgencySteps + 1,
        };
      }
      case 'requestSupplement': {
        const max = this.policy.maxSupplementRequests;
        if (max !== null && current.supplementRequestCount >= max) {
          fail(
            InvalidTransitionExceptionCode.SupplementLimitReached,
            `supplementation already requested ${current.supplementRequestCount} time(s), policy allows ${max}`,
          );
        }
        return {
          ...current,
          status: DossierStatus.SupplementRequested,
          supplementRequestCount: current.supplementRequestCount + 1,
        };
      }
      case 'receiveSupplement':
        return { ...current, status: DossierStatus.InProcess };
      case 'requestPayment':
        return {
          ...current,
          status: DossierStatus.AwaitingPayment,
          paymentRequestCount: current.paymentRequestCount + 1,
        };
      case 'completePayment':
        return { ...current, status: DossierStatus.InProcess };
      case 'suspend':
        return {
          ...current,
          status: DossierStatus.Suspended,
          suspensionCount: current.suspensionCount + 1,
        };
      case 'resume':
        return { ...current, status: DossierStatus.InProcess };
      case 'issueApology':
        return { ...current, apologyCount: current.apologyCount + 1 };
      case 'refuse':
        return { ...current, status: DossierStatus.Refused, openInterAgencySteps: [] };
      case 'withdraw':
        return { ...current, status: DossierStatus.Withdrawn, openInterAgencySteps: [] };
      case 'resolve':
        if (current.openInterAgencySteps.length > 0) {
          fail(
            InvalidTransitionExceptionCode.InterAgencyStepsPending,
            `inter-agency steps still open: ${current.openInterAgencySteps.join(', ')}`,
          );
        }
        return { ...current, status: DossierStatus.Resolved };
      case 'returnResult':
        return { ...current, status: DossierStatus.Returned };
      case 'rate':
        if (!RATINGS.includes(command.rating)) {
          fail(
            InvalidTransitionExceptionCode.MissingField,
            `rating must be one of ${RATINGS.join(', ')}`,
          );
        }
        if (current.rating !== null)
          fail(InvalidTransitionExceptionCode.AlreadyRated, `already rated ${current.rating}`);
        return { ...current, rating: command.rating };
      case 'digitiseComponent': {
        const code = requireCode(command.componentCode, 'componentCode');
        return current.digitisedComponents.includes(code)
          ? current
          : { ...current, digitisedComponents: [...current.digitisedComponents, code] };
      }
      case 'reuseData': {
        const code = requireCode(command.componentCode, 'componentCode');
        return current.reusedComponents.includes(code)
          ? current
          : { ...current, reusedComponents: [...current.reusedComponents, code] };
      }
    }
  }

  private static statusOf(
    stateOrStatus: DossierLifecycleState | DossierStatusOrNew,
  ): DossierStatusOrNew {
    return stateOrStatus !== null && typeof stateOrStatus === 'object'
      ? stateOrStatus.status
      : stateOrStatus;
  }
}
