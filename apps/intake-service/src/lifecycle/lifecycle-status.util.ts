import { toPublicEvent, type DossierEventV1, type DossierStatus } from '@onestop/contracts';
import { DOSSIER_TRANSITIONS } from '@onestop/domain';

/**
 * Target status of each event of the domain transition table (`DOSSIER_TRANSITIONS[action].to`); `'same'` for
 * the events that keep the status (apology, inter-agency steps, rating, digitisation) and for the events that are
 * not commands of the state machine at all (DossierDueSoon, DossierOverdue).
 */
const TARGET_BY_EVENT: ReadonlyMap<string, DossierStatus | 'same'> = new Map(
  Object.values(DOSSIER_TRANSITIONS).map((rule) => [rule.event, rule.to] as const),
);

/** The status after a consumed event, applied as a fact (ADR 0300): never re-judged against the current status. */
export function statusAfter(eventType: string, current: DossierStatus | null): DossierStatus | null {
  const to = TARGET_BY_EVENT.get(eventType) ?? 'same';
  return to === 'same' ? current : to;
}

/** Fields every history payload gets back from the dossier row; not stored per event. */
const BASE_FIELDS = new Set(['dossierId', 'receivingUnitId', 'procedureCode']);

/**
 * What intake keeps of a consumed event: its public projection (the contract's `toPublicEvent`, the one the
 * public topic carries, so agency codes, due dates, result kind, fee amounts — no applicant data), without the
 * base fields the dossier row already holds.
 */
export function lifecycleSummary(event: DossierEventV1): Record<string, unknown> {
  const projected = toPublicEvent(event).payload as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(projected)) if (!BASE_FIELDS.has(k)) out[k] = v;
  return out;
}
