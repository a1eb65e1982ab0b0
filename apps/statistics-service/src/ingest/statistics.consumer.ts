import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { ensureTopics, sendToDeadLetter, SupervisedConsumer, type ConsumerCrash, type DeadLetter } from '@onestop/messaging';
import { describeRedisError, type CounterCache, type GroupWrite } from '../cache/counter-cache';
import { type FaultPoint } from '../config/statistics.config';
import { type PublicEvent } from '../indicators/indicator-engine';
import { type ParseOutcome } from '../indicators/public-event.parser';
import { type AppliedBatch, type BatchApplier, type PartitionBatch, type PreparedGroup } from './batch-applier';
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
  /** Total bytes of one fetch (all partitions): the upper bound of one transaction. */
  maxBytes?: number;
  maxWaitTimeMs?: number;
  /** Fetch min bytes (1: answer as soon as anything is waiting). */
  minBytes?: number;
  /**
   * kafkajs workers (partitionsConsumedConcurrently): the batches of one fetch are delivered concurrently and
   * applied as ONE transaction, so this only needs to be ≥ the partitions one member owns.
   */
  partitionsConcurrently?: number;
  sessionTimeoutMs?: number;
  faultPoint?: FaultPoint;
  /**
   * Overlap a group's stage A with the previous group's stage B (default true, ADR 0404); false = one group at a
   * time (the same-run baseline of the benchmark, and an escape hatch).
   */
  pipeline?: boolean;
  /** Log every group's stage timings (STATS_LOG_TIMINGS=true; benchmarks). */
  logTimings?: boolean;
  faultAfterBatches?: number;
  /** No fetch answered for this long (ms): the broker counts as unreachable (default 10 s, STATS_BROKER_SILENCE_MS). */
  brokerSilenceMs?: number;
  /**
   * Source positions (`topic/partition/offset`) this group already dead-lettered: not written to the DLQ again (a
   * rebuild re-reads the whole topic; its poison messages are in the DLQ from the first pass).
   */
  alreadyDeadLettered?: ReadonlySet<string>;
  /** Called with the consumer's status every second (the worker thread reports it to the main thread). */
  onStatus?: (status: ConsumerStatus) => void;
  /** First delay before a consumer that kafkajs gave up on is replaced (ms; default 1 s, doubled up to 30 s). */
  replaceDelayMs?: number;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * What `/health/ready` reports of the consumer. `state`: `starting` until it first joins the group, `running` while
 * a member, `restarting` after kafkajs crashed (the broker went away, a rebalance failed: kafkajs retries; or it
 * gave up and the consumer is replaced, ADR 0004), `stopped` after `stop()`. `brokerReachable`: a fetch answered
 * within `brokerSilenceMs`.
 */
export interface ConsumerStatus {
  state: 'starting' | 'running' | 'restarting' | 'stopped';
  brokerReachable: boolean;
  /** The last fetch the broker answered (with or without messages); null before the first. */
  lastFetchAt: string | null;
  /** The last batch of messages received; null before the first. */
  lastBatchAt: string | null;
  /** How many times kafkajs gave up (a non-retriable error) and its consumer was replaced (ADR 0004). */
  replacements: number;
  /** kafkajs's last crash report (null: none since start). */
  lastCrash: ConsumerCrash | null;
}

/** A group of an older generation (after a failure) or with nothing left to apply: rolled back, not an error. */
const STALE = Symbol('stale group');

/**
 * The statistics consumer: its own kafkajs eachBatch loop (autoCommit off, manual resolve). Exactly-once
 * effects come from Postgres (dedup + counters + offsets in one transaction, seek to the stored offsets on
 * assignment); Redis and the Kafka commit come after COMMIT and are both safe to lose or repeat.
 */
export class StatisticsConsumer {
  private supervisor?: SupervisedConsumer;
  /** Offsets stored in PG for the partitions this member owns (loaded on each join). */
  private stored = new Map<number, bigint>();
  private batches = 0;
  private readyCheck?: NodeJS.Timeout;
  /** Counts for tests and evidence. */
  readonly stats = { applied: 0, duplicates: 0, deadLettered: 0, seeks: 0, skippedBelowStored: 0, batches: 0, partitionBatches: 0, failures: 0 };
  lastLag = new Map<number, number>();
  private state: ConsumerStatus['state'] = 'starting';
  private lastFetchMs = 0;
  private lastBatchMs = 0;
  /** Whether the lag series are published (withdrawn while the broker is unreachable). */
  private lagPublished = true;
  /** occurredAt (s) of the newest event applied so far: the `statistics_last_event_timestamp_seconds` gauge. */
  private newestEventSeconds = 0;

  constructor(private readonly o: StatisticsConsumerOptions) {}

  async start(): Promise<void> {
    this.supervisor = new SupervisedConsumer({
      create: () => this.createConsumer(),
      run: async (c) => {
        await c.connect();
        await c.subscribe({ topics: [this.o.topic], fromBeginning: true });
        await c.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: this.o.partitionsConcurrently ?? 64, eachBatch: (p) => this.onBatch(p) });
      },
      // groups in flight on the member that gave up roll back; the new member seeks to the offsets stored in PG
      onReplace: () => {
        this.generation++;
        this.assigned = [];
      },
      log: this.o.log,
      initialDelayMs: this.o.replaceDelayMs,
    });
    // the service may start before any producer created the topic (fresh broker): create it and its .dlq first
    await ensureTopics(this.o.kafka, [this.o.topic]);
    await this.supervisor.start();
    this.readyCheck = setInterval(() => {
      void this.ensureRedis();
      this.tick();
    }, 1000);
    this.tick();
    this.readyCheck.unref();
  }

  /** A kafkajs consumer with this consumer's listeners (the first one, and each replacement after a give-up). */
  private createConsumer(): Consumer {
    const c = this.o.kafka.consumer({
      groupId: this.o.groupId,
      sessionTimeout: this.o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.o.maxBytesPerPartition ?? 16 * 1_048_576,
      maxBytes: this.o.maxBytes ?? 96 * 1_048_576,
      // the service passes 64 KB / 50 ms (ADR 0405): a caught-up consumer applies fewer, larger groups; with
      // minBytes 1 it gets each message within ~maxWait. A backlog fills the fetch anyway.
      minBytes: this.o.minBytes ?? 1,
      maxWaitTimeInMs: this.o.maxWaitTimeMs ?? 10,
    });
    c.on(c.events.FETCH, () => {
      this.lastFetchMs = Date.now();
    });
    c.on(c.events.CRASH, (e) => {
      // kafkajs restarts it by itself, or it gave up and the supervisor replaces it (ADR 0004): restarting either way
      this.state = 'restarting';
      this.o.log({ level: 'warn', msg: 'kafka consumer crashed', restart: e.payload.restart, err: String(e.payload.error) });
      this.tick();
    });
    c.on(c.events.GROUP_JOIN, (e) => {
      this.state = 'running';
      const assigned = e.payload.memberAssignment[this.o.topic] ?? [];
      this.assigned = assigned;
      void this.seekToStored(assigned).catch((err: unknown) => this.o.log({ level: 'error', msg: 'seek to stored offsets failed', err: String(err) }));
    });
    return c;
  }

  /** The kafkajs consumer in charge (replaced after kafkajs gives up). */
  private get consumer(): Consumer | undefined {
    return this.supervisor?.consumer;
  }

  async stop(): Promise<void> {
    if (this.readyCheck) clearInterval(this.readyCheck);
    await this.supervisor?.stop();
    this.state = 'stopped';
    await this.flushed();
  }

  /** Whether the broker answered a fetch (or delivered a batch) within `brokerSilenceMs`, and the consumer runs. */
  private brokerReachable(now = Date.now()): boolean {
    if (this.state === 'stopped') return false;
    return now - Math.max(this.lastFetchMs, this.lastBatchMs) <= (this.o.brokerSilenceMs ?? 10_000);
  }

  status(): ConsumerStatus {
    const iso = (ms: number) => (ms === 0 ? null : new Date(ms).toISOString());
    return {
      state: this.state,
      brokerReachable: this.brokerReachable(),
      lastFetchAt: iso(this.lastFetchMs),
      lastBatchAt: iso(this.lastBatchMs),
      replacements: this.supervisor?.restarts ?? 0,
      lastCrash: this.supervisor?.lastCrash ?? null,
    };
  }

  /**
   * Every second: the connection gauges, and the lag series withdrawn while the broker is unreachable (a lag
   * measured before the outage would read as "caught up"); they are published again, with the last measured values,
   * when a fetch answers again, and each batch measures its partition anew.
   */
  private tick(): void {
    const reachable = this.brokerReachable();
    const m = this.o.metrics;
    if (reachable !== this.lagPublished) {
      this.lagPublished = reachable;
      if (reachable) for (const [partition, lag] of this.lastLag) m?.lag.set({ partition: String(partition) }, lag);
      else m?.lag.reset();
      // the first transition of a fresh consumer (nothing fetched yet) is not news
      if (this.lastFetchMs !== 0 || this.lastBatchMs !== 0)
        this.o.log({ level: reachable ? 'info' : 'warn', msg: reachable ? 'kafka broker reachable again' : 'kafka broker unreachable: consumer lag unknown', lastFetchAt: this.status().lastFetchAt });
    }
    m?.connected.set(reachable ? 1 : 0);
    if (this.lastFetchMs !== 0) m?.lastFetchTime.set(this.lastFetchMs / 1000);
    if (this.lastBatchMs !== 0) m?.lastBatchTime.set(this.lastBatchMs / 1000);
    this.o.onStatus?.(this.status());
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

  /** Partition batches of the current kafkajs fetch, waiting to be applied together. */
  private pending: { p: EachBatchPayload; resolve: () => void }[] = [];
  private flushScheduled = false;
  /** Stage A (prepare) of one group at a time, in arrival order. */
  private prepChain: Promise<void> = Promise.resolve();
  /** Settles when the last group committed or rolled back: the next group writes and commits only after that. */
  private commitChain: Promise<void> = Promise.resolve();
  /** Settles with the group before it: a group's stage A waits for it, so at most two transactions are open. */
  private commitBefore: Promise<void> = Promise.resolve();
  /** Bumped when a group fails: every group of an older generation rolls back, and the partitions seek back. */
  private generation = 0;
  private assigned: number[] = [];
  /** The partitions of the topic this member owns since the last rebalance. */
  get ownedPartitions(): readonly number[] {
    return this.assigned;
  }
  /** Redis write + Kafka commit of the committed groups, in order (never rejects). */
  private afterCommit: Promise<void> = Promise.resolve();

  /** Resolves when every committed group has been written to Redis (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.commitChain;
    await this.afterCommit;
  }

  /**
   * kafkajs hands the batches of one fetch to concurrent workers (`partitionsConsumedConcurrently`); they are
   * collected until the next macrotask and applied as ONE group: one PG transaction for all their partitions.
   */
  private onBatch(p: EachBatchPayload): Promise<void> {
    this.lastBatchMs = Date.now();
    if (p.batch.messages.length === 0 || !p.isRunning() || p.isStale()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.pending.push({ p, resolve });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        const group = this.pending;
        this.pending = [];
        this.enqueue(group);
      });
    });
  }

  /**
   * Two-stage pipeline (ADR 0404). Stage A of a group (parse, dead letters, BEGIN, claim ids, lock + load fact
   * sheets, reducer, roll-up) runs while the previous group writes and commits (stage B), so the JS work of one
   * overlaps the Postgres work of the other. After its stage A the group hands kafkajs its offsets so the next
   * fetch starts; it commits only after the previous group committed. Kafka's offsets are only an optimisation
   * (Postgres holds the true ones), so if any group fails, every later group rolls back and each partition
   * seeks to its offset stored in Postgres: nothing is skipped, and a replay is deduplicated by event id.
   */
  private enqueue(group: { p: EachBatchPayload; resolve: () => void }[]): void {
    const gen = this.generation;
    const prevCommit = this.commitChain;
    const depthGate = this.commitBefore;
    let settle!: () => void;
    const myCommit = new Promise<void>((r) => (settle = r));
    this.commitBefore = prevCommit;
    this.commitChain = myCommit;
    const prepTurn = this.prepChain;
    let releasePrep!: () => void;
    this.prepChain = new Promise<void>((r) => (releasePrep = r));
    const resolveKafka = () => group.forEach((g) => g.resolve());

    void (async () => {
      let prepared: PreparedGroup | undefined;
      try {
        await prepTurn;
        await (this.o.pipeline === false ? prevCommit : depthGate);
        const started = Date.now();
        const live = group.map((g) => g.p).filter((p) => p.isRunning() && !p.isStale()); // stale: rebalanced away, or a seek is pending
        if (gen !== this.generation || live.length === 0) throw STALE;
        const input = this.collect(live);
        // DLQ before the offsets move in PG: a crash in between re-sends (at-least-once into the DLQ), never loses one.
        const known = this.o.alreadyDeadLettered;
        await sendToDeadLetter(this.o.dlqProducer, this.o.groupId, known ? input.dead.filter((d) => !known.has(`${d.topic}/${d.partition}/${d.offset}`)) : input.dead);
        prepared = await this.o.applier.prepare(input.batches, gen);
        releasePrep();
        if (gen !== this.generation) throw STALE;
        // kafkajs may fetch the next group now (its position moves; nothing is committed to Kafka yet)
        for (const e of input.ends) e.p.resolveOffset(e.last);
        resolveKafka();
        // a failure of an earlier group bumps the generation: this group's stage A may rest on its facts
        await prevCommit;
        if (gen !== this.generation) throw STALE;
        const p = prepared;
        prepared = undefined;
        const applied = await p.finish();
        this.committed(input, applied, started);
        settle();
      } catch (err) {
        releasePrep();
        await prepared?.abort();
        if (err !== STALE) this.fail(err, gen); // before settling: the next group must see the new generation
        settle();
        resolveKafka();
      }
    })();
  }

  /** Parses a group's messages (valid events, dead letters) and the offsets it ends at. */
  private collect(live: EachBatchPayload[]) {
    const batches: PartitionBatch[] = [];
    const dead: DeadLetter[] = [];
    const ends: { p: EachBatchPayload; last: string; nextOffset: string }[] = [];
    for (const p of live) {
      const { batch } = p;
      const floor = this.stored.get(batch.partition);
      // Messages below the stored offset were applied already (fetched before the seek took effect).
      // (offsets ascend within a batch: when the first is not below, none is)
      const messages = floor === undefined || BigInt(batch.messages[0]!.offset) >= floor ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= floor);
      if (floor === undefined) this.stored.set(batch.partition, BigInt(batch.messages[0]!.offset)); // where a failure seeks back to
      if (messages.length < batch.messages.length) {
        this.stats.skippedBelowStored += batch.messages.length - messages.length;
        this.o.log({ msg: 'skipped messages below the stored offset', partition: batch.partition, skipped: batch.messages.length - messages.length, storedOffset: String(floor) });
      }
      const last = batch.messages[batch.messages.length - 1] as KafkaMessage;
      const nextOffset = (BigInt(last.offset) + 1n).toString();
      const events: PublicEvent[] = [];
      for (const m of messages) {
        const r = this.o.parse(m.value);
        if (r.ok) events.push(r.event);
        else dead.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers, reason: r.reason });
      }
      batches.push({ topic: batch.topic, partition: batch.partition, events, nextOffset });
      ends.push({ p, last: last.offset, nextOffset });
    }
    return { batches, dead, ends };
  }

  /** A group failed: later groups roll back (generation), and every owned partition seeks to its PG offset. */
  private fail(err: unknown, gen: number): void {
    if (gen !== this.generation) return;
    this.generation++;
    this.stats.failures++;
    this.o.log({ level: 'error', msg: 'ingest group failed; rolling back later groups and seeking to the offsets stored in Postgres', err: String(err) });
    for (const partition of this.assigned) {
      const offset = this.stored.get(partition);
      if (offset === undefined) continue;
      this.consumer?.seek({ topic: this.o.topic, partition, offset: offset.toString() });
      this.stats.seeks++;
    }
  }

  private committed(input: ReturnType<StatisticsConsumer['collect']>, applied: AppliedBatch, started: number): void {
    const { batches, dead, ends } = input;
    this.stats.deadLettered += dead.length;
    this.o.metrics?.deadLettered.inc(dead.length);
    for (const b of batches) this.stored.set(b.partition, BigInt(b.nextOffset));
    this.batches++;
    this.stats.batches++;
    this.stats.partitionBatches += batches.length;
    this.fault('after-commit');

    // Redis (absolute values, CAS by version) and the Kafka commit run behind the next groups' PG work: both
    // are safe to lose or repeat, and the chain keeps them in commit order (the CAS would converge anyway).
    const offsets = ends.map((e) => ({ topic: e.p.batch.topic, partition: e.p.batch.partition, offset: e.nextOffset }));
    this.afterCommit = this.afterCommit.then(async () => {
      const markerPresent = await this.writeRedis({ cells: applied.cells, lastEventAt: applied.lastEventAt });
      this.fault('after-redis');
      if (!markerPresent) void this.ensureRedis();
      await this.consumer?.commitOffsets(offsets).catch((err: unknown) => this.o.log({ level: 'warn', msg: 'kafka offset commit failed (offsets are stored in PG)', err: String(err) }));
    });
    void ends[0]?.p.heartbeat().catch(() => undefined);

    this.stats.applied += applied.claimed;
    this.stats.duplicates += applied.duplicates;
    const m = this.o.metrics;
    for (const e of ends) {
      const lag = Math.max(0, Number(BigInt(e.p.batch.highWatermark) - BigInt(e.nextOffset)));
      this.lastLag.set(e.p.batch.partition, lag);
      if (this.lagPublished) m?.lag.set({ partition: String(e.p.batch.partition) }, lag);
    }
    if (m) {
      m.events.inc(applied.claimed);
      m.duplicates.inc(applied.duplicates);
      m.batchSeconds.observe((Date.now() - started) / 1000);
      // the NEWEST applied event: a group of older events (history imported later, a due-soon sweep) does not
      // move it back
      const at = applied.lastEventAt ? Date.parse(applied.lastEventAt) / 1000 : 0;
      if (at > this.newestEventSeconds) m.lastEventTime.set((this.newestEventSeconds = at));
    }
    if (this.o.logTimings) this.o.log({ level: 'warn', msg: 'ingest group', partitions: batches.length, events: applied.claimed, rows: applied.rows, ms: Date.now() - started, ...this.o.applier.timings });
  }

  private async writeRedis(w: GroupWrite): Promise<boolean> {
    try {
      return await this.o.cache.writeGroup(w);
    } catch (err) {
      // Redis is a cache: ingest continues on PG; the API falls back to PG until a rebuild succeeds.
      this.o.log({ level: 'warn', msg: 'redis write failed; will rebuild', err: describeRedisError(err) });
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
