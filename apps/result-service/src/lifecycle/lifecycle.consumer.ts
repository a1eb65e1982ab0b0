import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DossierEventV1 } from '@onestop/contracts';
import { startDossierEventConsumer, type RunningEventConsumer } from '@onestop/messaging';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import { ResultProjector } from './result.projector';

/**
 * Kafka adapter: reads `onestop.dossier.lifecycle.v1`, validates every message with the contract
 * (invalid → `<topic>.dlq` with the reason; the partition keeps moving) and hands valid events to the
 * projector, which applies each batch in one transaction, idempotent by event id.
 */
@Injectable()
export class LifecycleConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(LifecycleConsumer.name);
  private running?: RunningEventConsumer<DossierEventV1>;

  constructor(
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
    private readonly projector: ResultProjector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.cfg.backgroundWorkers) await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  async start(): Promise<void> {
    this.running = await startDossierEventConsumer({
      brokers: this.cfg.kafka.brokers,
      clientId: `${this.cfg.kafka.clientId}-consumer`,
      groupId: this.cfg.consumerGroup,
      topics: [this.cfg.topics.lifecycle],
      handle: (events) => this.projector.applyBatch(events),
      log: this.log,
    });
  }
}
