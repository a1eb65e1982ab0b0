import {
  createEvent,
  toPublicEvent,
  type DossierEventV1,
  type EventOfTypeV1,
  type EventTypeV1,
  type PayloadOfV1,
} from '@onestop/contracts';
import { appendToOutbox, type SqlExecutor } from '../outbox';

/** Correlation and time of an event a lifecycle service produces. */
export interface LifecycleEventMeta {
  correlationId: string;
  occurredAt: Date;
  causationId?: string;
}

/**
 * Builds validated v1 envelopes produced by a lifecycle service and appends them (with their public projection)
 * to the service's outbox, inside the caller's state-change transaction.
 */
export class LifecycleEvents {
  constructor(private readonly source: { service: string; schema: string }) {}

  make<T extends EventTypeV1>(type: T, payload: PayloadOfV1<T>, meta: LifecycleEventMeta): EventOfTypeV1<T> {
    return createEvent(type, payload, {
      producer: this.source.service,
      correlationId: meta.correlationId,
      occurredAt: meta.occurredAt,
      ...(meta.causationId ? { causationId: meta.causationId } : {}),
    });
  }

  async append(tx: SqlExecutor, events: readonly DossierEventV1[]): Promise<void> {
    await appendToOutbox(
      tx,
      this.source.schema,
      events.map((e) => ({
        id: e.id,
        key: e.key,
        type: e.type,
        version: e.version,
        envelope: e,
        publicEnvelope: toPublicEvent(e),
        correlationId: e.correlationId,
      })),
    );
  }
}
