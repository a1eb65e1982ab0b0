import { toPublicEvent, type DossierEventV1, type DossierStatus } from '@onestop/contracts';
import { statusAfterConsumedEvent } from '@onestop/domain';

/**
 * The status after a consumed event, applied as a fact (ADR 0300): never re-judged, but a crossing of two services'
 * commands ends on the same status in every view (`statusAfterConsumedEvent` of @onestop/domain): a payment or a
 * processing event published after a withdrawal does not make the dossier IN_PROCESS again.
 */
export function statusAfter(eventType: string, current: DossierStatus | null): DossierStatus | null {
  return statusAfterConsumedEvent(eventType, current);
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
