import { DossierStatus } from '@onestop/contracts';
import { DOSSIER_TRANSITIONS, type DossierStatusOrNew } from './dossier-transitions.constant';

/** Target status of each event of the transition table (`'same'` for the events that keep it, and unknown types). */
const TARGET_BY_EVENT: ReadonlyMap<string, DossierStatus | 'same'> = new Map(Object.values(DOSSIER_TRANSITIONS).map((rule) => [rule.event, rule.to] as const));

/** result-service's outcome: it settles the dossier whatever processing did concurrently. */
const OUTCOME_EVENTS: ReadonlySet<string> = new Set(['DossierResolved', 'ResultReturned']);

/** Statuses that a later event of the processing phase (or a payment) does not change in a view. */
const SETTLED: ReadonlySet<DossierStatus> = new Set([
  DossierStatus.Resolved,
  DossierStatus.Returned,
  DossierStatus.Withdrawn,
  DossierStatus.Refused,
  DossierStatus.IntakeRejected,
]);

/**
 * The status a service's view takes on an event it CONSUMES (another service's fact), when commands of two
 * services may have crossed (ADR 0300, amendment of 2026-11-25). Facts are not re-judged — the view never refuses
 * an event — but every view resolves a crossing the same way, so that all of them end on one status:
 * - an event that keeps the status (apology, steps, rating, watcher events) keeps it;
 * - result-service's outcome wins: DossierResolved and ResultReturned apply even on a dossier the view has as
 *   withdrawn or refused meanwhile (processing applies them so too), and RETURNED is never undone;
 * - once settled (RESOLVED, RETURNED, WITHDRAWN, REFUSED, rejected at intake), a later event of the processing phase
 *   or a payment (a transfer, step, supplement, suspension, obligation, a withdrawal after the result) does not move
 *   the dossier back: result-service would otherwise show a resolved dossier IN_PROCESS with no action left.
 * Otherwise the event's target status of the transition table applies.
 */
export function statusAfterConsumedEvent(eventType: string, current: DossierStatusOrNew): DossierStatusOrNew {
  const to = TARGET_BY_EVENT.get(eventType) ?? 'same';
  if (to === 'same' || current === null) return to === 'same' ? current : to;
  if (current === DossierStatus.Returned) return current;
  if (SETTLED.has(current) && !OUTCOME_EVENTS.has(eventType)) return current;
  return to;
}

/** Whether `status` is settled for the events of the processing phase (`statusAfterConsumedEvent`). */
export function isSettledStatus(status: DossierStatusOrNew): boolean {
  return status !== null && SETTLED.has(status);
}
