import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@onestop/observability';
import { startOutboxRelay, type RunningOutboxRelay } from '../outbox-runner';
import { LIFECYCLE_SERVICE_OPTIONS, type LifecycleServiceOptions } from './lifecycle-service.options';

/** Runs the transactional-outbox relay of the service's schema (publishes internal + public topics). */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private running?: RunningOutboxRelay;

  constructor(
    @Inject(LIFECYCLE_SERVICE_OPTIONS) private readonly options: LifecycleServiceOptions,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** The running relay (undefined when background workers are off or before bootstrap). */
  get relay(): RunningOutboxRelay['relay'] | undefined {
    return this.running?.relay;
  }

  async onApplicationBootstrap(): Promise<void> {
    const cfg = this.options.config;
    if (!cfg.backgroundWorkers) return;
    this.running = await startOutboxRelay({
      brokers: cfg.kafka.brokers,
      clientId: `${cfg.kafka.clientId}-relay`,
      databaseUrl: cfg.database.url,
      schema: cfg.schema,
      internalTopic: cfg.topics.lifecycle,
      publicTopic: cfg.topics.public,
      registry: this.registry,
      onError: (err) => this.log.error(err instanceof Error ? err.message : String(err)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }
}
