import { Observable, Subject, filter, map } from 'rxjs';
import { createRedisClient, type ChangeMessage, type RedisClient } from '../cache/counter-cache';
import { storedPeriodsOf } from './counter-reader';

export interface LiveChange {
  unitId: string;
  period: string;
  metric: string;
  value: number;
  lastEventAt: string | null;
  committedAt: string;
}

/** One Redis subscriber per process fanned out to SSE clients, filtered to the unit's subtree. */
export class LiveFeed {
  private readonly subject = new Subject<ChangeMessage>();
  private sub?: RedisClient;

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  async start(): Promise<void> {
    const sub = createRedisClient(this.url);
    await sub.connect();
    await sub.subscribe(this.channel, (message) => {
      // no SSE client: skip the parse (a catch-up group's message holds tens of thousands of rows, and this
      // thread also answers the queries)
      if (!this.subject.observed) return;
      try {
        this.subject.next(JSON.parse(message) as ChangeMessage);
      } catch {
        // ignore a malformed message on the channel
      }
    });
    this.sub = sub;
  }

  async stop(): Promise<void> {
    this.subject.complete();
    await this.sub?.close().catch(() => undefined);
  }

  /**
   * Changes of `unitId` and every unit below it, optionally limited to one period. Values are those of the
   * stored cells (days and months): for a quarter or a year, the changed months inside it are sent.
   */
  forUnit(unitId: string, period?: string): Observable<LiveChange[]> {
    const months = period && /^[QY]/.test(period) ? new Set(storedPeriodsOf(period)) : null;
    return this.subject.pipe(
      map((msg) =>
        msg.rows
          .filter((r) => (r.u === unitId || r.a.includes(unitId)) && (!period || (months ? months.has(r.p) : r.p === period)))
          .map((r) => ({ unitId: r.u, period: r.p, metric: r.m, value: r.v, lastEventAt: msg.lastEventAt, committedAt: msg.committedAt })),
      ),
      filter((rows) => rows.length > 0),
    );
  }
}
