import { toPublicEvent, type DossierEventV1, type DossierStatus } from '@onestop/contracts';
import { statusAfterConsumedEvent } from '@onestop/domain';

/**
 * The status after a consumed event, applied as a fact (ADR 0300): never re-judged, but a crossing of two services'
 * commands ends on the same status in every view (`statusAfterConsumedEvent` of @onestop/domain): a payment or a
 * processing event published after a withdrawal does not make the dossier IN_PROCESS again.
 */
export function statusAfter(eventType: string, current: DossierStatus | null, payload?: unknown): DossierStatus | null {
  if (eventType === 'FinancialObligationRequested' && !obligationAwaitsPayment(payload)) return current;
  return statusAfterConsumedEvent(eventType, current);
}

/**
 * Whether a FinancialObligationRequested puts the dossier in AWAITING_PAYMENT: not when the applicant is exempt nor
 * when nothing is to be paid (`totalAmount` 0). Processing and result keep such a dossier where it was (IN_PROCESS),
 * so intake's view does too (the contract: "IN_PROCESS → AWAITING_PAYMENT, status 6, unless exempt or zero").
 * Without a payload (a caller that knows only the type) the obligation is taken as one to pay.
 */
export function obligationAwaitsPayment(payload: unknown): boolean {
  if (payload === null || typeof payload !== 'object') return true;
  const p = payload as { exempt?: unknown; totalAmount?: unknown };
  if (p.exempt === true) return false;
  return !(typeof p.totalAmount === 'number' && p.totalAmount <= 0);
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

/** The appointment in force and the legal due date, as ISO times (null: no appointment). */
export interface LifecycleDue {
  dueAt: string | null;
  originalDueAt: string | null;
}

/**
 * The due dates after a consumed event (ADR 0208, amendment 2026-11-25; docs/event-contract.md "Due dates"):
 * - `SupplementReceived.newDueAt` (RESTART or PAUSE) and, when present, `ProcessingResumed.newDueAt` /
 *   `PaymentCompleted.newDueAt` (the legal due date after the pause) set the legal due date, and the appointment in
 *   force to it unless the appointment is later (an apology's appointment stands);
 * - `ApologyIssued.newDueAt` sets the appointment in force only: the legal due date stays (ADR 0101: an apology
 *   never turns a late dossier into an on-time one);
 * - any other event keeps them. Returns `due` itself when nothing moved.
 */
export function dueAfter(event: { type: string; payload: unknown }, due: LifecycleDue): LifecycleDue {
  const p = (event.payload ?? {}) as { newDueAt?: unknown };
  const at = (v: unknown): string | null => (typeof v === 'string' ? new Date(v).toISOString() : null);
  switch (event.type) {
    case 'SupplementReceived':
    case 'ProcessingResumed':
    case 'PaymentCompleted': {
      if (p.newDueAt === undefined) return due;
      const legal = at(p.newDueAt);
      // the appointment in force never moves earlier: an apology's later appointment stands (black-box round 8: a
      // suspension after an apology brought intake's appointment back to the legal date, processing kept the apology's)
      const appointment = legal !== null && due.dueAt !== null && Date.parse(due.dueAt) > Date.parse(legal) ? due.dueAt : legal;
      return appointment === due.dueAt && legal === due.originalDueAt ? due : { dueAt: appointment, originalDueAt: legal };
    }
    case 'ApologyIssued': {
      if (p.newDueAt === undefined) return due;
      const current = at(p.newDueAt);
      return current === due.dueAt ? due : { dueAt: current, originalDueAt: due.originalDueAt };
    }
    default:
      return due;
  }
}
