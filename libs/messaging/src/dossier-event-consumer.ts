import { HEADERS, readHeader, safeParseEvent, type DossierEventV1 } from '@onestop/contracts';
import type { KafkaMessage } from 'kafkajs';
import { EventConsumer, PoisonEventException, type ParseResult } from './event-consumer';
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
  /**
   * The service's own producer name: messages whose `producer` header (HEADERS.Producer, written by the outbox
   * relay) names it are passed over unparsed and never handed to `handle` (their offsets are committed with the
   * batch). A service's own events were validated when it built them, and applying them again is a no-op; on a
   * busy topic they are a large share of what it reads. Messages without the header (written before it existed)
   * are parsed and handed over as before: the handler must still ignore its own events.
   */
  passOverProducer?: string;
}

export interface RunningEventConsumer<E> {
  consumer: EventConsumer<E>;
  /** Stops the consumer, then disconnects its dead-letter producer. */
  stop(): Promise<void>;
}

/** Stands for a message of the service's own producer, passed over unparsed (`passOverProducer`). */
export const PASSED_OVER = Symbol('passed-over');

/**
 * Hands the events of a batch that were not passed over to `handle`; a `PoisonEventException` it throws names an
 * index among those events, mapped back to the batch's index so that the right message is dead-lettered.
 */
export async function handOver(batch: readonly (DossierEventV1 | typeof PASSED_OVER)[], handle: (events: DossierEventV1[]) => Promise<void>): Promise<void> {
  const indexes: number[] = [];
  const events: DossierEventV1[] = [];
  batch.forEach((e, i) => {
    if (e === PASSED_OVER) return;
    indexes.push(i);
    events.push(e);
  });
  if (events.length === 0) return;
  try {
    await handle(events);
  } catch (err) {
    if (err instanceof PoisonEventException) throw new PoisonEventException(indexes[err.index] ?? err.index, err.message);
    throw err;
  }
}

/**
 * Framework-free wiring of a contract-validated dossier-event consumer: Kafka client, connected idempotent
 * producer for `<topic>.dlq`, `EventConsumer` parsing with `safeParseEvent`, then `start()`.
 */
export async function startDossierEventConsumer(o: StartDossierEventConsumerOptions): Promise<RunningEventConsumer<DossierEventV1 | typeof PASSED_OVER>> {
  const kafka = createKafka({ brokers: o.brokers, clientId: o.clientId });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const own = o.passOverProducer;
  const consumer = new EventConsumer<DossierEventV1 | typeof PASSED_OVER>({
    kafka,
    groupId: o.groupId,
    topics: o.topics,
    dlqProducer: producer,
    parse: (m) => (own !== undefined && readHeader(m.headers, HEADERS.Producer) === own ? { ok: true, event: PASSED_OVER } : parseDossierEvent(m)),
    handleBatch: (batch) => handOver(batch.map((b) => b.event), o.handle),
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
