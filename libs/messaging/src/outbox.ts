import { Pool, type PoolClient } from 'pg';
import type { Producer, Message } from 'kafkajs';

/** What a producer stores in its outbox: the full envelope (internal topic) and its public projection. */
export interface OutboxRecord {
  id: string;
  key: string;
  type: string;
  version: number;
  envelope: unknown;
  /** Public projection without personal data, or null when the event is internal only. */
  publicEnvelope: unknown | null;
  correlationId?: string;
}

/** Anything that can run a parameterised query inside the caller's open transaction (TypeORM manager, pg client). */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** DDL for the outbox of one service schema; call it from the service's migration (`up`). */
export function outboxTableDdl(schema: string): string[] {
  const t = `${ident(schema)}.outbox`;
  return [
    `CREATE TABLE ${t} (
       seq bigserial PRIMARY KEY,
       id uuid NOT NULL UNIQUE,
       aggregate_id text NOT NULL,
       type text NOT NULL,
       version int NOT NULL,
       envelope jsonb NOT NULL,
       public_envelope jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    `CREATE INDEX outbox_unpublished_idx ON ${t} (seq) WHERE published_at IS NULL`,
  ];
}
export function outboxTableDropDdl(schema: string): string[] {
  return [`DROP TABLE IF EXISTS ${ident(schema)}.outbox`];
}

export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

export interface AppendOptions {
  /**
   * Coalesce NOTIFYs of this process: skip the NOTIFY when one was issued for the schema less than this many
   * ms ago (default 20). Postgres serialises the commits of every transaction that issued NOTIFY (a global
   * queue lock), which caps commit throughput (~4x measured, bench/intake/notify-probe.cjs); a relay that was
   * just woken keeps polling briefly (see OutboxRelayOptions.graceMs) and picks the skipped rows up. 0 = always.
   */
  notifyCoalesceMs?: number;
}

const lastNotifyAt = new Map<string, number>();

/**
 * Appends events to the outbox inside the caller's transaction (the same one that changes the state),
 * and NOTIFYs the relay; Postgres delivers the notification only when that transaction commits.
 */
export async function appendToOutbox(
  tx: SqlExecutor,
  schema: string,
  records: OutboxRecord[],
  options: AppendOptions = {},
): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO ${ident(schema)}.outbox (id, aggregate_id, type, version, envelope, public_envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[])`,
    [
      records.map((r) => r.id),
      records.map((r) => r.key),
      records.map((r) => r.type),
      records.map((r) => r.version),
      records.map((r) => JSON.stringify(r.envelope)),
      records.map((r) => (r.publicEnvelope == null ? null : JSON.stringify(r.publicEnvelope))),
    ],
  );
  const now = Date.now();
  const coalesce = options.notifyCoalesceMs ?? 20;
  if (coalesce <= 0 || now - (lastNotifyAt.get(schema) ?? 0) >= coalesce) {
    lastNotifyAt.set(schema, now);
    await tx.query(`SELECT pg_notify($1, '')`, [outboxChannel(schema)]);
  }
}

export interface OutboxRelayOptions {
  databaseUrl: string;
  schema: string;
  producer: Producer;
  internalTopic: string;
  publicTopic: string;
  /** Max rows per Kafka batch. */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (ms). */
  pollIntervalMs?: number;
  /**
   * After a wake-up or a published batch, keep polling every `graceIntervalMs` (default 10) for this long
   * (default 250 ms) before falling back to `pollIntervalMs`: picks up rows whose NOTIFY was coalesced.
   */
  graceMs?: number;
  graceIntervalMs?: number;
  /**
   * Pacing: at least this many ms between the starts of two batches (default 0 = none). A NOTIFY does not cut
   * it short, so a busy writer's rows accumulate into fewer, larger batches (fewer round trips and Kafka
   * requests per row) at the price of at most this much added publish latency.
   */
  minBatchIntervalMs?: number;
  /** Called with counts after each published batch (metrics). */
  onPublished?: (count: number, lagMs: number) => void;
  onError?: (err: unknown) => void;
  /**
   * A Kafka call (connect or publish) still unanswered after this many ms (default 10 000) makes `kafkaConnected`
   * false with "no answer from the broker" while it lasts: kafkajs retries a send for tens of seconds before it fails,
   * and health would say "connected" all that time with rows waiting.
   */
  stalledAfterMs?: number;
  /** Test hook: runs after Kafka acknowledged a batch and before the outbox rows are marked published. */
  afterSendBeforeMark?: () => Promise<void> | void;
}

interface Row {
  seq: string;
  id: string;
  aggregate_id: string;
  type: string;
  version: number;
  envelope: Record<string, unknown>;
  public_envelope: Record<string, unknown> | null;
  created_at: Date;
}

/**
 * Publishes the outbox to Kafka in order, in batches, with the idempotent producer and acks=all.
 * One relay per schema is active at a time (a Postgres advisory lock elects it), so per-dossier order is
 * kept even with several replicas. At-least-once: a crash between the Kafka ack and the UPDATE republishes
 * the batch; consumers deduplicate by event id.
 */
export class OutboxRelay {
  private pool: Pool;
  private listener?: PoolClient;
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private readonly lockKey: number;
  private hasLock = false;
  private producerConnected = false;
  /** The last Kafka failure (connect or publish) not yet followed by a successful Kafka call; undefined when none. */
  private kafkaFailure?: string;
  private lastPublishedAt?: Date;
  /** When the Kafka call in flight started (undefined when none is). */
  private kafkaCallSince?: number;

  constructor(private readonly o: OutboxRelayOptions) {
    // The relay owns the producer's connection: a broker that is down at boot must not stop the service.
    // a connect that succeeds (the relay's, or its owner's background connect) means the broker is back
    o.producer.on(o.producer.events.CONNECT, () => {
      this.producerConnected = true;
      this.kafkaFailure = undefined;
    });
    o.producer.on(o.producer.events.DISCONNECT, () => (this.producerConnected = false));
    // three connections: the LISTEN one, the batch's transaction (held while Kafka is called) and one for `backlog()`,
    // which readiness calls: with two, readiness waited for the batch, i.e. for kafkajs to give up (~40 s, black box)
    this.pool = new Pool({ connectionString: o.databaseUrl, max: 3, application_name: `${o.schema}-outbox-relay` });
    this.pool.on('error', (e) => this.o.onError?.(e));
    this.lockKey = hash32(`outbox:${o.schema}`);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.producerConnected) await this.o.producer.disconnect().catch(() => undefined);
    this.listener?.release(true);
    this.listener = undefined;
    await this.pool.end();
  }

  /**
   * Whether the broker took the relay's last attempt: the producer is connected and no connect or publish has
   * failed since the last published batch. kafkajs emits no DISCONNECT when a broker dies under a connected
   * producer, so the connection state alone stays `true` for as long as the broker is down. While the outbox is
   * empty nothing is attempted: the value is that of the last attempt.
   */
  get kafkaConnected(): boolean {
    return this.producerConnected && this.kafkaFailure === undefined && this.stalledMs() === undefined;
  }

  /** How long the Kafka call in flight has gone unanswered, when longer than `stalledAfterMs`. */
  private stalledMs(): number | undefined {
    if (this.kafkaCallSince === undefined) return undefined;
    const ms = Date.now() - this.kafkaCallSince;
    return ms > (this.o.stalledAfterMs ?? 10_000) ? ms : undefined;
  }

  /** For health details: Kafka's last error while `kafkaConnected` is false for a failure, whether this replica
   *  holds the relay's advisory lock (only one replica publishes), and when it last published a batch. */
  status(): { kafkaConnected: boolean; kafkaError?: string; leader: boolean; lastPublishedAt: string | null } {
    const stalled = this.stalledMs();
    const kafkaError = this.kafkaFailure ?? (stalled !== undefined ? `no answer from the broker for ${Math.round(stalled / 1000)} s (a Kafka call in flight)` : undefined);
    return {
      kafkaConnected: this.kafkaConnected,
      ...(kafkaError !== undefined ? { kafkaError } : {}),
      leader: this.hasLock,
      lastPublishedAt: this.lastPublishedAt?.toISOString() ?? null,
    };
  }

  /** Rows not yet published (for health and metrics). */
  async backlog(): Promise<number> {
    const r = await this.pool.query(`SELECT count(*)::int AS n FROM ${ident(this.o.schema)}.outbox WHERE published_at IS NULL`);
    return r.rows[0].n as number;
  }

  private async run(): Promise<void> {
    let backoff = 200;
    let activeUntil = 0;
    let lastBatchAt = 0;
    while (this.running) {
      try {
        await this.ensureListener();
        if (!this.hasLock) {
          await this.sleep(1000);
          continue;
        }
        if (!this.producerConnected) await this.kafka(() => this.o.producer.connect());
        const wait = lastBatchAt + (this.o.minBatchIntervalMs ?? 0) - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        lastBatchAt = Date.now();
        const n = await this.publishOnce();
        backoff = 200;
        if (n > 0) {
          activeUntil = Date.now() + (this.o.graceMs ?? 250);
        } else if (Date.now() < activeUntil) {
          await this.sleep(this.o.graceIntervalMs ?? 10);
        } else if (await this.sleep(this.o.pollIntervalMs ?? 1000)) {
          activeUntil = Date.now() + (this.o.graceMs ?? 250); // woken by NOTIFY
        }
      } catch (err) {
        this.o.onError?.(err);
        this.listener?.release(true);
        this.listener = undefined;
        this.hasLock = false;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async ensureListener(): Promise<void> {
    if (this.listener) {
      if (!this.hasLock) this.hasLock = await this.tryLock(this.listener);
      return;
    }
    const c = await this.pool.connect();
    c.on('notification', () => this.wake?.());
    c.on('error', (e) => this.o.onError?.(e));
    await c.query(`LISTEN ${ident(outboxChannel(this.o.schema))}`);
    this.listener = c;
    this.hasLock = await this.tryLock(c);
  }

  private async tryLock(c: PoolClient): Promise<boolean> {
    const r = await c.query('SELECT pg_try_advisory_lock($1) AS ok', [this.lockKey]);
    return Boolean(r.rows[0].ok);
  }

  /** Sleeps for `ms` or until woken (NOTIFY, stop); resolves true when woken early. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  /** Runs a call to Kafka: its failure sets `kafkaConnected` false, its success true again (Postgres failures say nothing about Kafka). */
  private async kafka<T>(call: () => Promise<T>): Promise<T> {
    this.kafkaCallSince = Date.now();
    try {
      const result = await call();
      this.kafkaFailure = undefined;
      return result;
    } catch (err) {
      this.kafkaFailure = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw err;
    } finally {
      this.kafkaCallSince = undefined;
    }
  }

  /** Publishes one batch; returns how many rows it published. */
  async publishOnce(): Promise<number> {
    const c = await this.pool.connect();
    // A backend terminated mid-batch makes the checked-out client emit 'error'; without a listener the
    // process would crash. The failing query rejects too, so the batch is rolled back and retried.
    const onClientError = (e: unknown) => this.o.onError?.(e);
    c.on('error', onClientError);
    try {
      await c.query('BEGIN');
      const { rows } = await c.query<Row>(
        `SELECT seq, id, aggregate_id, type, version, envelope, public_envelope, created_at
           FROM ${ident(this.o.schema)}.outbox
          WHERE published_at IS NULL
          ORDER BY seq
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.o.batchSize ?? 500],
      );
      if (rows.length === 0) {
        await c.query('COMMIT');
        return 0;
      }
      const toMessage = (r: Row, env: Record<string, unknown>): Message => ({
        key: r.aggregate_id,
        value: JSON.stringify(env),
        headers: {
          'event-id': r.id,
          'event-type': r.type,
          'event-version': String(r.version),
          'content-type': 'application/json',
          ...(typeof env['correlationId'] === 'string' ? { 'correlation-id': env['correlationId'] } : {}),
          // consumers can pass over their own service's events without parsing the value (HEADERS.Producer)
          ...(typeof env['producer'] === 'string' ? { producer: env['producer'] } : {}),
        },
      });
      const publicRows = rows.filter((r) => r.public_envelope != null);
      await this.kafka(() => this.o.producer.sendBatch({
        acks: -1,
        topicMessages: [
          { topic: this.o.internalTopic, messages: rows.map((r) => toMessage(r, r.envelope)) },
          ...(publicRows.length > 0
            ? [{ topic: this.o.publicTopic, messages: publicRows.map((r) => toMessage(r, r.public_envelope as Record<string, unknown>)) }]
            : []),
        ],
      }));
      await this.o.afterSendBeforeMark?.();
      await c.query(`UPDATE ${ident(this.o.schema)}.outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [
        rows.map((r) => r.seq),
      ]);
      await c.query('COMMIT');
      this.lastPublishedAt = new Date();
      const oldest = Math.min(...rows.map((r) => r.created_at.getTime()));
      this.o.onPublished?.(rows.length, Date.now() - oldest);
      return rows.length;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.off('error', onClientError);
      c.release();
    }
  }
}

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
