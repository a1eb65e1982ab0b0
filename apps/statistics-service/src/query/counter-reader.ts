import type { Pool } from 'pg';
import { type CounterCache } from '../cache/counter-cache';
import { CounterMirror, type MirrorFill } from './counter-mirror';

export type Counts = Record<string, number>;
export interface CellRef {
  unitId: string;
  periodKey: string;
  dimension: string;
}

const ALL = '*';

/**
 * Reads counters: from the in-memory mirror of hot whole-unit cells when it holds them all (ADR 0406), else Redis
 * (when its ready marker says it is complete), Postgres otherwise (Redis empty, being rebuilt, or down). All hold
 * absolute values, so every answer is exact as of a commit.
 */
export class CounterReader {
  private readonly refreshing = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly cache: CounterCache,
    /** The unit whose rows hold a unit's counts (a commune → its one-stop unit, ADR 0403); identity by default. */
    private readonly storedUnitOf: (unitId: string) => string = (u) => u,
    private readonly mirror?: CounterMirror,
  ) {}

  /**
   * Counts of each cell. Only days and months are stored (ADR 0400): a quarter or a year is read as the sum of
   * its months, in the same Redis MULTI or the same SQL statement, so the sum is one consistent snapshot.
   */
  async read(cells: CellRef[]): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
    const { stored, parts } = this.expand(cells);
    const { counts, source } = await this.readStored(stored);
    return { source, counts: combine(parts, counts) };
  }

  /**
   * Counts of each cell from Postgres through `q` — a client inside a REPEATABLE READ transaction, so that they are
   * the same snapshot as the caller's other reads (the periodic report's fact-sheet columns, ADR 0410 amendment).
   */
  async readSnapshot(cells: CellRef[], q: Queryable): Promise<Counts[]> {
    const { stored, parts } = this.expand(cells);
    return combine(parts, await this.readPg(stored, q));
  }

  /** The stored cells (days and months) a cell is the sum of, and which of them each cell takes. */
  private expand(cells: CellRef[]): { stored: CellRef[]; parts: number[][] } {
    const stored: CellRef[] = [];
    const parts: number[][] = [];
    for (const c of cells) {
      const idx: number[] = [];
      for (const periodKey of storedPeriodsOf(c.periodKey)) {
        idx.push(stored.length);
        stored.push({ unitId: this.storedUnitOf(c.unitId), periodKey, dimension: c.dimension });
      }
      parts.push(idx);
    }
    return { stored, parts };
  }

  private async readStored(cells: CellRef[]): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
    const mirrored = this.mirror !== undefined && cells.length > 0 && cells.every((c) => c.dimension === ALL);
    if (mirrored) {
      const keys = cells.map((c) => CounterMirror.key(c.unitId, c.periodKey));
      const stale: string[] = [];
      const counts = this.mirror.lookup(keys, stale);
      if (counts !== undefined) {
        if (stale.length > 0) this.refreshInBackground(stale);
        return { source: 'redis', counts };
      }
      return this.readRedisOrPg(cells, this.mirror.beginFill(keys));
    }
    return this.readRedisOrPg(cells, undefined);
  }

  /** Re-reads mirrored cells that are getting old, off the request path (one read per cell at a time). */
  private refreshInBackground(keys: string[]): void {
    const todo = keys.filter((k) => !this.refreshing.has(k));
    if (todo.length === 0 || !this.mirror) return;
    for (const k of todo) this.refreshing.add(k);
    const cells = todo.map((k) => {
      const [unitId, periodKey] = k.split('\u0001') as [string, string];
      return { unitId, periodKey, dimension: ALL };
    });
    this.readRedisOrPg(cells, this.mirror.beginFill(todo), false)
      .catch(() => undefined)
      .finally(() => {
        for (const k of todo) this.refreshing.delete(k);
      });
  }

  private async readRedisOrPg(cells: CellRef[], fill: MirrorFill | undefined, pgFallback = true): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
    try {
      const multi = this.cache.client.multi().exists(this.cache.markerKey);
      for (const c of cells) multi.hGetAll(this.cache.counterKey(c.unitId, c.periodKey, c.dimension));
      const readAt = Date.now();
      const replies = (await multi.exec()) as unknown[];
      if (Number(replies[0]) === 1) {
        const hashes = replies.slice(1) as Record<string, string>[];
        if (fill) this.mirror?.completeFill(fill, hashes, readAt);
        return { source: 'redis', counts: hashes.map(fromHash) };
      }
    } catch {
      // Redis down: fall through to Postgres
    }
    if (fill) this.mirror?.abandonFill(fill);
    if (!pgFallback) return { source: 'postgres', counts: [] };
    return { source: 'postgres', counts: await this.readPg(cells) };
  }

  private async readPg(cells: CellRef[], q: Queryable = this.pool): Promise<Counts[]> {
    if (cells.length === 0) return [];
    const { rows } = await q.query<{ unit_id: string; period_key: string; dimension: string; metric: string; value: string }>(
      `SELECT c.unit_id, c.period_key, c.dimension, c.metric, c.value
         FROM statistics.unit_counter c
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(u, p, d) ON c.unit_id = k.u AND c.period_key = k.p AND c.dimension = k.d`,
      [cells.map((c) => c.unitId), cells.map((c) => c.periodKey), cells.map((c) => c.dimension)],
    );
    const by = new Map<string, Counts>();
    for (const r of rows) {
      const k = `${r.unit_id}\u0001${r.period_key}\u0001${r.dimension}`;
      const m = by.get(k) ?? {};
      m[r.metric] = Number(r.value);
      by.set(k, m);
    }
    return cells.map((c) => by.get(`${c.unitId}\u0001${c.periodKey}\u0001${c.dimension}`) ?? {});
  }
}

/** Something that runs a query: the pool, or one client of it (inside a transaction). */
export type Queryable = Pick<Pool, 'query'>;

/** Each cell's counts: its stored cells' counts, summed when it has several (a quarter, a year). */
function combine(parts: number[][], counts: Counts[]): Counts[] {
  return parts.map((idx) => {
    if (idx.length === 1) return counts[idx[0]!] ?? {};
    const sum: Counts = {};
    for (const i of idx) for (const [m, v] of Object.entries(counts[i] ?? {})) sum[m] = (sum[m] ?? 0) + v;
    return sum;
  });
}

function fromHash(h: Record<string, string>): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(h)) if (!k.endsWith('#v')) out[k] = Number(v);
  return out;
}

/** The stored period keys a period is the sum of: itself for a day or a month, its months for a quarter or a year. */
export function storedPeriodsOf(periodKey: string): string[] {
  const q = /^Q(\d{4})-([1-4])$/.exec(periodKey);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    return [0, 1, 2].map((i) => `M${q[1]}-${String(first + i).padStart(2, '0')}`);
  }
  const y = /^Y(\d{4})$/.exec(periodKey);
  if (y) return Array.from({ length: 12 }, (_, i) => `M${y[1]}-${String(i + 1).padStart(2, '0')}`);
  return [periodKey];
}
