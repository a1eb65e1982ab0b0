import { Inject, Injectable } from '@nestjs/common';
import { metric, METRICS_REGISTRY } from '@onestop/observability';
import type { Counter, Histogram, Registry } from 'prom-client';

/** The service's own Prometheus metrics (the registry also carries Node defaults). */
@Injectable()
export class IntakeMetrics {
  readonly httpRequests: Counter;
  readonly httpDuration: Histogram;
  readonly outboxPublished: Counter;
  readonly outboxPublishLag: Histogram;
  readonly relayErrors: Counter;
  readonly lifecycleConsumed: Counter;
  readonly lifecycleDeadLettered: Counter;
  readonly lifecycleErrors: Counter;
  readonly lifecycleLag: Histogram;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    this.httpRequests = metric.counter(registry, 'intake_http_requests_total', 'HTTP requests', ['method', 'route', 'status']);
    this.httpDuration = metric.histogram(registry, 'intake_http_request_duration_seconds', 'HTTP request duration', [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], ['method', 'route']);
    this.outboxPublished = metric.counter(registry, 'intake_outbox_published_total', 'Outbox rows published to Kafka');
    this.outboxPublishLag = metric.histogram(registry, 'intake_outbox_publish_lag_seconds', 'Age of the oldest row of each published batch', [0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120]);
    this.lifecycleConsumed = metric.counter(registry, 'intake_lifecycle_events_consumed_total', 'Lifecycle events consumed by outcome (applied, duplicate, own, unknown_dossier)', ['outcome']);
    this.lifecycleDeadLettered = metric.counter(registry, 'intake_lifecycle_events_dead_lettered_total', 'Lifecycle messages sent to the .dlq topic (contract violations)');
    this.lifecycleErrors = metric.counter(registry, 'intake_lifecycle_consumer_errors_total', 'Lifecycle batches that failed and were retried');
    this.lifecycleLag = metric.histogram(registry, 'intake_lifecycle_apply_lag_seconds', 'Time from an event occurring to intake applying it', [0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600]);
    this.relayErrors = metric.counter(registry, 'intake_outbox_relay_errors_total', 'Outbox relay errors (Kafka or Postgres)');
  }
}
