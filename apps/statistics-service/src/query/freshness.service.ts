import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export interface Freshness {
  /** occurredAt of the newest event applied to the counters. */
  lastEventAt: string | null;
  /** Messages on the topic not yet applied (high watermark − offset stored with the counters). */
  consumerLag: number | null;
  /** Where the counters of this answer came from. */
  source: 'redis' | 'postgres';
  asOf: string;
}

/** Consumer lag and last-event time, from Postgres's stored offsets and the topic's high watermarks (cached 500 ms). */
export class FreshnessService {
  private cached?: { at: number; value: Omit<Freshness, 'source' | 'asOf'> };
  private inflight?: Promise<Omit<Freshness, 'source' | 'asOf'>>;

  constructor(
    private readonly pool: Pool,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async get(source: Freshness['source']): Promise<Freshness> {
    const age = this.cached ? Date.now() - this.cached.at : Infinity;
    let v;
    if (age < 500) v = this.cached!.value;
    else if (age < 2000) {
      // stale-while-revalidate: answer with the last value (≤ 2 s old) while one refresh runs in the background
      this.refresh().catch(() => undefined);
      v = this.cached!.value;
    } else v = await this.refresh();
    return { ...v, source, asOf: new Date().toISOString() };
  }

  private refresh(): Promise<Omit<Freshness, 'source' | 'asOf'>> {
    this.inflight ??= (async () => {
      try {
        const { rows } = await this.pool.query<{ partition: number; next_offset: string; last_event_at: Date | null }>(
          `SELECT partition, next_offset, last_event_at FROM statistics.consumer_offset WHERE consumer_group = $1 AND topic = $2`,
          [this.groupId, this.topic],
        );
        let lag: number | null = null;
        try {
          const hw = await this.admin.fetchTopicOffsets(this.topic);
          const stored = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
          lag = hw.reduce((s, p) => s + Math.max(0, Number(BigInt(p.high) - (stored.get(p.partition) ?? BigInt(p.low)))), 0);
        } catch {
          lag = null; // broker unreachable: unknown lag, still answer
        }
        const last = rows.reduce<Date | null>((m, r) => (r.last_event_at && (!m || r.last_event_at > m) ? r.last_event_at : m), null);
        const value = { lastEventAt: last ? last.toISOString() : null, consumerLag: lag };
        this.cached = { at: Date.now(), value };
        return value;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
