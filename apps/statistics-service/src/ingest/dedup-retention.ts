import type { Pool } from 'pg';
import type { Counter, Registry } from 'prom-client';
import { metric } from '@onestop/observability';

/**
 * Retention of the dedup ledger `processed_event` (ADR 0413). Without it the ledger grows by one row per event,
 * forever (a province: ~12 million rows a quarter).
 *
 * Pruning is safe at any age because the ledger is not what keeps the counters exact on its own: the fact-sheet
 * merge of `@onestop/domain` is idempotent (a duplicate leaves the sheet unchanged, so its diff is empty and no
 * counter moves). An event redelivered after its id was pruned is claimed again and changes nothing. The ledger
 * makes a duplicate cheap (skipped before the reducer) and countable (`statistics_events_duplicate_total`); the
 * retention bounds how far back that holds. Keep it at least as long as Kafka redelivers duplicates (the broker's
 * retention of the public topic, or the longest replay you run onto intact state).
 */

/** Advisory lock key: one pruner at a time across the replicas sharing the database. */
const PRUNE_LOCK = 'statistics.processed_event retention';

export interface PruneOptions {
  /** Ids claimed before this instant are deleted. */
  olderThan: Date;
  /** Rows per DELETE (one short transaction each, so the consumer's claims never wait long). */
  chunk?: number;
  /** Called after every chunk with the running total. */
  onProgress?: (deleted: number) => void;
}

/**
 * Deletes the ids claimed before `olderThan`, a chunk per transaction. Answers the number of rows deleted, or
 * null when another process holds the pruning lock (it is pruning the same rows).
 */
export async function pruneProcessedEvents(pool: Pool, o: PruneOptions): Promise<number | null> {
  const chunk = o.chunk ?? 10_000;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunk must be a positive integer, got ${chunk}`);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [PRUNE_LOCK]);
    if (!rows[0]?.locked) return null;
    try {
      let deleted = 0;
      for (;;) {
        const res = await client.query(
          `DELETE FROM statistics.processed_event
            WHERE ctid = ANY(ARRAY(SELECT ctid FROM statistics.processed_event WHERE claimed_at < $1 LIMIT $2))`,
          [o.olderThan, chunk],
        );
        const n = res.rowCount ?? 0;
        deleted += n;
        if (n > 0) o.onProgress?.(deleted);
        if (n < chunk) return deleted;
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [PRUNE_LOCK]);
    }
  } catch (err) {
    broken = err as Error; // the connection may hold the session lock: discard it, do not pool it
    throw err;
  } finally {
    client.release(broken);
  }
}

export interface DedupRetentionOptions {
  /** Ids older than this many days are pruned; 0 keeps them forever (no pruning). */
  retentionDays: number;
  /** Minutes between two prunings (the first runs `firstDelayMs` after start). */
  everyMinutes: number;
  firstDelayMs?: number;
  chunk?: number;
  log: (entry: Record<string, unknown>) => void;
  registry?: Registry;
  now?: () => number;
}

const DAY_MS = 86_400_000;

/** Prunes the dedup ledger periodically in the service (ADR 0413). */
export class DedupRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly pruned: Counter | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly o: DedupRetentionOptions,
  ) {
    this.pruned = o.registry ? metric.counter(o.registry, 'statistics_dedup_pruned_total', 'Event ids pruned from the dedup ledger (older than STATS_DEDUP_RETENTION_DAYS)') : undefined;
  }

  start(): void {
    if (this.o.retentionDays <= 0 || this.timer !== undefined) return;
    this.schedule(this.o.firstDelayMs ?? 60_000);
  }

  /** One pruning now (also what the timer runs). */
  async runOnce(): Promise<number | null> {
    const now = this.o.now?.() ?? Date.now();
    const olderThan = new Date(now - this.o.retentionDays * DAY_MS);
    const t0 = Date.now();
    const deleted = await pruneProcessedEvents(this.pool, { olderThan, chunk: this.o.chunk });
    if (deleted === null) this.o.log({ msg: 'dedup ledger pruning skipped: another process holds the lock' });
    else {
      if (deleted > 0) this.pruned?.inc(deleted);
      this.o.log({ msg: 'dedup ledger pruned', deleted, olderThan: olderThan.toISOString(), ms: Date.now() - t0 });
    }
    return deleted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.o.log({ level: 'warn', msg: 'dedup ledger pruning failed; retried at the next interval', err: String(err) }))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.o.everyMinutes * 60_000);
        });
    }, ms);
    this.timer.unref();
  }
}
