import { Client } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, createTestTopics, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { DedupRetention, pruneProcessedEvents } from '../src/ingest/dedup-retention';
import { StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { diff, dropRedisKeys, envOf, isolatedConfig, migratedDatabase, pgCounters, pgScalar, produce, recount, redisCounters, spawnService, stopChild, storedOffsetTotal, testKafkaClient, topicEnd } from './support/harness';

/** Inserts `n` random event ids claimed `daysAgo` days ago. */
async function seed(url: string, n: number, daysAgo: number): Promise<void> {
  await pgScalar(url, `WITH x AS (INSERT INTO statistics.processed_event(id, claimed_at) SELECT gen_random_uuid(), now() - make_interval(days => $2) FROM generate_series(1, $1) RETURNING 1) SELECT count(*) FROM x`, [n, daysAgo]);
}
const count = (url: string, where = 'true') => pgScalar(url, `SELECT count(*) FROM statistics.processed_event WHERE ${where}`);

describe('Dedup ledger retention (ADR 0413): pruning old event ids', () => {
  const { db, pool } = migratedDatabase('stats_dedup_ret');
  beforeEach(async () => {
    await pool().query('TRUNCATE statistics.processed_event');
  });

  it('should delete only the ids claimed before the horizon, a chunk per transaction, reporting progress', async () => {
    await seed(db().url, 25, 100);
    await seed(db().url, 5, 10);
    const progress: number[] = [];
    const deleted = await pruneProcessedEvents(pool(), { olderThan: new Date(Date.now() - 90 * 86_400_000), chunk: 10, onProgress: (n) => progress.push(n) });
    expect(deleted).toBe(25);
    expect(progress).toEqual([10, 20, 25]);
    await expect(count(db().url)).resolves.toBe(5);
    await expect(count(db().url, `claimed_at < now() - interval '90 days'`)).resolves.toBe(0);
  });

  it('should do nothing while another process prunes (advisory lock held)', async () => {
    await seed(db().url, 3, 100);
    const other = new Client({ connectionString: db().url });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('statistics.processed_event retention'))`);
      await expect(pruneProcessedEvents(pool(), { olderThan: new Date() })).resolves.toBeNull();
      await expect(count(db().url)).resolves.toBe(3);
    } finally {
      await other.end();
    }
    await expect(pruneProcessedEvents(pool(), { olderThan: new Date() })).resolves.toBe(3);
  });

  it('should prune on its schedule, count the pruned ids in a metric, and never prune with a retention of 0 days', async () => {
    await seed(db().url, 7, 3);
    await seed(db().url, 2, 0);
    const off = new DedupRetention(pool(), { retentionDays: 0, everyMinutes: 1, firstDelayMs: 0, log: () => undefined });
    off.start();
    await new Promise((r) => setTimeout(r, 300));
    await off.stop();
    await expect(count(db().url)).resolves.toBe(9);

    const registry = new Registry();
    const logs: Record<string, unknown>[] = [];
    const on = new DedupRetention(pool(), { retentionDays: 1, everyMinutes: 1, firstDelayMs: 10, log: (e) => logs.push(e), registry });
    on.start();
    try {
      await eventually(async () => (await count(db().url)) === 2, 'old ids pruned', { timeoutMs: 10_000 });
    } finally {
      await on.stop();
    }
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'dedup ledger pruned', deleted: 7 }));
    expect(await registry.getSingleMetricAsString('statistics_dedup_pruned_total')).toMatch(/statistics_dedup_pruned_total 7$/m);
  });

  it('prune-dedup CLI: should prune with progress, keep everything with a retention of 0, and refuse arguments (64)', async () => {
    await seed(db().url, 12, 40);
    await seed(db().url, 4, 1);
    const env = { DATABASE_URL: db().url, KAFKA_BROKERS: endpointsFromEnv().kafkaBrokers.join(','), REDIS_URL: endpointsFromEnv().redisUrl };
    const keep = spawnService({ ...env, STATS_DEDUP_RETENTION_DAYS: '0' }, 'apps/statistics-service/src/cli/prune-dedup.cli.ts');
    expect((await keep.exited).code).toBe(0);
    await expect(count(db().url)).resolves.toBe(16);
    const bad = spawnService({ ...env, STATS_DEDUP_RETENTION_DAYS: '30' }, 'apps/statistics-service/src/cli/prune-dedup.cli.ts', ['--days', '30']);
    expect((await bad.exited).code).toBe(64);
    await expect(count(db().url)).resolves.toBe(16);
    const run = spawnService({ ...env, STATS_DEDUP_RETENTION_DAYS: '30' }, 'apps/statistics-service/src/cli/prune-dedup.cli.ts');
    const exit = await run.exited;
    expect({ code: exit.code, out: exit.code === 0 ? '' : run.lines.join('\n') }).toEqual({ code: 0, out: '' });
    expect(run.lines.some((l) => /^ {2}deleted 12\/12 ids \(\d+\/s\)$/.test(l))).toBe(true);
    expect(run.lines.join('\n')).toMatch(/deleted 12 event ids/);
    await expect(count(db().url)).resolves.toBe(4);
  });
});

describe('Dedup ledger retention (ADR 0413): counters stay exact when pruned events are delivered again', () => {
  const kafka = testKafkaClient();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let runtime: StatisticsRuntime | undefined;
  const prefix = `${uniqueName('stats')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('stats_dedup_redeliver');
    topics = await createTestTopics(['stats.ret', 'stats.ret.dlq'], 3);
  });
  afterAll(async () => {
    await runtime?.close();
    await topics.delete().catch(() => undefined);
    await db.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should leave every counter unchanged when events whose ids were pruned arrive again, and claim them again', async () => {
    const topic = topics.names[0]!;
    const events = interleave(generateDossiers({ dossiers: 150, units: oneStopUnits(['01', '79'], 3), seed: 41 }), 4);
    await produce(kafka, topic, events);
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    runtime = await StatisticsRuntime.open(config, () => undefined);
    const consumer = await runtime.startConsumer();
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === (await topicEnd(kafka, topic)), 'caught up', { timeoutMs: 60_000 });
    const oracle = await recount(kafka, topic);
    const before = await pgCounters(db.url);
    expect(diff(before, oracle.counters)).toEqual([]);

    // every id pruned (a retention shorter than the redelivery), then the whole log delivered again
    await expect(pruneProcessedEvents(runtime.pool, { olderThan: new Date(Date.now() + 60_000) })).resolves.toBe(events.length);
    await produce(kafka, topic, events);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === (await topicEnd(kafka, topic)), 'redelivery consumed', { timeoutMs: 60_000 });

    // stats follow the consumer's own COMMIT answer, a moment after this connection sees the offsets
    await eventually(() => consumer.stats.applied >= 2 * events.length, 'the redelivery counted');
    expect(consumer.stats.applied).toBe(2 * events.length); // claimed again: the ledger no longer knew them
    expect(diff(await pgCounters(db.url), before)).toEqual([]);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(events.length);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_counter WHERE value < 0')).resolves.toBe(0);
    await eventually(async () => diff((await redisCounters(config.redis.url, prefix)).counters, before).length === 0, 'redis equal to the counters');
  });

  it('the service: should prune the ledger on its own after start (STATS_DEDUP_RETENTION_DAYS)', async () => {
    await runtime?.close();
    runtime = undefined;
    await pgScalar(db.url, `WITH x AS (UPDATE statistics.processed_event SET claimed_at = now() - interval '10 days' WHERE id IN (SELECT id FROM statistics.processed_event LIMIT 40) RETURNING 1) SELECT count(*) FROM x`);
    const total = await pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event');
    const config = isolatedConfig({ topic: topics.names[0]!, databaseUrl: db.url, prefix });
    const child = spawnService(envOf(config, { STATS_DEDUP_RETENTION_DAYS: '7', STATS_DEDUP_PRUNE_FIRST_DELAY_MS: '100' }));
    try {
      await eventually(() => child.lines.some((l) => l.includes('"msg":"dedup ledger pruned"')) || child.proc.exitCode !== null, 'pruned by the service', { timeoutMs: 60_000 });
      expect(child.lines.find((l) => l.includes('"msg":"dedup ledger pruned"'))).toMatch(/"deleted":40/);
      await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(total - 40);
    } finally {
      await stopChild(child);
    }
  });
});
