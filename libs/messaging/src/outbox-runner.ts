import { Counter, Histogram, type Registry } from 'prom-client';
import { createIdempotentProducer, createKafka, ensureTopics } from './kafka.factory';
import { OutboxRelay, type OutboxRelayOptions } from './outbox';
import { ReplaceableProducer, replaceOnWedged } from './replaceable-producer';

export interface StartOutboxRelayOptions
  extends Omit<OutboxRelayOptions, 'producer' | 'databaseUrl' | 'schema' | 'internalTopic' | 'publicTopic'> {
  brokers: string[];
  /** Kafka client id of the relay (callers usually pass `<service>-relay`). */
  clientId: string;
  databaseUrl: string;
  schema: string;
  internalTopic: string;
  publicTopic: string;
  /** When given, registers `<metricPrefix>outbox_published_total` and `<metricPrefix>outbox_publish_lag_seconds`. */
  registry?: Registry;
  metricPrefix?: string;
}

export interface RunningOutboxRelay {
  relay: OutboxRelay;
  /** Stops the relay (after the batch in flight); the relay disconnects its producer. */
  stop(): Promise<void>;
}

/**
 * Framework-free wiring of the transactional-outbox relay: Kafka client, topics (+ .dlq), idempotent
 * producer (left unconnected: the relay owns its connection), published/lag metrics, then `relay.start()`.
 */
export async function startOutboxRelay(o: StartOutboxRelayOptions): Promise<RunningOutboxRelay> {
  const { brokers, clientId, registry, metricPrefix = '', onPublished, onError, ...relayOptions } = o;
  const kafka = createKafka({ brokers, clientId });
  await ensureTopics(kafka, [o.internalTopic, o.publicTopic]);
  // a broker restart can leave the idempotent producer out of step for good: it is replaced, the relay resends
  const producers = new ReplaceableProducer(() => createIdempotentProducer(kafka));
  const producer = producers.asProducer();
  const published = registry
    ? new Counter({ name: `${metricPrefix}outbox_published_total`, help: 'Events published from the outbox', labelNames: [], registers: [registry] })
    : undefined;
  const lag = registry
    ? new Histogram({
        name: `${metricPrefix}outbox_publish_lag_seconds`,
        help: 'Outbox row age when published',
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5],
        labelNames: [],
        registers: [registry],
      })
    : undefined;
  const relay = new OutboxRelay({
    ...relayOptions,
    producer,
    onError: replaceOnWedged(producers, onError),
    onPublished: (n, lagMs) => {
      published?.inc(n);
      lag?.observe(lagMs / 1000);
      onPublished?.(n, lagMs);
    },
  });
  await relay.start();
  return { relay, stop: () => relay.stop() };
}
