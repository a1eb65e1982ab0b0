import type { OutboxRecord } from '@onestop/messaging';
import { newId } from './deterministic-id.util';
import { toVnIso } from './vn-time.util';

export const PRODUCER = 'intake-service';

/** An event ready for the transaction: the outbox record (internal + public envelope) and its history row. */
export interface BuiltEvent {
  id: string;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  record: OutboxRecord;
}

export interface EventMeta {
  occurredAt: Date;
  correlationId: string;
  causationId?: string;
  /** Deterministic id (imports); a random UUID otherwise. */
  id?: string;
  imported?: boolean;
}

/**
 * Builds one lifecycle event with the shared envelope (key = dossier code, so a dossier's events keep their
 * order) and its public projection.
 */
export function buildEvent(type: string, payload: Record<string, unknown>, meta: EventMeta): BuiltEvent {
  const id = meta.id ?? newId();
  const envelope = {
    id,
    type,
    version: 1,
    occurredAt: toVnIso(meta.occurredAt),
    producer: PRODUCER,
    correlationId: meta.correlationId,
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    key: String(payload['dossierId']),
    ...(meta.imported ? { imported: true } : {}),
    payload,
  };
  const publicEnvelope = { ...envelope, payload: publicPayload(type, payload) };
  return {
    id,
    type,
    occurredAt: meta.occurredAt,
    payload,
    record: { id, key: envelope.key, type, version: 1, envelope, publicEnvelope, correlationId: meta.correlationId },
  };
}

function publicPayload(type: string, payload: Record<string, unknown>): Record<string, unknown> {
  const { applicant: _a, reason: _r, ...rest } = payload;
  void type;
  return rest;
}
