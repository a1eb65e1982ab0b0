import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { type IndicatorEvent } from '@onestop/domain';
import { BatchApplier, type PartitionBatch } from '../src/ingest/batch-applier';
import { createIndicatorEngine } from '../src/indicators/engine.factory';
import { type PublicEvent } from '../src/indicators/indicator-engine';
import { migrate } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits, rng } from './support/event-generator';
import { diff, pgCounters, pgScalar, recountEvents } from './support/harness';

/**
 * ADR 0402: one transaction per kafkajs fetch, i.e. the batches of SEVERAL partitions applied together. This
 * must neither double-count nor lose an event: groups of random partition subsets and sizes, redeliveries
 * inside a group, across groups and across partitions, and a replay of everything, end EXACT (real Postgres).
 */
describe('BatchApplier.applyMany: one transaction across partitions', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('stats_xpart');
    await migrate(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('should count every event exactly once whatever the grouping of partitions, with duplicates anywhere', async () => {
    const units = oneStopUnits(['01', '79'], 4);
    const events = interleave(generateDossiers({ dossiers: 600, units, seed: 77 }), 5) as unknown as PublicEvent[];
    const P = 4;
    const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);
    const logs: PublicEvent[][] = Array.from({ length: P }, () => []);
    const r = rng(9);
    for (const e of events) {
      const p = Math.abs(hash(e.payload.dossierId)) % P;
      logs[p]!.push(e);
      if (r() < 0.05) logs[p]!.push(e); // redelivered on its own partition
      if (r() < 0.02) logs[(p + 1) % P]!.push(e); // a stray copy on another partition
    }
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'xpart');
    const pos = logs.map(() => 0);
    let claimed = 0;
    let duplicates = 0;
    let groups = 0;
    while (pos.some((x, p) => x < logs[p]!.length)) {
      const batches: PartitionBatch[] = [];
      for (let p = 0; p < P; p++) {
        if (pos[p]! >= logs[p]!.length || r() < 0.3) continue; // a random subset of partitions per fetch
        const n = 1 + Math.floor(r() * 120);
        const evs = logs[p]!.slice(pos[p], pos[p]! + n);
        pos[p]! += evs.length;
        // a group may also repeat the previous batch's tail (a fetch racing a seek): the dedup absorbs it
        const replayTail = r() < 0.1 && pos[p]! > evs.length ? logs[p]!.slice(pos[p]! - evs.length - 3, pos[p]! - evs.length) : [];
        batches.push({ topic: 't', partition: p, events: [...replayTail, ...evs], nextOffset: String(pos[p]) });
      }
      if (batches.length === 0) continue;
      const applied = await applier.applyMany(batches);
      claimed += applied.claimed;
      duplicates += applied.duplicates;
      groups++;
    }
    expect(groups).toBeGreaterThan(10);
    const oracle = recountEvents(events as unknown as IndicatorEvent[]);
    expect(claimed).toBe(oracle.valid);
    expect(duplicates).toBeGreaterThan(0);
    const pg = await pgCounters(db.url);
    expect(pg.size).toBeGreaterThan(100);
    expect(diff(pg, oracle.counters)).toEqual([]);
    // the offsets of every partition are stored with the counters
    for (let p = 0; p < P; p++) {
      await expect(pgScalar(db.url, `SELECT next_offset FROM statistics.consumer_offset WHERE consumer_group = 'xpart' AND partition = $1`, [p])).resolves.toBe(logs[p]!.length);
    }

    // a full replay of all partitions in one transaction changes nothing
    const replay = await applier.applyMany(logs.map((evs, p) => ({ topic: 't', partition: p, events: evs, nextOffset: String(evs.length) })));
    expect(replay.claimed).toBe(0);
    expect(replay.cells).toEqual([]);
    expect(replay.rows).toBe(0);
    expect(diff(await pgCounters(db.url), oracle.counters)).toEqual([]);
  });

  it('should refuse a group that holds the same partition twice', async () => {
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'xpart');
    const b: PartitionBatch = { topic: 't', partition: 0, events: [], nextOffset: '1' };
    await expect(applier.applyMany([b, { ...b, nextOffset: '2' }])).rejects.toThrow(/twice/);
  });
});
