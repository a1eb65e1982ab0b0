import { DOSSIER_STATUSES, DossierStatus, NATIONAL_STATUS_CODE } from '@onestop/contracts';
import { ClockState, DOSSIER_ACTIONS, type DossierAction } from './dossier-lifecycle.type';

const S = DossierStatus;

/** `null` is "no dossier yet" (before DossierSubmitted, or a counter receipt without prior submission). */
export type DossierStatusOrNew = DossierStatus | null;

export interface TransitionRule {
  readonly from: readonly DossierStatusOrNew[];
  /** Target status; `'same'` keeps the current status (apology, inter-agency steps, rating, digitisation). */
  readonly to: DossierStatus | 'same';
  /** Event emitted by the command (domain.md §1.3). */
  readonly event: string;
}

const WORKING: readonly DossierStatus[] = [
  S.Received,
  S.InProcess,
  S.SupplementRequested,
  S.AwaitingPayment,
  S.Suspended,
];

/**
 * The transition table (domain.md §1.3). Deliberate extensions, documented in ADR 0100:
 * refuse is also allowed from SUPPLEMENT_REQUESTED (applicant never supplements) and SUSPENDED
 * (verification shows the dossier is ineligible); withdraw is allowed from every non-terminal status
 * except RESOLVED (the result exists; processing is over).
 */
export const DOSSIER_TRANSITIONS: Readonly<Record<DossierAction, TransitionRule>> = {
  submit: { from: [null], to: S.Submitted, event: 'DossierSubmitted' },
  receive: { from: [null, S.Submitted], to: S.Received, event: 'DossierReceived' },
  rejectAtIntake: { from: [S.Submitted], to: S.IntakeRejected, event: 'DossierIntakeRejected' },
  transfer: { from: [S.Received, S.InProcess], to: S.InProcess, event: 'DossierTransferred' },
  startInterAgencyStep: {
    from: [S.Received, S.InProcess],
    to: S.InProcess,
    event: 'InterAgencyStepStarted',
  },
  completeInterAgencyStep: {
    from: [S.InProcess],
    to: S.InProcess,
    event: 'InterAgencyStepCompleted',
  },
  requestSupplement: {
    from: [S.Received, S.InProcess],
    to: S.SupplementRequested,
    event: 'SupplementRequested',
  },
  receiveSupplement: {
    from: [S.SupplementRequested],
    to: S.InProcess,
    event: 'SupplementReceived',
  },
  requestPayment: {
    from: [S.InProcess],
    to: S.AwaitingPayment,
    event: 'FinancialObligationRequested',
  },
  completePayment: { from: [S.AwaitingPayment], to: S.InProcess, event: 'PaymentCompleted' },
  suspend: { from: [S.InProcess], to: S.Suspended, event: 'ProcessingSuspended' },
  resume: { from: [S.Suspended], to: S.InProcess, event: 'ProcessingResumed' },
  issueApology: { from: [S.InProcess], to: 'same', event: 'ApologyIssued' },
  refuse: {
    from: [S.Received, S.InProcess, S.SupplementRequested, S.Suspended],
    to: S.Refused,
    event: 'DossierRefused',
  },
  withdraw: { from: [S.Submitted, ...WORKING], to: S.Withdrawn, event: 'DossierWithdrawn' },
  resolve: { from: [S.InProcess], to: S.Resolved, event: 'DossierResolved' },
  returnResult: { from: [S.Resolved], to: S.Returned, event: 'ResultReturned' },
  rate: { from: [S.Resolved, S.Returned], to: 'same', event: 'DossierRated' },
  digitiseComponent: { from: [...WORKING, S.Resolved], to: 'same', event: 'ComponentDigitised' },
  reuseData: { from: [...WORKING, S.Resolved], to: 'same', event: 'DataReused' },
};

/** Statuses after which only a rating (and portal sync) may follow. */
export const TERMINAL_STATUSES: readonly DossierStatus[] = [
  S.IntakeRejected,
  S.Refused,
  S.Withdrawn,
  S.Returned,
];

/** What the legal clock does in each status (domain.md §1.3). */
export const CLOCK_STATE: Readonly<Record<DossierStatus, ClockState>> = {
  SUBMITTED: ClockState.NotStarted,
  RECEIVED: ClockState.Running,
  INTAKE_REJECTED: ClockState.NotStarted,
  IN_PROCESS: ClockState.Running,
  SUPPLEMENT_REQUESTED: ClockState.Paused,
  AWAITING_PAYMENT: ClockState.Paused,
  SUSPENDED: ClockState.Paused,
  REFUSED: ClockState.Stopped,
  WITHDRAWN: ClockState.Stopped,
  RESOLVED: ClockState.Stopped,
  RETURNED: ClockState.Stopped,
};

/** Allowed actions per status, in table order (guards not considered). */
export function allowedActions(status: DossierStatusOrNew): DossierAction[] {
  return DOSSIER_ACTIONS.filter((a) => DOSSIER_TRANSITIONS[a].from.includes(status));
}

export function isTerminalStatus(status: DossierStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function clockStateOf(status: DossierStatus): ClockState {
  return CLOCK_STATE[status];
}

/** Event name emitted by an action (e.g. `receive` → `DossierReceived`). */
export function eventNameOf(action: DossierAction): string {
  return DOSSIER_TRANSITIONS[action].event;
}

/** Every status reachable in the table, for exhaustive tests. */
export const ALL_STATUSES_OR_NEW: readonly DossierStatusOrNew[] = [null, ...DOSSIER_STATUSES];

/** National portal status code TrangThaiHoSo (1–10) of a status, from `NATIONAL_STATUS_CODE` of @onestop/contracts. */
export function nationalStatusCodeOf(status: DossierStatus): number {
  return NATIONAL_STATUS_CODE[status];
}
