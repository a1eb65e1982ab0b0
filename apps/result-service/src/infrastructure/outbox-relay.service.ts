import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { OutboxRelay, createIdempotentProducer, createKafka, ensureTopics } from '@onestop/messaging';
import { METRICS_REGISTRY, metric } from '@onestop/observability';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';

/** Runs the transactional-outbox relay of the result schema (publishes internal + public topics). */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private relay?: OutboxRelay;
  private producer?: Producer;

  constructor(
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.backgroundWorkers) return;
    const kafka = createKafka({ brokers: this.cfg.kafka.brokers, clientId: `${this.cfg.kafka.clientId}-relay` });
    await ensureTopics(kafka, [this.cfg.topics.lifecycle, this.cfg.topics.public]);
    this.producer = createIdempotentProducer(kafka);
    await this.producer.connect();
    const published = metric.counter(this.registry, 'outbox_published_total', 'Events published from the outbox');
    const lag = metric.histogram(this.registry, 'outbox_publish_lag_seconds', 'Outbox row age when published', [0.01, 0.05, 0.1, 0.5, 1, 5]);
    this.relay = new OutboxRelay({
      databaseUrl: this.cfg.database.url,
      schema: this.cfg.schema,
      producer: this.producer,
      internalTopic: this.cfg.topics.lifecycle,
      publicTopic: this.cfg.topics.public,
      onPublished: (n, lagMs) => {
        published.inc(n);
        lag.observe(lagMs / 1000);
      },
      onError: (err) => this.log.error(err instanceof Error ? err.message : String(err)),
    });
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.producer?.disconnect();
  }
}
