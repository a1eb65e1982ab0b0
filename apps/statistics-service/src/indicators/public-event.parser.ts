import { type PublicEvent } from './indicator-engine';

export type ParseOutcome = { ok: true; event: PublicEvent } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const KNOWN_TYPES = new Set([
  'DossierSubmitted', 'DossierReceived', 'DossierIntakeRejected', 'DossierTransferred', 'SupplementRequested',
  'SupplementReceived', 'FinancialObligationRequested', 'PaymentCompleted', 'ProcessingSuspended',
  'ProcessingResumed', 'ApologyIssued', 'DossierRefused', 'DossierWithdrawn', 'DossierResolved', 'ResultReturned',
  'DossierRated', 'ComponentDigitised', 'DataReused', 'InterAgencyStepStarted', 'InterAgencyStepCompleted',
]);

/**
 * PROVISIONAL envelope validation until `safeParseEvent` of @onestop/contracts lands (ADR 0401): bad JSON,
 * unknown type or version, and missing base fields are rejected with a reason (→ DLQ).
 */
export function parsePublicEvent(value: Buffer | null): ParseOutcome {
  if (!value) return { ok: false, reason: 'empty message value' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `bad JSON: ${(err as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'value is not a JSON object' };
  const e = raw as Record<string, unknown>;
  if (typeof e['id'] !== 'string' || !UUID.test(e['id'])) return { ok: false, reason: 'id: missing or not a UUID' };
  if (typeof e['type'] !== 'string' || !KNOWN_TYPES.has(e['type'])) return { ok: false, reason: `type: unknown event type ${String(e['type'])}` };
  if (e['version'] !== 1) return { ok: false, reason: `version: unsupported version ${String(e['version'])} of ${e['type']}` };
  if (typeof e['occurredAt'] !== 'string' || Number.isNaN(Date.parse(e['occurredAt']))) return { ok: false, reason: 'occurredAt: missing or not a date-time' };
  const p = e['payload'] as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null) return { ok: false, reason: 'payload: missing' };
  for (const f of ['dossierId', 'receivingUnitId', 'procedureCode']) {
    if (typeof p[f] !== 'string' || p[f] === '') return { ok: false, reason: `payload.${f}: required` };
  }
  if (e['type'] === 'DossierReceived' && (typeof p['receivedAt'] !== 'string' || typeof p['channel'] !== 'string')) {
    return { ok: false, reason: 'payload.receivedAt/channel: required for DossierReceived' };
  }
  return { ok: true, event: { ...(e as unknown as PublicEvent), key: typeof e['key'] === 'string' ? e['key'] : (p['dossierId'] as string) } };
}
