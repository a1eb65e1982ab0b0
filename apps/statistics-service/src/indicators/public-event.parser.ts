import { safeParsePublicEvent } from '@onestop/contracts';
import { type PublicEvent } from './indicator-engine';

export type ParseOutcome = { ok: true; event: PublicEvent } | { ok: false; reason: string };

/**
 * Validates one message value against the public v1 contract (`safeParsePublicEvent` of @onestop/contracts):
 * bad JSON, unknown type or version, missing or malformed fields, personal data on the public topic → a reason
 * for the DLQ.
 */
export function parsePublicEvent(value: Buffer | null): ParseOutcome {
  if (!value || value.length === 0) return { ok: false, reason: 'EMPTY: message has no value' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `MALFORMED_JSON: ${(err as Error).message}` };
  }
  const r = safeParsePublicEvent(raw);
  if (r.ok) return { ok: true, event: r.event as unknown as PublicEvent };
  return { ok: false, reason: `${r.code}: ${r.reason}${r.path ? ` at ${r.path}` : ''}` };
}
