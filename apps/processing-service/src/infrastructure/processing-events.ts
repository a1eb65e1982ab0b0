import { Inject, Injectable } from '@nestjs/common';
import { toVnIsoString, type DossierEventV1 } from '@onestop/contracts';
import { LifecycleEvents, type LifecycleEventMeta } from '@onestop/messaging';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { DeadlineKind } from '../deadlines/deadline-schedule';

export type EventMeta = LifecycleEventMeta;

export interface DeadlineCrossing {
  dossierId: string;
  receivingUnitId: string;
  procedureCode: string;
  dueAt: Date;
  /** The moment the threshold was crossed: its fire time, never before the receipt (the event's occurredAt). */
  crossedAt: Date;
  /** When the watcher noticed (clock now; later than crossedAt after downtime). */
  detectedAt: Date;
}

/**
 * Builds validated v1 envelopes for processing-service and appends them (with their public projection) to the
 * outbox (`LifecycleEvents`), plus the deadline watcher's DossierDueSoon / DossierOverdue.
 */
@Injectable()
export class ProcessingEvents extends LifecycleEvents {
  constructor(@Inject(PROCESSING_CONFIG) cfg: ProcessingConfig) {
    super(cfg);
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
}
