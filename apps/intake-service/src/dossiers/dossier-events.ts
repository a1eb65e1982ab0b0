import { createEvent, toPublicEvent, type EventTypeV1, type PayloadOfV1 } from '@onestop/contracts';
import type { OutboxRecord } from '@onestop/messaging';

export const PRODUCER = 'intake-service';

/** An event ready for the transaction: the outbox record (internal + public envelope) and its history row. */
export interface BuiltEvent {
  id: string;
  type: EventTypeV1;
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
  /** Contract validation (default on); off only for drafts that `withDossierId` rebuilds and validates. */
  validate?: boolean;
}

/**
 * Builds one lifecycle event with the shared contract (`createEvent` validates it; key = dossier code, so a
 * dossier's events keep their order) and its public projection (`toPublicEvent`, personal data removed).
 */
export function buildEvent<T extends EventTypeV1>(type: T, payload: PayloadOfV1<T>, meta: EventMeta): BuiltEvent {
  const event = createEvent(type, payload, {
    producer: PRODUCER,
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    id: meta.id,
    occurredAt: meta.occurredAt,
    ...(meta.imported ? { imported: true } : {}),
  }, { validate: meta.validate ?? true });
  return {
    id: event.id,
    type,
    occurredAt: meta.occurredAt,
    payload: event.payload as unknown as Record<string, unknown>,
    record: {
      id: event.id,
      key: event.key,
      type,
      version: event.version,
      envelope: event,
      publicEnvelope: toPublicEvent(event),
      correlationId: meta.correlationId,
    },
  };
}

/** The same event (same id, time and metadata) for the dossier's final code: used once the code is assigned. */
export function withDossierId(e: BuiltEvent, dossierId: string): BuiltEvent {
  const env = e.record.envelope as { correlationId: string; causationId?: string; imported?: boolean };
  return buildEvent(e.type, { ...e.payload, dossierId } as never, {
    occurredAt: e.occurredAt,
    correlationId: env.correlationId,
    causationId: env.causationId,
    id: e.id,
    imported: env.imported,
  });
}
