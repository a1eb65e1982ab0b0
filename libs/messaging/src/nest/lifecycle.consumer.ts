import { Inject, Injectable, Logger, type InjectionToken, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DossierEventV1 } from '@onestop/contracts';
import { PASSED_OVER, startDossierEventConsumer, type RunningEventConsumer } from '../dossier-event-consumer';
import {
  LIFECYCLE_EVENT_HANDLER,
  LIFECYCLE_SERVICE_OPTIONS,
  type LifecycleEventHandler,
  type LifecycleServiceOptions,
} from './lifecycle-service.options';

/**
 * Kafka adapter: reads `onestop.dossier.lifecycle.v1`, validates every message with the contract
 * (invalid → `<topic>.dlq` with the reason; the partition keeps moving), passes over the service's own events
 * (by their producer header, unparsed), and hands the other valid events to the
 * service's handler (its projector), which applies each batch in one transaction, idempotent by event id.
 */
@Injectable()
export class LifecycleConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(LifecycleConsumer.name);
  private running?: RunningEventConsumer<DossierEventV1 | typeof PASSED_OVER>;

  constructor(
    @Inject(LIFECYCLE_SERVICE_OPTIONS) private readonly options: LifecycleServiceOptions,
    @Inject(LIFECYCLE_EVENT_HANDLER) private readonly handlerToken: InjectionToken<LifecycleEventHandler>,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.config.backgroundWorkers) await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  async start(): Promise<void> {
    const cfg = this.options.config;
    // The handler is a provider of the host module (it needs the service's repositories): look it up there.
    const handler = this.moduleRef.get<LifecycleEventHandler>(this.handlerToken, { strict: false });
    this.running = await startDossierEventConsumer({
      brokers: cfg.kafka.brokers,
      clientId: `${cfg.kafka.clientId}-consumer`,
      groupId: cfg.consumerGroup,
      topics: [cfg.topics.lifecycle],
      handle: (events) => handler.applyBatch(events),
      log: this.log,
      // the service's own events (by the relay's producer header) are passed over unparsed: its commands applied them
      passOverProducer: cfg.service,
    });
  }
}
