import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { sendToDeadLetter, type DeadLetter } from '@onestop/messaging';
import { type CounterCache } from '../cache/counter-cache';
import { type FaultPoint } from '../config/statistics.config';
import { type PublicEvent } from '../indicators/indicator-engine';
import { type ParseOutcome } from '../indicators/public-event.parser';
import { type BatchApplier } from './batch-applier';
import { type IngestMetrics } from './ingest.metrics';

export interface StatisticsConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  applier: BatchApplier;
  cache: CounterCache;
  pool: Pool;
  dlqProducer: Producer;
  parse: (value: Buffer | null) => ParseOutcome;
  metrics?: IngestMetrics;
  maxBytesPerPartition?: number;
  /** Partition batches in flight at once (each its own PG transaction; lock order is sorted everywhere). */
  partitionsConcurrently?: number;
  sessionTimeoutMs?: number;
  faultPoint?: FaultPoint;
  faultAfterBatches?: number;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * The statistics consumer: its own kafkajs eachBatch loop (autoCommit off, manual resolve). Exactly-once
 * effects come from Postgres (dedup + counters + offsets in one transaction, seek to the stored offsets on
 * assignment); Redis and the Kafka commit come after COMMIT and are both safe to lose or repeat.
 */
export class StatisticsConsumer {
  private consumer?: Consumer;
  /** Offsets stored in PG for the partitions this member owns (loaded on each join). */
  private stored = new Map<number, bigint>();
  private batches = 0;
  private readyCheck?: NodeJS.Timeout;
  /** Counts for tests and evidence. */
  readonly stats = { applied: 0, duplicates: 0, deadLettered: 0, seeks: 0, skippedBelowStored: 0, batches: 0 };
  lastLag = new Map<number, number>();

  constructor(private readonly o: StatisticsConsumerOptions) {}

  async start(): Promise<void> {
    const c = this.o.kafka.consumer({
      groupId: this.o.groupId,
      sessionTimeout: this.o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.o.maxBytesPerPartition ?? 4 * 1_048_576,
      maxBytes: 16 * 1_048_576,
      maxWaitTimeInMs: 50,
    });
    this.consumer = c;
    c.on(c.events.GROUP_JOIN, (e) => {
      const assigned = e.payload.memberAssignment[this.o.topic] ?? [];
      void this.seekToStored(assigned).catch((err: unknown) => this.o.log({ level: 'error', msg: 'seek to stored offsets failed', err: String(err) }));
    });
    await c.connect();
    await c.subscribe({ topics: [this.o.topic], fromBeginning: true });
    await c.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: this.o.partitionsConcurrently ?? 1, eachBatch: (p) => this.onBatch(p) });
    this.readyCheck = setInterval(() => void this.ensureRedis(), 1000);
    this.readyCheck.unref();
  }

  async stop(): Promise<void> {
    if (this.readyCheck) clearInterval(this.readyCheck);
    await this.consumer?.disconnect();
  }

  /** On assignment: seek every owned partition to the offset stored with the counters in Postgres. */
  private async seekToStored(partitions: number[]): Promise<void> {
    const offsets = await this.o.applier.loadOffsets(this.o.topic, partitions);
    this.stored = new Map([...offsets].map(([p, o]) => [p, BigInt(o)]));
    for (const [partition, offset] of offsets) {
      this.consumer?.seek({ topic: this.o.topic, partition, offset });
      this.stats.seeks++;
      this.o.log({ msg: 'seek to stored offset', topic: this.o.topic, partition, offset });
    }
    if (offsets.size === 0) this.o.log({ msg: 'no stored offsets: starting from the committed or earliest offsets', partitions });
  }

  private async onBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (batch.messages.length === 0 || !p.isRunning() || p.isStale()) return;
    const started = Date.now();
    const floor = this.stored.get(batch.partition);
    // Messages below the stored offset were applied already (fetched before the seek took effect).
    const messages = floor === undefined ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= floor);
    if (messages.length < batch.messages.length) {
      this.stats.skippedBelowStored += batch.messages.length - messages.length;
      this.o.log({ msg: 'skipped messages below the stored offset', partition: batch.partition, skipped: batch.messages.length - messages.length, storedOffset: String(floor) });
    }
    const last = batch.messages[batch.messages.length - 1] as KafkaMessage;
    const nextOffset = (BigInt(last.offset) + 1n).toString();

    const events: PublicEvent[] = [];
    const dead: DeadLetter[] = [];
    for (const m of messages) {
      const r = this.o.parse(m.value);
      if (r.ok) events.push(r.event);
      else dead.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers, reason: r.reason });
    }
    // DLQ before the offsets move in PG: a crash in between re-sends (at-least-once into the DLQ), never loses one.
    await sendToDeadLetter(this.o.dlqProducer, this.o.groupId, dead);
    this.stats.deadLettered += dead.length;
    this.o.metrics?.deadLettered.inc(dead.length);

    const applied = await this.o.applier.apply({ topic: batch.topic, partition: batch.partition, events, nextOffset });
    this.stored.set(batch.partition, BigInt(nextOffset));
    this.batches++;
    this.stats.batches++;
    this.fault('after-commit');

    const markerPresent = await this.writeRedis(applied.rows, applied.liveRows, applied.lastEventAt);
    this.fault('after-redis');

    p.resolveOffset(last.offset);
    await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
    await p.heartbeat();

    this.stats.applied += applied.claimed;
    this.stats.duplicates += applied.duplicates;
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(nextOffset)));
    this.lastLag.set(batch.partition, lag);
    const m = this.o.metrics;
    if (m) {
      m.events.inc(applied.claimed);
      m.duplicates.inc(applied.duplicates);
      m.batchSeconds.observe((Date.now() - started) / 1000);
      m.lag.set({ partition: String(batch.partition) }, lag);
      if (applied.lastEventAt) m.lastEventTime.set(Date.parse(applied.lastEventAt) / 1000);
    }
    if (!markerPresent) void this.ensureRedis();
  }

  private async writeRedis(rows: Parameters<CounterCache['writeRows']>[0], liveRows: Parameters<CounterCache['publish']>[0]['rows'], lastEventAt: string | null): Promise<boolean> {
    try {
      const present = await this.o.cache.writeRows(rows);
      if (lastEventAt) await this.o.cache.setMeta({ lastEventAt, lastAppliedAt: new Date().toISOString() });
      await this.o.cache.publish({ rows: liveRows, lastEventAt, committedAt: new Date().toISOString() });
      return present;
    } catch (err) {
      // Redis is a cache: ingest continues on PG; the API falls back to PG until a rebuild succeeds.
      this.o.log({ level: 'warn', msg: 'redis write failed; will rebuild', err: String(err) });
      return false;
    }
  }

  /** Rebuilds Redis from PG when the ready marker is missing (Redis lost or flushed). */
  async ensureRedis(): Promise<void> {
    try {
      if (await this.o.cache.isReady()) return;
      await this.o.cache.rebuildFromPostgres(this.o.pool);
    } catch (err) {
      this.o.log({ level: 'warn', msg: 'redis rebuild failed; retrying', err: String(err) });
    }
  }

  /** Called by the applier inside the transaction, right before COMMIT. */
  beforeCommit(): void {
    this.fault('before-commit', 1);
  }

  private fault(point: FaultPoint, ahead = 0): void {
    if (this.o.faultPoint === point && this.batches + ahead >= (this.o.faultAfterBatches ?? 1)) {
      this.o.log({ msg: `FAULT_POINT ${point}: SIGKILL`, batches: this.batches });
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
