import { Pool } from 'pg';
import { createTestDatabase, createTestTopics, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { type IndicatorEvent } from '@onestop/domain';
import { BatchApplier, ConcurrentFactsError, type PartitionBatch } from '../src/ingest/batch-applier';
import { createIndicatorEngine } from '../src/indicators/engine.factory';
import { type PublicEvent } from '../src/indicators/indicator-engine';
import { type StatisticsConsumer } from '../src/ingest/statistics.consumer';
import { migrate, StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits, rng, type GeneratedEvent } from './support/event-generator';
import {
  diff,
  dropRedisKeys,
  envOf,
  isolatedConfig,
  pgCounters,
  pgScalar,
  produce,
  recount,
  recountEvents,
  redisCounters,
  spawnService,
  stopChild,
  storedOffsetTotal,
  testKafkaClient,
  topicEnd,
} from './support/harness';

const quiet = () => undefined;
const kafka = testKafkaClient();

/** Seeded dossiers with EVERY event on a random one of 4 partitions: a dossier's events span the members. */
async function produceSpread(topic: string, dossiers: number, provinces: string[], seed: number): Promise<GeneratedEvent[]> {
  const events = interleave(generateDossiers({ dossiers, units: oneStopUnits(provinces, 4), seed }), 4);
  const r = rng(seed + 1);
  for (let i = 0; i < events.length; i += 200) await produce(kafka, topic, events.slice(i, i + 200), () => Math.floor(r() * 4));
  return events;
}

/** Waits until the group stored the topic's end, then: PG equals a recount of the log, every event claimed once, Redis equals PG. */
async function expectExact(topic: string, databaseUrl: string, prefix: string, events: number): Promise<void> {
  const end = await topicEnd(kafka, topic);
  await eventually(async () => (await storedOffsetTotal(databaseUrl, topic)) === end, 'the consumers caught up', { timeoutMs: 90_000 });
  const oracle = await recount(kafka, topic);
  expect(oracle.valid).toBe(events);
  const pg = await pgCounters(databaseUrl);
  expect(pg.size).toBeGreaterThan(100);
  expect(diff(pg, oracle.counters)).toEqual([]);
  await expect(pgScalar(databaseUrl, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(events);
  await eventually(async () => diff((await redisCounters(endpointsFromEnv().redisUrl, prefix)).counters, pg).length === 0, 'redis equal to postgres', { timeoutMs: 30_000 });
}

/**
 * ADR 0409: several consumers of one group (replicas, or the old and new owner of a partition during a
 * rebalance) while a dossier's events sit on SEVERAL partitions — what happens to old dossiers when partitions
 * are added to the topic (the key hash changes). Two transactions may then both start a dossier's fact sheet
 * from nothing; the second must not overwrite the first (it would lose the first's transitions).
 */
describe('Statistics ingest with several consumers of one group', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('stats_cc');
    await migrate(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('should refuse to overwrite a fact sheet another transaction created meanwhile, and count exactly once on retry', async () => {
    const pools = [new Pool({ connectionString: db.url, max: 2 }), new Pool({ connectionString: db.url, max: 2 })];
    try {
      const engine = createIndicatorEngine();
      const [a, b] = pools.map((p) => new BatchApplier(p, engine, 'cc-applier'));
      const dossiers = generateDossiers({ dossiers: 40, units: oneStopUnits(['01', '79'], 3), seed: 21 });
      // each dossier's first half of events on partition 0, the rest on partition 1
      const p0: PublicEvent[] = [];
      const p1: PublicEvent[] = [];
      for (const d of dossiers) {
        const half = Math.ceil(d.length / 2);
        p0.push(...(d.slice(0, half) as unknown as PublicEvent[]));
        p1.push(...(d.slice(half) as unknown as PublicEvent[]));
      }
      expect(p1.length).toBeGreaterThan(0);
      const batch = (partition: number, events: PublicEvent[]): PartitionBatch => ({ topic: 't', partition, events, nextOffset: String(events.length) });

      // both prepare before either commits: neither sees a sheet to lock, both start every dossier from nothing
      const first = await a!.prepare([batch(0, p0)]);
      const second = await b!.prepare([batch(1, p1)]);
      await first.finish();
      await expect(second.finish()).rejects.toBeInstanceOf(ConcurrentFactsError);
      // nothing of the failed group stayed: its events are unclaimed, its offset unstored
      await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(p0.length);
      await expect(pgScalar(db.url, `SELECT count(*) FROM statistics.consumer_offset WHERE consumer_group = 'cc-applier' AND partition = 1`)).resolves.toBe(0);

      // the retry (what the consumer does after its seek back) starts from the committed sheets
      const retried = await b!.applyMany([batch(1, p1)]);
      expect(retried.claimed).toBe(p1.length);
      const oracle = recountEvents([...p0, ...p1] as unknown as IndicatorEvent[]);
      const pg = await pgCounters(db.url);
      expect(pg.size).toBeGreaterThan(50);
      expect(diff(pg, oracle.counters)).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('should end with PG and Redis equal to a recount when two consumers share a topic whose dossiers span partitions', async () => {
    const topics = await createTestTopics(['stats.cc', 'stats.cc.dlq'], 4);
    const topic = topics.names[0]!;
    const prefix = `${uniqueName('stats')}:`;
    const runtimes: StatisticsRuntime[] = [];
    const ccDb = await createTestDatabase('stats_cc2');
    try {
      const config = isolatedConfig({ topic, databaseUrl: ccDb.url, prefix });
      const consumers: StatisticsConsumer[] = [];
      for (let i = 0; i < 2; i++) {
        const rt = await StatisticsRuntime.open(config, quiet);
        runtimes.push(rt);
        consumers.push(await rt.startConsumer());
      }
      // both members own partitions before the traffic starts
      await eventually(async () => consumers.every((c) => c.ownedPartitions.length > 0) && consumers[0]!.ownedPartitions.length + consumers[1]!.ownedPartitions.length === 4, 'both consumers assigned', { timeoutMs: 30_000 });

      const events = await produceSpread(topic, 500, ['01', '79', '38'], 31);
      await expectExact(topic, ccDb.url, prefix, events.length);
      expect(consumers[0]!.stats.applied + consumers[1]!.stats.applied).toBe(events.length);
      expect(consumers.every((c) => c.stats.applied > 0)).toBe(true);
    } finally {
      for (const rt of runtimes) await rt.close();
      await topics.delete().catch(() => undefined);
      await ccDb.drop();
      await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
    }
  });

  it('should run STATS_CONSUMER_THREADS=2 as two members of the group in the real service, and count exactly once', async () => {
    const topics = await createTestTopics(['stats.cc3', 'stats.cc3.dlq'], 4);
    const topic = topics.names[0]!;
    const prefix = `${uniqueName('stats')}:`;
    const svcDb = await createTestDatabase('stats_cc3');
    const config = isolatedConfig({ topic, databaseUrl: svcDb.url, prefix });
    const service = spawnService(envOf(config, { STATS_CONSUMER_THREADS: '2', STATS_SESSION_TIMEOUT_MS: '6000' }));
    try {
      // each thread logs the partitions it was given; after the second joined, the four are split between them
      const owned = new Map<number, number[]>();
      await eventually(
        async () => {
          for (const line of service.lines) {
            if (!line.startsWith('{')) continue;
            const e = JSON.parse(line) as { msg?: string; consumerThread?: number; partitions?: number[]; partition?: number };
            if (e.msg === 'no stored offsets: starting from the committed or earliest offsets' && e.consumerThread !== undefined) owned.set(e.consumerThread, e.partitions ?? []);
          }
          const all = [...owned.values()];
          return owned.size === 2 && all.every((p) => p.length > 0) && new Set(all.flat()).size === 4 && all.flat().length === 4;
        },
        'both consumer threads own partitions',
        { timeoutMs: 60_000 },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${service.lines.slice(-15).join('\n')}`);
      });
      expect(service.lines.some((l) => l.includes('statistics consumer running in worker threads') && l.includes('"threads":2'))).toBe(true);

      const events = await produceSpread(topic, 400, ['01', '79'], 41);
      await expectExact(topic, svcDb.url, prefix, events.length);
    } finally {
      await stopChild(service);
      await topics.delete().catch(() => undefined);
      await svcDb.drop();
      await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
    }
  });
});
