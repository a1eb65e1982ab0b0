import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DossierEventV1 } from '@onestop/contracts';
import type { LifecycleEventHandler } from '../../src/nest';

/** A host's projector for the shared Nest glue's tests: needs the shared DataSource, records what the consumer hands it. */
@Injectable()
export class RecordingProjector implements LifecycleEventHandler {
  readonly applied: DossierEventV1[] = [];
  constructor(@Inject(DataSource) readonly ds: DataSource) {}
  async applyBatch(events: readonly DossierEventV1[]): Promise<void> {
    this.applied.push(...events);
  }
}
