import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export interface Freshness {
  /** occurredAt of the newest event applied to the counters. */
  lastEventAt: string | null;
  /**
   * Messages on the topic not yet applied (high watermark − offset stored with the counters); null when unknown
   * (the broker has not answered for longer than `maxLagAgeMs`, or never since boot).
   */
  consumerLag: number | null;
  /**
   * When the topic's end behind `consumerLag` was read from Kafka; null when the lag is unknown. Normally within
   * ~2 s of `asOf`; older means the broker is not answering and `consumerLag` is the last known value.
   */
  consumerLagAsOf: string | null;
  /** Where the counters of this answer came from. */
  source: 'redis' | 'postgres';
  asOf: string;
}

export interface FreshnessOptions {
  /** A value this young (ms) is answered without any refresh. */
  freshMs?: number;
  /** A value up to this old (ms) is answered at once while one refresh runs in the background. */
  staleMs?: number;
  /** Longest an answer waits for the topic's end from Kafka (ms); the broker may be paused or unreachable. */
  kafkaWaitMs?: number;
  /** The last known lag is answered up to this old (ms); past it the lag is null (unknown). */
  maxLagAgeMs?: number;
  /** A Kafka request still unanswered after this long (ms) is given up, so a new one may start. */
  abandonMs?: number;
  /** Clock (ms since the epoch). */
  now?: () => number;
}

interface StoredOffsets {
  lastEventAt: string | null;
  next: Map<number, bigint>;
}

const DEFAULTS: Required<Omit<FreshnessOptions, 'now'>> = { freshMs: 500, staleMs: 2000, kafkaWaitMs: 500, maxLagAgeMs: 30_000, abandonMs: 60_000 };

/**
 * Consumer lag and last-event time, from Postgres's stored offsets and the topic's high watermarks.
 *
 * Both are cached (fresh 500 ms; up to 2 s old the cached value is answered while one refresh runs). Postgres is
 * the service's own store and is awaited when the cache is older; Kafka is not: an answer waits at most
 * `kafkaWaitMs` for the high watermarks, and only the request that starts a refresh waits at all, so a paused or
 * unreachable broker never holds answers (the black-box finding: 30 s per query behind kafkajs's request
 * timeout). At most one Kafka request is in flight. Until it answers, the last known lag is served with its age
 * (`consumerLagAsOf`), and after `maxLagAgeMs` the lag is null (ADR 0410).
 */
export class FreshnessService {
  private readonly o: Required<Omit<FreshnessOptions, 'now'>>;
  private readonly now: () => number;
  private stored?: { at: number; value: StoredOffsets };
  private storedFlight?: Promise<StoredOffsets>;
  private lag?: { at: number; value: number };
  private lagFlight?: { started: number; done: Promise<void> };
  /** Start time of the measurement behind `lag` (an abandoned request answering late must not overwrite a newer one). */
  private lagStarted = -Infinity;

  constructor(
    private readonly pool: Pool,
    private readonly admin: Pick<Admin, 'fetchTopicOffsets'>,
    private readonly topic: string,
    private readonly groupId: string,
    options: FreshnessOptions = {},
  ) {
    const { now, ...rest } = options;
    this.o = { ...DEFAULTS, ...rest };
    this.now = now ?? Date.now;
  }

  async get(source: Freshness['source']): Promise<Freshness> {
    const start = this.now();
    const storedAge = this.stored ? start - this.stored.at : Infinity;
    const lagAge = this.lag ? start - this.lag.at : Infinity;
    const waits: Promise<unknown>[] = [];
    if (storedAge >= this.o.freshMs) {
      const p = this.refreshStored();
      if (storedAge >= this.o.staleMs) waits.push(p);
      else p.catch(() => undefined); // stale-while-revalidate: a failed refresh is retried by the next answer
    }
    if (lagAge >= this.o.freshMs) {
      const flight = this.refreshLag(start);
      const budget = flight.started + this.o.kafkaWaitMs - start;
      if (lagAge >= this.o.staleMs && budget > 0) waits.push(within(flight.done, budget));
    }
    await Promise.all(waits);
    const stored = this.stored!.value;
    const now = this.now();
    const lag = this.lag && now - this.lag.at <= this.o.maxLagAgeMs ? this.lag : undefined;
    return {
      lastEventAt: stored.lastEventAt,
      consumerLag: lag ? lag.value : null,
      consumerLagAsOf: lag ? new Date(lag.at).toISOString() : null,
      source,
      asOf: new Date(now).toISOString(),
    };
  }

  /** Offsets and last-event time stored with the counters (one query in flight at a time). */
  private refreshStored(): Promise<StoredOffsets> {
    this.storedFlight ??= (async () => {
      try {
        const { rows } = await this.pool.query<{ partition: number; next_offset: string; last_event_at: Date | null }>(
          `SELECT partition, next_offset, last_event_at FROM statistics.consumer_offset WHERE consumer_group = $1 AND topic = $2`,
          [this.groupId, this.topic],
        );
        const last = rows.reduce<Date | null>((m, r) => (r.last_event_at && (!m || r.last_event_at > m) ? r.last_event_at : m), null);
        const value: StoredOffsets = { lastEventAt: last ? last.toISOString() : null, next: new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)])) };
        this.stored = { at: this.now(), value };
        return value;
      } finally {
        this.storedFlight = undefined;
      }
    })();
    return this.storedFlight;
  }

  /**
   * One lag measurement in flight at a time: the stored offsets, then the topic's high watermarks. Never rejects;
   * a failure leaves the last known lag in place. A request older than `abandonMs` is given up.
   */
  private refreshLag(now: number): { started: number; done: Promise<void> } {
    if (this.lagFlight && now - this.lagFlight.started < this.o.abandonMs) return this.lagFlight;
    const flight: { started: number; done: Promise<void> } = { started: now, done: Promise.resolve() };
    flight.done = (async () => {
      try {
        const stored = await this.refreshStored();
        const hw = await this.admin.fetchTopicOffsets(this.topic);
        const value = hw.reduce((s, p) => s + Math.max(0, Number(BigInt(p.high) - (stored.next.get(p.partition) ?? BigInt(p.low)))), 0);
        if (!this.lag || flight.started >= this.lagStarted) {
          this.lag = { at: this.now(), value };
          this.lagStarted = flight.started;
        }
      } catch {
        // broker unreachable or erroring: keep the last known lag (it ages out after maxLagAgeMs)
      } finally {
        if (this.lagFlight === flight) this.lagFlight = undefined;
      }
    })();
    this.lagFlight = flight;
    return flight;
  }
}

/** Resolves when `p` settles or after `ms`, whichever comes first (never rejects). */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}
