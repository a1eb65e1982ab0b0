import { safeParseEvent, type DossierEventV1 } from '@onestop/contracts';
import type { KafkaMessage } from 'kafkajs';
import { EventConsumer, type ParseResult } from './event-consumer';
import { createIdempotentProducer, createKafka } from './kafka.factory';

/**
 * Validates a message of a dossier topic with the contract; the reason reads `<code>: <path> <reason>`. A message
 * whose Kafka key is not its dossier id is refused too (KEY_MISMATCH): the key decides the partition, so a
 * mis-keyed event can overtake or trail the dossier's other events, and per-dossier order is what the consumers
 * rely on. A message without a key has nothing to contradict and is taken on its contract alone.
 */
export function parseDossierEvent(m: KafkaMessage): ParseResult<DossierEventV1> {
  const r = safeParseEvent(m.value);
  if (!r.ok) return { ok: false, reason: `${r.code}: ${r.path} ${r.reason}` };
  if (m.key != null && m.key.length > 0 && m.key.toString('utf8') !== r.event.key) {
    return { ok: false, reason: `KEY_MISMATCH: $.key the Kafka message key must equal the event's key (payload.dossierId ${r.event.key})` };
  }
  return { ok: true, event: r.event };
}

/** Where the consumer reports handler errors and dead letters (a Nest `Logger` fits). */
export interface ConsumerLog {
  error(message: string): void;
  warn(message: string): void;
}

export interface StartDossierEventConsumerOptions {
  brokers: string[];
  /** Kafka client id of the consumer (callers usually pass `<service>-consumer`). */
  clientId: string;
  groupId: string;
  topics: string[];
  /**
   * Applies a batch of valid events (same order and indexes as consumed, so a `PoisonEventException(index)`
   * dead-letters the right one). Must be idempotent per event id.
   */
  handle: (events: DossierEventV1[]) => Promise<void>;
  log: ConsumerLog;
}

export interface RunningEventConsumer<E> {
  consumer: EventConsumer<E>;
  /** Stops the consumer, then disconnects its dead-letter producer. */
  stop(): Promise<void>;
}

/**
 * Framework-free wiring of a contract-validated dossier-event consumer: Kafka client, connected idempotent
 * producer for `<topic>.dlq`, `EventConsumer` parsing with `safeParseEvent`, then `start()`.
 */
export async function startDossierEventConsumer(o: StartDossierEventConsumerOptions): Promise<RunningEventConsumer<DossierEventV1>> {
  const kafka = createKafka({ brokers: o.brokers, clientId: o.clientId });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const consumer = new EventConsumer<DossierEventV1>({
    kafka,
    groupId: o.groupId,
    topics: o.topics,
    dlqProducer: producer,
    parse: parseDossierEvent,
    handleBatch: (events) => o.handle(events.map((e) => e.event)),
    onError: (err) => o.log.error(err instanceof Error ? err.message : String(err)),
    onDeadLetter: (l) => o.log.warn(`dead-lettered ${l.topic}[${l.partition}]@${l.offset}: ${l.reason}`),
  });
  const stop = async () => {
    await consumer.stop();
    await producer.disconnect();
  };
  try {
    await consumer.start();
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { consumer, stop };
}
