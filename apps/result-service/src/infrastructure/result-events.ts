import { Inject, Injectable } from '@nestjs/common';
import {
  createEvent,
  toPublicEvent,
  type DossierEventV1,
  type EventOfTypeV1,
  type EventTypeV1,
  type PayloadOfV1,
} from '@onestop/contracts';
import { appendToOutbox, type SqlExecutor } from '@onestop/messaging';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';

export interface EventMeta {
  correlationId: string;
  occurredAt: Date;
  causationId?: string;
}

/** Builds validated v1 envelopes for result-service and appends them (with their public projection) to the outbox. */
@Injectable()
export class ResultEvents {
  constructor(@Inject(RESULT_CONFIG) private readonly cfg: ResultConfig) {}

  make<T extends EventTypeV1>(type: T, payload: PayloadOfV1<T>, meta: EventMeta): EventOfTypeV1<T> {
    return createEvent(type, payload, {
      producer: this.cfg.service,
      correlationId: meta.correlationId,
      occurredAt: meta.occurredAt,
      ...(meta.causationId ? { causationId: meta.causationId } : {}),
    });
  }

  async append(tx: SqlExecutor, events: readonly DossierEventV1[]): Promise<void> {
    await appendToOutbox(
      tx,
      this.cfg.schema,
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
