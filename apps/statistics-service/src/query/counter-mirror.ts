import { Counter, Gauge, type Registry } from 'prom-client';
import { type ChangeMessage } from '../cache/counter-cache';
import { type Counts } from './counter-reader';

export interface CounterMirrorOptions {
  /** An entry read from Redis this recently is answered from memory as is (ms). */
  freshMs: number;
  /** Between `freshMs` and this age an entry is answered and re-read in the background; older, it is not used. */
  maxAgeMs: number;
  /** More cells than this: the mirror starts over (the hot cells are read again on their next query). */
  maxCells: number;
  /**
   * A change message longer than this (a catch-up group's) is not parsed: the mirror is cleared instead, so the
   * thread answering queries never spends tens of milliseconds on one message.
   */
  maxMessageChars: number;
  now: () => number;
}

interface Entry {
  values: Map<string, number>;
  versions: Map<string, number>;
  /** When the entry was last read from Redis (epoch ms); 0 while its first read is in flight. */
  readAt: number;
}

/** What a fill promised to read: the entries it created or refreshes, and the mirror generation it belongs to. */
export interface MirrorFill {
  readonly generation: number;
  readonly keys: readonly string[];
}

const SEP = '\u0001';

/**
 * An in-memory replica of the whole-unit (`*`) counter cells that queries ask for (ADR 0406). A cell enters when a
 * query reads it from Redis (values and their row versions); from then on the change messages that the consumers
 * publish after every Redis write keep it current, under the same rule as the Redis CAS: a value replaces the one
 * held only when its row version is newer. A hot cell (a province polled by dashboards) is then answered without a
 * Redis round trip, i.e. without waiting for another process to be scheduled on a busy box.
 *
 * Safety: the mirror is used only while the subscription is live; it is cleared when the subscriber disconnects
 * (messages may have been missed), on a message it does not parse (too long, malformed, or without versions), and
 * when it grows past `maxCells`. Each entry is re-read from Redis once older than `freshMs` (in the background) and
 * not used once older than `maxAgeMs`, which bounds staleness even if a consumer's publish failed after its write.
 */
export class CounterMirror {
  private readonly cells = new Map<string, Entry>();
  private live = false;
  private generation = 0;
  readonly o: CounterMirrorOptions;
  readonly stats = { hits: 0, misses: 0, cleared: 0, applied: 0 };

  constructor(o: Partial<CounterMirrorOptions> = {}) {
    this.o = { freshMs: 1000, maxAgeMs: 2000, maxCells: 20_000, maxMessageChars: 262_144, now: Date.now, ...o };
  }

  static key(unitId: string, periodKey: string): string {
    return `${unitId}${SEP}${periodKey}`;
  }

  get size(): number {
    return this.cells.size;
  }

  get isLive(): boolean {
    return this.live;
  }

  /** The subscription is (true) or may no longer be (false) receiving every change message. */
  setLive(live: boolean): void {
    if (!live) this.clear();
    this.live = live;
  }

  clear(): void {
    if (this.cells.size > 0) this.stats.cleared++;
    this.cells.clear();
    this.generation++;
  }

  /** A raw message of the change channel (`parsed` when the caller already parsed it). */
  onMessage(raw: string, parsed?: ChangeMessage): void {
    if (this.cells.size === 0) return;
    let msg = parsed;
    if (msg === undefined) {
      if (raw.length > this.o.maxMessageChars) return this.clear();
      try {
        msg = JSON.parse(raw) as ChangeMessage;
      } catch {
        return this.clear();
      }
    }
    if (!Array.isArray(msg?.rows)) return this.clear();
    for (const r of msg.rows) {
      const e = this.cells.get(CounterMirror.key(r.u, r.p));
      if (e === undefined) continue;
      if (typeof r.n !== 'number') return this.clear(); // a publisher without row versions: cannot order its values
      this.merge(e, r.m, r.v, r.n);
    }
    this.stats.applied++;
  }

  /**
   * Counts of the stored `*` cells, from memory, when every one of them is held and young enough; undefined
   * otherwise. `stale` receives the keys worth re-reading in the background.
   */
  lookup(keys: readonly string[], stale: string[]): Counts[] | undefined {
    if (!this.live) return undefined;
    const now = this.o.now();
    const out: Counts[] = [];
    for (const k of keys) {
      const e = this.cells.get(k);
      if (e === undefined || e.readAt === 0 || now - e.readAt >= this.o.maxAgeMs) {
        this.stats.misses++;
        return undefined;
      }
      if (now - e.readAt >= this.o.freshMs) stale.push(k);
      const c: Counts = {};
      for (const [m, v] of e.values) c[m] = v;
      out.push(c);
    }
    this.stats.hits++;
    return out;
  }

  /**
   * Starts a read of these cells from Redis: each gets an entry now, so the change messages that arrive while the
   * read is in flight are kept; `completeFill` merges the read into them. Undefined when the mirror is not live.
   */
  beginFill(keys: readonly string[]): MirrorFill | undefined {
    if (!this.live) return undefined;
    if (this.cells.size + keys.length > this.o.maxCells) this.clear();
    for (const k of keys) if (!this.cells.has(k)) this.cells.set(k, { values: new Map(), versions: new Map(), readAt: 0 });
    return { generation: this.generation, keys };
  }

  /** Merges Redis hashes (`metric` and `metric#v` fields), in the order of the fill's keys, into the entries. */
  completeFill(fill: MirrorFill, hashes: readonly Record<string, string>[], readAt: number): void {
    if (fill.generation !== this.generation || !this.live) return; // cleared meanwhile: the read may predate a gap
    fill.keys.forEach((k, i) => {
      const e = this.cells.get(k);
      const h = hashes[i];
      if (e === undefined || h === undefined) return;
      for (const [f, v] of Object.entries(h)) {
        if (f.endsWith('#v')) continue;
        const ver = Number(h[`${f}#v`]);
        this.merge(e, f, Number(v), Number.isFinite(ver) ? ver : 0);
      }
      e.readAt = Math.max(e.readAt, readAt);
    });
  }

  /** A fill that could not read Redis: its new entries go (they would never become usable). */
  abandonFill(fill: MirrorFill): void {
    if (fill.generation !== this.generation) return;
    for (const k of fill.keys) if (this.cells.get(k)?.readAt === 0) this.cells.delete(k);
  }

  private merge(e: Entry, metric: string, value: number, version: number): void {
    const held = e.versions.get(metric);
    if (held !== undefined && held >= version) return;
    e.versions.set(metric, version);
    e.values.set(metric, value);
  }
}

/**
 * `statistics_query_mirror_lookups_total{result="hit"|"miss"}` (queries answered from memory or not),
 * `statistics_query_mirror_clears_total` and `statistics_query_mirror_cells`, read from the mirror at scrape time.
 */
export function registerMirrorMetrics(mirror: CounterMirror, registry: Registry): void {
  new Counter({
    name: 'statistics_query_mirror_lookups_total',
    help: 'Counter reads of whole-unit cells answered from the in-memory mirror (hit) or not (miss), ADR 0406',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, mirror.stats.hits);
      this.inc({ result: 'miss' }, mirror.stats.misses);
    },
  });
  new Counter({
    name: 'statistics_query_mirror_clears_total',
    help: 'Times the mirror was emptied (subscriber lost, unparsed change message, size limit)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(mirror.stats.cleared);
    },
  });
  new Gauge({
    name: 'statistics_query_mirror_cells',
    help: 'Counter cells held by the in-memory mirror',
    registers: [registry],
    collect() {
      this.set(mirror.size);
    },
  });
}
