import type { DossierStatus, Rating } from '@onestop/contracts';

/**
 * Commands of the dossier state machine. Names match the events of domain.md §1.3
 * (`receive` → DossierReceived, `rejectAtIntake` → DossierIntakeRejected, …).
 */
export const DossierAction = {
  Submit: 'submit',
  Receive: 'receive',
  RejectAtIntake: 'rejectAtIntake',
  Transfer: 'transfer',
  StartInterAgencyStep: 'startInterAgencyStep',
  CompleteInterAgencyStep: 'completeInterAgencyStep',
  RequestSupplement: 'requestSupplement',
  ReceiveSupplement: 'receiveSupplement',
  RequestPayment: 'requestPayment',
  CompletePayment: 'completePayment',
  Suspend: 'suspend',
  Resume: 'resume',
  IssueApology: 'issueApology',
  Refuse: 'refuse',
  Withdraw: 'withdraw',
  Resolve: 'resolve',
  ReturnResult: 'returnResult',
  Rate: 'rate',
  DigitiseComponent: 'digitiseComponent',
  ReuseData: 'reuseData',
} as const;
export type DossierAction = (typeof DossierAction)[keyof typeof DossierAction];
export const DOSSIER_ACTIONS: readonly DossierAction[] = Object.values(DossierAction);

/** What the legal clock does in a status (domain.md §1.3 "Clock" column). */
export const ClockState = {
  NotStarted: 'NOT_STARTED',
  Running: 'RUNNING',
  Paused: 'PAUSED',
  Stopped: 'STOPPED',
} as const;
export type ClockState = (typeof ClockState)[keyof typeof ClockState];

/** A command with its payload. Timestamps live in events and deadlines, not in the state machine. */
export type DossierCommand =
  | { readonly type: 'submit' }
  | { readonly type: 'receive' }
  | { readonly type: 'rejectAtIntake' }
  | { readonly type: 'transfer'; readonly agencyCode: string }
  | { readonly type: 'startInterAgencyStep'; readonly agencyCode: string }
  | { readonly type: 'completeInterAgencyStep'; readonly agencyCode: string }
  | { readonly type: 'requestSupplement' }
  | { readonly type: 'receiveSupplement' }
  | { readonly type: 'requestPayment' }
  | { readonly type: 'completePayment' }
  | { readonly type: 'suspend' }
  | { readonly type: 'resume' }
  | { readonly type: 'issueApology' }
  | { readonly type: 'refuse' }
  | { readonly type: 'withdraw' }
  | { readonly type: 'resolve' }
  | { readonly type: 'returnResult' }
  | { readonly type: 'rate'; readonly rating: Rating }
  | { readonly type: 'digitiseComponent'; readonly componentCode: string }
  | { readonly type: 'reuseData'; readonly componentCode: string };

/** The lifecycle state of one dossier: its status plus what the guards need. Immutable. */
export interface DossierLifecycleState {
  readonly status: DossierStatus;
  /** Agency currently handling the dossier (last transfer), if any. */
  readonly currentAgencyCode: string | null;
  /** Inter-agency steps started and not yet completed (agency codes). */
  readonly openInterAgencySteps: readonly string[];
  readonly completedInterAgencySteps: number;
  /** Supplementation requests so far (> 1 is outside the "one-time guidance" norm; see ADR 0100). */
  readonly supplementRequestCount: number;
  readonly apologyCount: number;
  readonly paymentRequestCount: number;
  readonly suspensionCount: number;
  readonly rating: Rating | null;
  /** Component codes digitised / reused (each counted once). */
  readonly digitisedComponents: readonly string[];
  readonly reusedComponents: readonly string[];
}

/** Lifecycle policy (per province / deployment). */
export interface DossierLifecyclePolicy {
  /** Maximum supplementation requests per dossier; `null` = no cap (default, ADR 0100). */
  readonly maxSupplementRequests: number | null;
}
