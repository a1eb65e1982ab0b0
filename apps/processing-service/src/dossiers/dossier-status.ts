import { DossierStatus } from '@onestop/contracts';

/** States in which the legal clock runs, so deadline thresholds are armed (domain.md §1.3). */
export const CLOCK_RUNNING: ReadonlySet<string> = new Set<string>([DossierStatus.Received, DossierStatus.InProcess]);

/** Paused states and the kind recorded in pause_interval. */
export const PauseKind = {
  Supplement: 'SUPPLEMENT',
  Payment: 'PAYMENT',
  Suspension: 'SUSPENSION',
} as const;
export type PauseKind = (typeof PauseKind)[keyof typeof PauseKind];
