import type { Pool } from 'pg';
import { type CounterCache } from '../cache/counter-cache';

export type Counts = Record<string, number>;
export interface CellRef {
  unitId: string;
  periodKey: string;
  dimension: string;
}

/**
 * Reads counters: Redis first (when its ready marker says it is complete), Postgres otherwise (Redis
 * empty, being rebuilt, or down). Both hold absolute values, so either answer is exact as of its commit.
 */
export class CounterReader {
  constructor(
    private readonly pool: Pool,
    private readonly cache: CounterCache,
  ) {}

  async read(cells: CellRef[]): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
    try {
      const multi = this.cache.client.multi().exists(this.cache.markerKey);
      for (const c of cells) multi.hGetAll(this.cache.counterKey(c.unitId, c.periodKey, c.dimension));
      const replies = (await multi.exec()) as unknown[];
      if (Number(replies[0]) === 1) {
        return { source: 'redis', counts: replies.slice(1).map((h) => fromHash(h as Record<string, string>)) };
      }
    } catch {
      // Redis down: fall through to Postgres
    }
    return { source: 'postgres', counts: await this.readPg(cells) };
  }

  private async readPg(cells: CellRef[]): Promise<Counts[]> {
    if (cells.length === 0) return [];
    const { rows } = await this.pool.query<{ unit_id: string; period_key: string; dimension: string; metric: string; value: string }>(
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

function fromHash(h: Record<string, string>): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(h)) if (!k.endsWith('#v')) out[k] = Number(v);
  return out;
}
