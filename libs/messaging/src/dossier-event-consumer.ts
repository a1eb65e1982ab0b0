import { HEADERS, readHeader, safeParseEvent, type DossierEventV1 } from '@onestop/contracts';
import { logLevel, type KafkaMessage } from 'kafkajs';
import { EventConsumer, PoisonEventException, type ParseResult } from './event-consumer';
import { createIdempotentProducer, createKafka, ensureTopics, type LogGate } from './kafka.factory';
import { retryUntilStarted } from './start-retry';

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

/** A dossier-event consumer wired but not started: `start()` connects its producer and starts the consumer. */
interface WiredDossierEventConsumer extends RunningEventConsumer<DossierEventV1 | typeof PASSED_OVER> {
  start(): Promise<void>;
}

function wireDossierEventConsumer(o: StartDossierEventConsumerOptions, logGate?: LogGate): WiredDossierEventConsumer {
  const kafka = createKafka({ brokers: o.brokers, clientId: o.clientId, ...(logGate ? { logGate } : {}) });
  const producer = createIdempotentProducer(kafka);
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
  const start = async () => {
    try {
      await producer.connect();
      await consumer.start();
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }
  };
  return { consumer, stop, start };
}

/**
 * Framework-free wiring of a contract-validated dossier-event consumer: Kafka client, connected idempotent
 * producer for `<topic>.dlq`, `EventConsumer` parsing with `safeParseEvent`, then `start()`. Resolves once the
 * consumer joined its group; rejects (everything disconnected) if the broker cannot be reached.
 */
export async function startDossierEventConsumer(o: StartDossierEventConsumerOptions): Promise<RunningEventConsumer<DossierEventV1 | typeof PASSED_OVER>> {
  const wired = wireDossierEventConsumer(o);
  await wired.start();
  return { consumer: wired.consumer, stop: wired.stop };
}

export type BackgroundConsumerState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface BackgroundConsumerStatus {
  state: BackgroundConsumerState;
  /** The last error of a start attempt or a crash of the running consumer (null if none). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Failed start attempts so far. */
  failedStarts: number;
}

export interface BackgroundDossierEventConsumer {
  status(): BackgroundConsumerStatus;
  /** Resolves once the consumer is running or stopped (never rejects). */
  readonly started: Promise<void>;
  /** Ends the start attempts (a pending one is disconnected), then stops the consumer and its producer. */
  stop(): Promise<void>;
}

export interface StartInBackgroundOptions extends StartDossierEventConsumerOptions {
  /** First delay between failed start attempts (ms, default 1 s), doubled up to `retryMaxMs` (default 30 s). */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How long `stop()` waits for a start attempt in flight to give up (ms, default 5 s); kafkajs logs are muted after it. */
  stopGraceMs?: number;
  /** Where progress is logged (a Nest `Logger` fits); errors go to `log.error`/`log.warn`. */
  info?: (message: string) => void;
}

/**
 * Starts a dossier-event consumer without blocking the caller (a service's HTTP server listens meanwhile): the
 * topics are created, the dead-letter producer connected and the consumer started (connect, subscribe, group
 * join) in the background, retried with a growing delay (1 s doubled up to 30 s) until the broker answers or
 * `stop()` is called. Each attempt first asks the broker with a client that does not retry (it fails at once when
 * nobody listens), so that a shutdown never waits out kafkajs's own retry budget (tens of seconds). Errors are
 * logged and reported by `status()`, never thrown. Once started, the `EventConsumer` keeps itself alive (kafkajs
 * restarts, `SupervisedConsumer` replacements) and `status()` follows its state.
 */
export function startDossierEventConsumerInBackground(o: StartInBackgroundOptions): BackgroundDossierEventConsumer {
  const gate: LogGate = { open: true };
  let stopped = false;
  let current: WiredDossierEventConsumer | undefined;
  let running: WiredDossierEventConsumer | undefined;
  let failedStarts = 0;
  let lastError: { message: string; at: string } | null = null;
  const attempt = async () => {
    // fails at once (no retries) when nobody listens; creates the topics (and their .dlq) when the broker answers.
    // Its errors are the warning below, not kafkajs's log lines.
    await ensureTopics(createKafka({ brokers: o.brokers, clientId: `${o.clientId}-probe`, level: logLevel.NOTHING }, { retry: { retries: 0 } }), o.topics);
    if (stopped) return;
    const wired = wireDossierEventConsumer(o, gate);
    current = wired;
    try {
      await wired.start();
    } finally {
      current = undefined;
    }
    if (stopped) {
      await wired.stop().catch(() => undefined); // shut down while it was joining
      return;
    }
    running = wired;
  };

  const loop = retryUntilStarted(attempt, {
    initialMs: o.retryInitialMs ?? 1000,
    maxMs: o.retryMaxMs ?? 30_000,
    stopped: () => stopped,
    onFailure: (err, n, delay) => {
      failedStarts = n;
      const message = err instanceof Error ? err.message : String(err);
      lastError = { message, at: new Date().toISOString() };
      o.log.warn(`consumer of ${o.topics.join(', ')} could not start (attempt ${n}; retrying in ${delay} ms): ${message}`);
    },
  });
  const started = loop.done
    .then(() => {
      if (running) o.info?.(`consumer of ${o.topics.join(', ')} (group ${o.groupId}) started after ${failedStarts} failed attempt(s)`);
    })
    .catch((err) => o.log.error(`consumer start loop failed: ${String(err)}`));

  return {
    started,
    status() {
      if (running) {
        const s = running.consumer.status;
        const errors = [lastError, s.lastError === null ? null : { message: s.lastError, at: s.lastErrorAt ?? '' }].filter((e) => e !== null);
        const last = errors.sort((a, b) => a.at.localeCompare(b.at)).pop() ?? null;
        return { state: stopped ? 'stopped' : s.state === 'starting' ? 'running' : s.state, lastError: last?.message ?? null, lastErrorAt: last?.at ?? null, failedStarts };
      }
      return { state: stopped ? 'stopped' : 'starting', lastError: lastError?.message ?? null, lastErrorAt: lastError?.at ?? null, failedStarts };
    },
    async stop() {
      stopped = true;
      loop.wake();
      // a start attempt in flight (connecting, joining): disconnect it, then give it a moment to return
      await current?.stop().catch(() => undefined);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([started, new Promise<void>((r) => (grace = setTimeout(r, o.stopGraceMs ?? 5000)))]);
      if (grace) clearTimeout(grace);
      await running?.stop().catch(() => undefined);
      running = undefined;
      gate.open = false; // kafkajs may still retry a request of a disconnected client for a while: not in our log
    },
  };
}
