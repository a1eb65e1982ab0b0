import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { startOutboxRelay, type RunningOutboxRelay } from '@onestop/messaging';
import { METRICS_REGISTRY } from '@onestop/observability';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';

/** Runs the transactional-outbox relay of the result schema (publishes internal + public topics). */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private running?: RunningOutboxRelay;

  constructor(
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.backgroundWorkers) return;
    this.running = await startOutboxRelay({
      brokers: this.cfg.kafka.brokers,
      clientId: `${this.cfg.kafka.clientId}-relay`,
      databaseUrl: this.cfg.database.url,
      schema: this.cfg.schema,
      internalTopic: this.cfg.topics.lifecycle,
      publicTopic: this.cfg.topics.public,
      registry: this.registry,
      onError: (err) => this.log.error(err instanceof Error ? err.message : String(err)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }
}
