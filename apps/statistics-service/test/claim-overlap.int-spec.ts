import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { type IndicatorEvent } from '@onestop/domain';
import { BatchApplier, type PartitionBatch } from '../src/ingest/batch-applier';
import { createIndicatorEngine } from '../src/indicators/engine.factory';
import { type PublicEvent } from '../src/indicators/indicator-engine';
import { migrate } from '../src/statistics.runtime';
import { generateDossiers, oneStopUnits } from './support/event-generator';
import { diff, pgCounters, pgScalar, recountEvents } from './support/harness';

/**
 * ADR 0415: a group locks its fact sheets first and then claims its event ids, and the reducer runs while the claim
 * is in flight. When the claim says some ids were applied before, the group is reduced again over the claimed
 * events only, and the next group waits for its claim before reducing. Real Postgres.
 */
describe('BatchApplier: the claim runs while the group is reduced', () => {
  let db: TestDatabase;
  let pool: Pool;
  // each test on its own database: the counters of one are not the other's oracle
  beforeEach(async () => {
    db = await createTestDatabase('stats_claim');
    await migrate(db.url);
    pool = new Pool({ connectionString: db.url, max: 3 });
  });
  afterEach(async () => {
    await pool?.end();
    await db?.drop();
  });

  const batch = (events: PublicEvent[], nextOffset: number): PartitionBatch => ({ topic: 't', partition: 0, events, nextOffset: String(nextOffset) });

  it('should lock the fact sheets before claiming the event ids (one lock order for every group)', async () => {
    const [d] = generateDossiers({ dossiers: 1, units: oneStopUnits(['01'], 1), seed: 5 }) as unknown as PublicEvent[][];
    expect(d!.length).toBeGreaterThan(2);
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'claim-order');
    await applier.apply(batch(d!.slice(0, 1), 1)); // the dossier's sheet exists from now on
    const next = d![1]!;
    // another transaction holds the next event's id, uncommitted: the group's claim must wait for it
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('INSERT INTO statistics.processed_event(id) VALUES ($1)', [next.id]);
      const applying = applier.apply(batch([next], 2));
      await waitFor(async () => (await pgScalar(db.url, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO statistics.processed_event%'`)) === 1);
      // while its claim waits, the group already holds the dossier's sheet
      const probe = new Client({ connectionString: db.url });
      await probe.connect();
      try {
        await expect(probe.query('SELECT 1 FROM statistics.dossier_facts WHERE dossier_id = $1 FOR UPDATE NOWAIT', [next.payload.dossierId])).rejects.toThrow(/could not obtain lock/);
      } finally {
        await probe.end();
      }
      await other.query('ROLLBACK'); // the id is free again: the group claims it and applies the event
      const applied = await applying;
      expect(applied.claimed).toBe(1);
    } finally {
      await other.end();
    }
    expect(diff(await pgCounters(db.url), recountEvents(d!.slice(0, 2) as unknown as IndicatorEvent[]).counters)).toEqual([]);
  });

  it('should count exactly when a group reduced before its claim turns out to hold events applied before', async () => {
    const all = generateDossiers({ dossiers: 30, units: oneStopUnits(['79'], 2), seed: 8 }).flat() as unknown as PublicEvent[];
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'claim-paths');
    const third = Math.floor(all.length / 3);
    const g1 = all.slice(0, third);
    const g2 = [...all.slice(third - 5, 2 * third)]; // repeats g1's last five events
    const g3 = all.slice(2 * third);
    const r1 = await applier.apply(batch(g1, 1));
    expect(r1.claimed).toBe(g1.length);
    expect(Object.keys(applier.timings)).toContain('reduce+rollup'); // fresh so far: reduced while claiming
    const r2 = await applier.apply(batch(g2, 2));
    expect([r2.claimed, r2.duplicates]).toEqual([g2.length - 5, 5]);
    expect(Object.keys(applier.timings)).toContain('reduce+rollup after the claim'); // reduced again, claimed events only
    const r3 = await applier.apply(batch(g3, 3));
    expect(r3.claimed).toBe(g3.length);
    // after a group with duplicates the claim is awaited first (a replay does not reduce everything twice)
    expect(Object.keys(applier.timings).indexOf('dedup')).toBeLessThan(Object.keys(applier.timings).indexOf('reduce+rollup'));
    const oracle = recountEvents(all as unknown as IndicatorEvent[]);
    expect(diff(await pgCounters(db.url), oracle.counters)).toEqual([]);
    await expect(pgScalar(db.url, `SELECT count(*) FROM statistics.processed_event`)).resolves.toBe(new Set(all.map((e) => e.id)).size);
  });
});

async function waitFor(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time'); // fails the test, never skips it (not a skipped test)
    await new Promise((r) => setTimeout(r, 25));
  }
}
