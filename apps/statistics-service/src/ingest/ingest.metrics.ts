import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metric } from '@onestop/observability';

export interface IngestMetrics {
  events: Counter;
  duplicates: Counter;
  deadLettered: Counter;
  batchSeconds: Histogram;
  lag: Gauge;
  lastEventTime: Gauge;
  connected: Gauge;
  lastFetchTime: Gauge;
  lastBatchTime: Gauge;
}

/** Prometheus series of the consumer (throughput = rate(statistics_events_applied_total[1m])). */
export function createIngestMetrics(registry: Registry): IngestMetrics {
  return {
    events: metric.counter(registry, 'statistics_events_applied_total', 'Events applied to the counters (after dedup)'),
    duplicates: metric.counter(registry, 'statistics_events_duplicate_total', 'Redelivered events skipped by the dedup ledger'),
    deadLettered: metric.counter(registry, 'statistics_events_dead_lettered_total', 'Invalid messages sent to the DLQ'),
    batchSeconds: metric.histogram(registry, 'statistics_batch_duration_seconds', 'Batch latency: parse → PG commit → Redis → Kafka commit', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]),
    // measured on each applied batch; withdrawn (absent) while the broker is unreachable, so a stale 0 never reads
    // as "caught up": alert on statistics_consumer_connected == 0 and on time() - statistics_consumer_last_fetch_timestamp_seconds
    lag: metric.gauge(registry, 'statistics_consumer_lag', 'Messages behind the high watermark (absent while the broker is unreachable)', ['partition']),
    connected: metric.gauge(registry, 'statistics_consumer_connected', '1 when a fetch from the broker answered within STATS_BROKER_SILENCE_MS, else 0'),
    lastFetchTime: metric.gauge(registry, 'statistics_consumer_last_fetch_timestamp_seconds', 'Unix time of the last fetch the broker answered'),
    lastBatchTime: metric.gauge(registry, 'statistics_consumer_last_batch_timestamp_seconds', 'Unix time of the last batch of messages received'),
    lastEventTime: metric.gauge(registry, 'statistics_last_event_timestamp_seconds', 'occurredAt of the newest applied event'),
  };
}
