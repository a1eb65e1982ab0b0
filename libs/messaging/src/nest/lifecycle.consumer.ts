import { Inject, Injectable, Logger, type InjectionToken, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { startDossierEventConsumerInBackground, type BackgroundConsumerStatus, type BackgroundDossierEventConsumer } from '../dossier-event-consumer';
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
  private running?: BackgroundDossierEventConsumer;

  constructor(
    @Inject(LIFECYCLE_SERVICE_OPTIONS) private readonly options: LifecycleServiceOptions,
    @Inject(LIFECYCLE_EVENT_HANDLER) private readonly handlerToken: InjectionToken<LifecycleEventHandler>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * For readiness: `enabled` false when background workers are off; otherwise the consumer's state (`starting`
   * until it first joins its group, `running`, `restarting` after a crash, `stopped`) and its last error.
   */
  status(): { enabled: boolean; groupId: string; topic: string } & Partial<BackgroundConsumerStatus> {
    const cfg = this.options.config;
    const base = { enabled: cfg.backgroundWorkers, groupId: cfg.consumerGroup, topic: cfg.topics.lifecycle };
    if (!cfg.backgroundWorkers) return base;
    return { ...base, ...(this.running?.status() ?? { state: 'starting', lastError: null, lastErrorAt: null, failedStarts: 0 }) };
  }

  /** Resolves once the consumer is running or stopped (immediately when background workers are off). */
  async started(): Promise<void> {
    await this.running?.started;
  }

  onApplicationBootstrap(): void {
    // Not awaited: the HTTP server listens while the consumer connects (Kafka down must not keep the service from
    // starting: commands keep committing to the outbox), and a group join that waits out a dead member's session
    // (after a SIGKILL) does not delay readiness.
    if (this.options.config.backgroundWorkers) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  /** Starts the consumer in the background (retried with backoff until the broker answers or shutdown). */
  start(): void {
    if (this.running) return;
    const cfg = this.options.config;
    // The handler is a provider of the host module (it needs the service's repositories): look it up there.
    const handler = this.moduleRef.get<LifecycleEventHandler>(this.handlerToken, { strict: false });
    this.running = startDossierEventConsumerInBackground({
      brokers: cfg.kafka.brokers,
      clientId: `${cfg.kafka.clientId}-consumer`,
      groupId: cfg.consumerGroup,
      topics: [cfg.topics.lifecycle],
      handle: (events) => handler.applyBatch(events),
      log: this.log,
      info: (message) => this.log.log(message),
      // the service's own events (by the relay's producer header) are passed over unparsed: its commands applied them
      passOverProducer: cfg.service,
    });
  }
}
