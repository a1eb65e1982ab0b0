import { type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import { EMPTY, Observable, ReplaySubject, Subject, filter, interval, map, merge, of, takeUntil } from 'rxjs';
import { createRedisClient, type ChangeMessage, type RedisClient } from '../cache/counter-cache';
import { storedPeriodsOf } from './counter-reader';
import { type CounterMirror } from './counter-mirror';
import { type LiveIngest } from '../health/consumer-health';

export interface LiveChange {
  unitId: string;
  period: string;
  metric: string;
  value: number;
  lastEventAt: string | null;
  committedAt: string;
}

export interface LiveFeedOptions {
  /**
   * Seconds between two `heartbeat` events of an SSE stream (0 = none): reverse proxies (nginx: 60 s) and load
   * balancers cut a stream that stays idle, and a client cannot tell a dead stream from a quiet one (ADR 0414).
   */
  heartbeatSeconds?: number;
  /** The `retry:` hint (ms) sent first on every stream: how long an EventSource waits before reconnecting. */
  retryMs?: number;
  /**
   * Whether this service is still taking in events, carried by every heartbeat (`ingest`): an open stream with no
   * changes is either a quiet period or a consumer cut off from the broker, and only this tells them apart
   * (ADR 0414 amendment). Undefined (or returning undefined): heartbeats carry no `ingest`.
   */
  ingest?: () => LiveIngest | undefined;
}

/** The `retry:` hint of every stream by default (ms). */
export const LIVE_RETRY_MS = 3000;

/**
 * One Redis subscriber per process fanned out to SSE clients, filtered to the unit's subtree, and feeding the
 * query path's in-memory mirror of hot counter cells (ADR 0406).
 */
export class LiveFeed implements BeforeApplicationShutdown {
  private readonly subject = new Subject<ChangeMessage>();
  private sub?: RedisClient;
  private relive?: NodeJS.Timeout;
  /** Emits once the process stops (replayed to a stream opened later): every stream ends, its heartbeats too. */
  private readonly closing = new ReplaySubject<void>(1);
  private readonly heartbeatSeconds: number;
  private readonly retryMs: number;
  private readonly ingest: () => LiveIngest | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly mirror?: CounterMirror,
    /** After a reconnect, how long to wait for the resubscription before the mirror is trusted again (ms). */
    private readonly resubscribeMs = 1000,
    options: LiveFeedOptions = {},
  ) {
    this.heartbeatSeconds = options.heartbeatSeconds ?? 0;
    this.retryMs = options.retryMs ?? LIVE_RETRY_MS;
    this.ingest = options.ingest ?? (() => undefined);
  }

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
    this.close();
  }

  private close(): void {
    this.closing.next();
    this.closing.complete();
    this.subject.complete();
  }

  async stop(): Promise<void> {
    clearTimeout(this.relive);
    this.mirror?.setLive(false);
    this.close();
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

  /**
   * The Server-Sent Events of one stream (ADR 0414): first the `retry:` hint (on a `heartbeat` event, or on a comment
   * when heartbeats are off), then `indicators` events with the changes of `forUnit`, and a `heartbeat` event every
   * `heartbeatSeconds` (data `{ at, intervalSeconds, ingest? }`, so a client knows when the stream is overdue, and
   * whether the service still takes in events). Every stream ends when the process stops.
   */
  events(unitId: string, period?: string): Observable<MessageEvent> {
    const seconds = this.heartbeatSeconds;
    const beat = (): { at: string; intervalSeconds: number; ingest?: LiveIngest } => {
      const ingest = this.ingest();
      return { at: new Date().toISOString(), intervalSeconds: seconds, ...(ingest ? { ingest } : {}) };
    };
    const first: MessageEvent = seconds > 0 ? { type: 'heartbeat', retry: this.retryMs, data: beat() } : { retry: this.retryMs, comment: 'live feed' };
    const changes = this.forUnit(unitId, period).pipe(map((changes): MessageEvent => ({ type: 'indicators', data: { changes } })));
    const beats = seconds > 0 ? interval(seconds * 1000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: beat() }))) : EMPTY;
    return merge(of(first), changes, beats).pipe(takeUntil(this.closing));
  }
}
