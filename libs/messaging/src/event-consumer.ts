import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { sendToDeadLetter, type DeadLetter } from './dead-letter';
import { ensureTopics } from './kafka.factory';
import { SupervisedConsumer, type ConsumerCrash } from './supervised-consumer';

export type ParseResult<E> = { ok: true; event: E } | { ok: false; reason: string };

export interface ConsumedEvent<E> {
  event: E;
  topic: string;
  partition: number;
  offset: string;
}

/** Thrown by a handler to send one event of the batch to the dead-letter topic instead of retrying. */
export class PoisonEventException extends Error {
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'PoisonEventException';
  }
}

/**
 * Where an `EventConsumer` stands, from its kafkajs consumer's events: `starting` until it first joins its group,
 * `running` once joined (GROUP_JOIN), `restarting` after kafkajs stopped it on a crash (CRASH/STOP, until it or
 * its replacement joins again), `stopped` after `stop()`.
 */
export type EventConsumerState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface EventConsumerStatus {
  state: EventConsumerState;
  /** The last crash kafkajs reported (null if none). */
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface EventConsumerOptions<E> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  parse: (message: KafkaMessage) => ParseResult<E>;
  /**
   * Applies a batch of valid events. Must be idempotent per event id (the consumer is at-least-once): the
   * usual shape is one DB transaction that claims the ids in a processed-event table and applies the rest.
   */
  handleBatch: (events: ConsumedEvent<E>[]) => Promise<void>;
  dlqProducer: Producer;
  fromBeginning?: boolean;
  maxBatch?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
  onError?: (err: unknown) => void;
  sessionTimeout?: number;
  /**
   * Fetch shaping (kafkajs `minBytes`, `maxWaitTimeInMs`): a consumer that may lag a little (e.g. a view for
   * lookups) waits for larger batches instead of fetching every few milliseconds. Defaults: kafkajs's (1 byte, 5 s).
   */
  minBytes?: number;
  maxWaitTimeInMs?: number;
  /** First delay before a consumer that kafkajs gave up on is replaced (ms; default 1 s, doubled up to 30 s; ADR 0004). */
  replaceDelayMs?: number;
}

/**
 * A kafkajs eachBatch consumer that validates every message, dead-letters the invalid ones with their
 * reason, hands valid events to the handler in chunks, and commits offsets only after the handler
 * succeeded. A failing handler is retried with backoff (heartbeating) without skipping anything. If kafkajs gives
 * up on its consumer (a non-retriable error), a new one replaces it (ADR 0004); `onError` hears about it.
 */
export class EventConsumer<E> {
  private supervisor?: SupervisedConsumer;
  private stopped = false;
  private stateValue: EventConsumerState = 'starting';
  private lastError: { message: string; at: string } | null = null;

  constructor(private readonly o: EventConsumerOptions<E>) {}

  /** State of the consumer (from kafkajs GROUP_JOIN / CRASH / STOP) and its last crash. */
  get status(): EventConsumerStatus {
    return { state: this.stateValue, lastError: this.lastError?.message ?? null, lastErrorAt: this.lastError?.at ?? null };
  }

  async start(): Promise<void> {
    this.supervisor = new SupervisedConsumer({
      create: () => this.track(
        this.o.kafka.consumer({
          groupId: this.o.groupId,
          sessionTimeout: this.o.sessionTimeout ?? 30_000,
          heartbeatInterval: 1000,
          allowAutoTopicCreation: false,
          maxBytesPerPartition: 1_048_576,
          ...(this.o.minBytes !== undefined ? { minBytes: this.o.minBytes } : {}),
          ...(this.o.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: this.o.maxWaitTimeInMs } : {}),
        }),
      ),
      run: async (c) => {
        await c.connect();
        await c.subscribe({ topics: this.o.topics, fromBeginning: this.o.fromBeginning ?? true });
        await c.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.onBatch(p) });
      },
      // rare lines (a give-up, a replacement): the consumer's error channel carries them
      log: (entry) => this.o.onError?.(new Error(`${String(entry['msg'])}${entry['err'] === undefined ? '' : `: ${String(entry['err'])}`} (${JSON.stringify({ inMs: entry['inMs'], replacements: entry['replacements'] })})`)),
      initialDelayMs: this.o.replaceDelayMs,
    });
    // A consumer may start before any producer created its topics (a fresh broker, services started together):
    // subscribing to a missing topic fails, so create them (and their .dlq) first, as the producers do.
    await ensureTopics(this.o.kafka, this.o.topics);
    await this.supervisor.start();
  }

  /** How many times kafkajs gave up on its consumer and it was replaced (ADR 0004), and its last crash report. */
  get replacements(): { count: number; lastCrash: ConsumerCrash | null } {
    return { count: this.supervisor?.restarts ?? 0, lastCrash: this.supervisor?.lastCrash ?? null };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stateValue = 'stopped';
    await this.supervisor?.stop();
  }

  /** Follows a kafkajs consumer's events into `status` (only those of the consumer in charge: not one replaced). */
  private track(c: Consumer): Consumer {
    const current = () => this.supervisor?.consumer === undefined || this.supervisor.consumer === c;
    c.on(c.events.GROUP_JOIN, () => {
      if (!this.stopped && current()) this.stateValue = 'running';
    });
    c.on(c.events.CRASH, (e) => {
      if (!current()) return;
      this.lastError = { message: e.payload.error instanceof Error ? e.payload.error.message : String(e.payload.error), at: new Date().toISOString() };
      if (!this.stopped) this.stateValue = 'restarting';
    });
    // kafkajs stops its consumer on a crash (then restarts it, or the supervisor replaces it), and on stop()
    c.on(c.events.STOP, () => {
      if (current()) this.stateValue = this.stopped ? 'stopped' : 'restarting';
    });
    return c;
  }

  private async onBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const max = this.o.maxBatch ?? 500;
    for (let i = 0; i < batch.messages.length && p.isRunning() && !p.isStale(); i += max) {
      const chunk = batch.messages.slice(i, i + max);
      const valid: ConsumedEvent<E>[] = [];
      const dead: DeadLetter[] = [];
      for (const m of chunk) {
        const r = safe(() => this.o.parse(m));
        if (r.ok) valid.push({ event: r.event, topic: batch.topic, partition: batch.partition, offset: m.offset });
        else dead.push(letterOf(batch.topic, batch.partition, m, r.reason));
      }
      let pending = valid;
      let attempt = 0;
      for (;;) {
        try {
          await this.o.handleBatch(pending);
          break;
        } catch (err) {
          if (err instanceof PoisonEventException && pending[err.index]) {
            const bad = pending[err.index] as ConsumedEvent<E>;
            const msg = chunk.find((m) => m.offset === bad.offset) as KafkaMessage;
            dead.push(letterOf(batch.topic, batch.partition, msg, err.message));
            pending = pending.filter((_, j) => j !== err.index);
            continue;
          }
          this.o.onError?.(err);
          if (this.stopped || !p.isRunning()) return; // uncommitted: redelivered to whoever owns the partition next
          attempt++;
          await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
          await p.heartbeat();
        }
      }
      await sendToDeadLetter(this.o.dlqProducer, this.o.groupId, dead);
      dead.forEach((d) => this.o.onDeadLetter?.(d));
      const last = chunk[chunk.length - 1] as KafkaMessage;
      p.resolveOffset(last.offset);
      await p.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }] }],
      });
      await p.heartbeat();
    }
  }
}

function safe<E>(f: () => ParseResult<E>): ParseResult<E> {
  try {
    return f();
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

function letterOf(topic: string, partition: number, m: KafkaMessage, reason: string): DeadLetter {
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers, reason };
}
