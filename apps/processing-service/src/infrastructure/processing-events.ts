import { Inject, Injectable } from '@nestjs/common';
import {
  createEvent,
  toPublicEvent,
  toVnIsoString,
  type DossierEventV1,
  type EventOfTypeV1,
  type EventTypeV1,
  type PayloadOfV1,
} from '@onestop/contracts';
import { appendToOutbox, type SqlExecutor } from '@onestop/messaging';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { DeadlineKind } from '../deadlines/deadline-schedule';

export interface EventMeta {
  correlationId: string;
  occurredAt: Date;
  causationId?: string;
}

export interface DeadlineCrossing {
  dossierId: string;
  receivingUnitId: string;
  procedureCode: string;
  dueAt: Date;
  /** The moment the threshold was crossed (fire time). */
  crossedAt: Date;
  /** When the watcher noticed (clock now; later than crossedAt after downtime). */
  detectedAt: Date;
}

/** Builds validated v1 envelopes for processing-service and appends them (with their public projection) to the outbox. */
@Injectable()
export class ProcessingEvents {
  constructor(@Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig) {}

  make<T extends EventTypeV1>(type: T, payload: PayloadOfV1<T>, meta: EventMeta): EventOfTypeV1<T> {
    return createEvent(type, payload, {
      producer: this.cfg.service,
      correlationId: meta.correlationId,
      occurredAt: meta.occurredAt,
      ...(meta.causationId ? { causationId: meta.causationId } : {}),
    });
  }

  deadlineCrossed(kind: DeadlineKind, c: DeadlineCrossing): DossierEventV1 {
    const payload = {
      dossierId: c.dossierId,
      receivingUnitId: c.receivingUnitId,
      procedureCode: c.procedureCode,
      dueAt: toVnIsoString(c.dueAt),
      detectedAt: toVnIsoString(c.detectedAt),
    };
    const meta = { correlationId: `deadline-watch:${c.dossierId}`, occurredAt: c.crossedAt };
    return kind === DeadlineKind.DueSoon ? this.make('DossierDueSoon', payload, meta) : this.make('DossierOverdue', payload, meta);
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
