import { Client } from 'pg';
import { createTestDatabase, createTestTopics, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { diff, dropRedisKeys, isolatedConfig, pgCounters, pgScalar, produce, recount, redisCounters, storedOffsetTotal, testKafkaClient, topicEnd } from './support/harness';

const quiet = () => undefined;

/**
 * Fault F7 with the two-stage pipeline (ADR 0404): the consumer's Postgres backends are terminated while groups
 * are in flight — one group prepared, the one before it writing. The failed group and every later one roll back,
 * the partitions seek to the offsets stored in Postgres, and the end state equals a recount.
 */
describe('Statistics consumer: a transaction killed mid-pipeline', () => {
  const kafka = testKafkaClient();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let runtime: StatisticsRuntime | undefined;
  const prefix = `${uniqueName('stats')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('stats_f7');
    topics = await createTestTopics(['stats.f7', 'stats.f7.dlq'], 6);
  });
  afterAll(async () => {
    await runtime?.close();
    await topics.delete().catch(() => undefined);
    await db.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should roll back the later groups, seek back and end exactly equal to a recount after pg_terminate_backend', async () => {
    const topic = topics.names[0]!;
    const events = interleave(generateDossiers({ dossiers: 1500, units: oneStopUnits(['01', '79'], 4), seed: 77 }), 7);
    await produce(kafka, topic, events);
    // small fetches: many groups, so a kill lands while one group is prepared and the previous one writes
    const config = { ...isolatedConfig({ topic, databaseUrl: db.url, prefix }), maxBytes: 65_536, maxBytesPerPartition: 16_384 };
    runtime = await StatisticsRuntime.open(config, quiet);
    const consumer = await runtime.startConsumer();

    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    let kills = 0;
    try {
      // terminate every backend of the service that is inside a transaction, until three groups have failed
      for (let i = 0; i < 400 && consumer.stats.failures < 3; i++) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'statistics-service'
              AND state IN ('idle in transaction', 'active')`,
        );
        kills += rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 15));
      }
    } finally {
      await admin.end();
    }
    expect(kills).toBeGreaterThan(0);
    expect(consumer.stats.failures).toBeGreaterThan(0);

    const end = await topicEnd(kafka, topic);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, 'consumer caught up after the kills', { timeoutMs: 90_000 });
    await consumer.flushed();

    const oracle = await recount(kafka, topic);
    expect(oracle.valid).toBe(events.length);
    const pg = await pgCounters(db.url);
    expect(diff(pg, oracle.counters)).toEqual([]);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(events.length);
    // the seek back after a failure re-delivers events whose group had committed: deduplicated, not counted again
    expect(consumer.stats.applied).toBe(events.length);
    await eventually(async () => (await redisCounters(config.redis.url, prefix)).ready, 'redis ready');
    await eventually(async () => diff((await redisCounters(config.redis.url, prefix)).counters, pg).length === 0, 'redis = pg');
  });
});
