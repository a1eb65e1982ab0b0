import { type BeforeApplicationShutdown } from '@nestjs/common';
import { Observable, Subject, filter, map } from 'rxjs';
import { createRedisClient, type ChangeMessage, type RedisClient } from '../cache/counter-cache';
import { storedPeriodsOf } from './counter-reader';
import { type CounterMirror } from './counter-mirror';

export interface LiveChange {
  unitId: string;
  period: string;
  metric: string;
  value: number;
  lastEventAt: string | null;
  committedAt: string;
}

/**
 * One Redis subscriber per process fanned out to SSE clients, filtered to the unit's subtree, and feeding the
 * query path's in-memory mirror of hot counter cells (ADR 0406).
 */
export class LiveFeed implements BeforeApplicationShutdown {
  private readonly subject = new Subject<ChangeMessage>();
  private sub?: RedisClient;
  private relive?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly mirror?: CounterMirror,
    /** After a reconnect, how long to wait for the resubscription before the mirror is trusted again (ms). */
    private readonly resubscribeMs = 1000,
  ) {}

  async start(): Promise<void> {
    const sub = createRedisClient(this.url);
    // Messages published while the subscriber is away are lost: the mirror must not be used until it is back.
    const down = (): void => {
      clearTimeout(this.relive);
      this.mirror?.setLive(false);
    };
    sub.on('error', down);
    sub.on('reconnecting', down);
    sub.on('end', down);
    await sub.connect();
    await sub.subscribe(this.channel, (message) => {
      let parsed: ChangeMessage | undefined;
      // no SSE client: skip the parse (a catch-up group's message holds tens of thousands of rows, and this
      // thread also answers the queries); the mirror parses only what it can use
      if (this.subject.observed) {
        try {
          parsed = JSON.parse(message) as ChangeMessage;
        } catch {
          // ignore a malformed message on the channel
        }
      }
      this.mirror?.onMessage(message, parsed);
      if (parsed) this.subject.next(parsed);
    });
    // node-redis resubscribes by itself once reconnected: give that a moment before trusting the mirror again
    sub.on('ready', () => {
      clearTimeout(this.relive);
      this.relive = setTimeout(() => this.mirror?.setLive(true), this.resubscribeMs);
      this.relive.unref();
    });
    this.mirror?.setLive(true);
    this.sub = sub;
  }

  /**
   * Ends every SSE stream before the HTTP server closes (Nest runs this hook before it closes the server, and
   * `onApplicationShutdown` after): the server's close waits for open responses, so an open live feed (every
   * dashboard tab) kept a stopping process alive for good, and its clients were never told to reconnect elsewhere.
   */
  beforeApplicationShutdown(): void {
    this.subject.complete();
  }

  async stop(): Promise<void> {
    clearTimeout(this.relive);
    this.mirror?.setLive(false);
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
