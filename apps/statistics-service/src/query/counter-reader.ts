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
    /** The unit whose rows hold a unit's counts (a commune → its one-stop unit, ADR 0403); identity by default. */
    private readonly storedUnitOf: (unitId: string) => string = (u) => u,
  ) {}

  /**
   * Counts of each cell. Only days and months are stored (ADR 0400): a quarter or a year is read as the sum of
   * its months, in the same Redis MULTI or the same SQL statement, so the sum is one consistent snapshot.
   */
  async read(cells: CellRef[]): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
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
    const { counts, source } = await this.readStored(stored);
    return {
      source,
      counts: parts.map((idx) => {
        if (idx.length === 1) return counts[idx[0]!] ?? {};
        const sum: Counts = {};
        for (const i of idx) for (const [m, v] of Object.entries(counts[i] ?? {})) sum[m] = (sum[m] ?? 0) + v;
        return sum;
      }),
    };
  }

  private async readStored(cells: CellRef[]): Promise<{ counts: Counts[]; source: 'redis' | 'postgres' }> {
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
