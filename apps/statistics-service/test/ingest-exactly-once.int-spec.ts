import { createTestDatabase, createTestTopics, createTopicsAndWait, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { DLQ_HEADERS } from '@onestop/messaging';
import { StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits, rng, type GeneratedEvent } from './support/event-generator';
import { diff, dropRedisKeys, envOf, isolatedConfig, spawnService, pgCounters, pgScalar, produce, readAll, recount, redisCounters, storedOffsetTotal, testKafkaClient, topicEnd } from './support/harness';

const quiet = () => undefined;

describe('Statistics consumer: exactly-once effects on an at-least-once log', () => {
  const kafka = testKafkaClient();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let topic: string;
  let runtime: StatisticsRuntime | undefined;
  const prefix = `${uniqueName('stats')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('stats_eo');
    topics = await createTestTopics(['stats.eo', 'stats.eo.dlq'], 6);
    topic = topics.names[0]!;
  });
  afterAll(async () => {
    await runtime?.close();
    await topics.delete().catch(() => undefined);
    await db.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should end with PG and Redis equal to a recount when every event is delivered twice, 5% five times, shuffled across partitions, with poison messages in between', async () => {
    // DLQ topic name must be <topic>.dlq: create it explicitly
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await admin.disconnect();

    const units = oneStopUnits(['01', '79', '38'], 4);
    const dossiers = generateDossiers({ dossiers: 600, units, seed: 11 });
    const ordered = interleave(dossiers, 3);
    // Duplicates: each event twice, 5% five times, interleaved with later events (per-dossier order kept for first copies).
    const r = rng(5);
    const withDupes: GeneratedEvent[] = [];
    let injectedDuplicates = 0;
    const held: GeneratedEvent[] = [];
    for (const e of ordered) {
      withDupes.push(e);
      const copies = r() < 0.05 ? 4 : 1;
      for (let i = 0; i < copies; i++) held.push(e);
      injectedDuplicates += copies;
      if (held.length > 40) withDupes.push(...held.splice(0, Math.floor(r() * held.length)));
    }
    withDupes.push(...held);
    // Shuffle dossiers across partitions (not by key hash): a dossier's events stay on one partition, in order.
    const partitionOfDossier = new Map<string, number>();
    const partitionOf = (e: GeneratedEvent) => {
      let p = partitionOfDossier.get(e.key);
      if (p === undefined) {
        p = Math.floor(r() * 6);
        partitionOfDossier.set(e.key, p);
      }
      return p;
    };
    await produce(kafka, topic, withDupes.slice(0, 1000), partitionOf);
    const poison = [
      { key: 'x', raw: '{"not json' },
      { key: 'x', raw: JSON.stringify({ ...ordered[0], id: '8d3c1c8e-8c59-4f0e-9a4e-5b7f6f0f1a01', type: 'DossierTeleported' }) },
      { key: 'x', raw: JSON.stringify({ ...ordered[0], id: '8d3c1c8e-8c59-4f0e-9a4e-5b7f6f0f1a02', version: 7 }) },
      { key: 'x', raw: JSON.stringify({ ...ordered[0], id: '8d3c1c8e-8c59-4f0e-9a4e-5b7f6f0f1a03', payload: { dossierId: ordered[0]!.key } }) },
      { key: 'x', raw: JSON.stringify({ ...ordered[0], id: '8d3c1c8e-8c59-4f0e-9a4e-5b7f6f0f1a04', payload: { ...ordered[0]!.payload, receivingUnitId: undefined } }) },
    ];
    await produce(kafka, topic, poison);

    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    runtime = await StatisticsRuntime.open(config, quiet);
    const consumer = await runtime.startConsumer();
    await produce(kafka, topic, withDupes.slice(1000), partitionOf);

    const end = await topicEnd(kafka, topic);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, 'consumer caught up', { timeoutMs: 60_000 });

    const oracle = await recount(kafka, topic);
    expect(oracle.invalid).toBe(poison.length);
    expect(oracle.valid).toBe(ordered.length);
    const pg = await pgCounters(db.url);
    expect(diff(pg, oracle.counters)).toEqual([]);
    expect(pg.size).toBeGreaterThan(100);
    // Redis is written after each COMMIT, which the connection above can see first: wait until it agrees
    await eventually(async () => {
      const redis = await redisCounters(config.redis.url, prefix);
      return redis.ready && diff(redis.counters, pg).length === 0;
    }, 'redis ready and equal to postgres', { timeoutMs: 30_000 });

    // Evidence the dedup path ran: every injected duplicate was a dedup hit, every event claimed once.
    // (the consumer's stats too follow its own COMMIT answer)
    await eventually(() => consumer.stats.applied + consumer.stats.duplicates >= ordered.length + injectedDuplicates, 'the last batch counted');
    expect(consumer.stats.duplicates).toBe(injectedDuplicates);
    expect(consumer.stats.applied).toBe(ordered.length);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(ordered.length);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_counter WHERE value < 0')).resolves.toBe(0);

    // Poison messages: in the DLQ with their reason, counted once each, the partition was not blocked.
    const dlq = await readAll(kafka, `${topic}.dlq`);
    expect(dlq).toHaveLength(poison.length);
    expect(dlq.every((m) => (m.headers[DLQ_HEADERS.reason] ?? '').length > 0)).toBe(true);
    expect(consumer.stats.deadLettered).toBe(poison.length);
  });

  it('should leave counters unchanged on a full replay from offset 0 onto intact state', async () => {
    const before = await pgCounters(db.url);
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix, groupId: `${topic}.replay` });
    const replay = await StatisticsRuntime.open(config, quiet);
    try {
      const consumer = await replay.startConsumer();
      const end = await topicEnd(kafka, topic);
      await eventually(async () => (await pgScalar(db.url, `SELECT coalesce(sum(next_offset),0) FROM statistics.consumer_offset WHERE consumer_group = $1`, [config.groupId])) === end, 'replay caught up', { timeoutMs: 60_000 });
      expect(consumer.stats.applied).toBe(0);
      expect(consumer.stats.duplicates).toBeGreaterThan(0);
    } finally {
      await replay.close();
    }
    expect(diff(await pgCounters(db.url), before)).toEqual([]);
    const redis = await redisCounters(isolatedConfig({ topic, databaseUrl: db.url, prefix }).redis.url, prefix);
    expect(diff(redis.counters, before)).toEqual([]);
  });

  it('should reconcile with no difference (exit 0), and report a tampered counter (exit 1)', async () => {
    const env = envOf(isolatedConfig({ topic, databaseUrl: db.url, prefix }));
    const ok = spawnService(env, 'apps/statistics-service/src/cli/reconcile.cli.ts');
    expect((await ok.exited).code).toBe(0);
    expect(ok.lines.join('\n')).toMatch(/0 differences/);
    await pgScalar(db.url, `UPDATE statistics.unit_cell SET received = received + 1 WHERE unit_id = 'VN' AND period_key = 'M2025-11' AND dimension = '*' RETURNING 1`);
    const bad = spawnService(env, 'apps/statistics-service/src/cli/reconcile.cli.ts');
    expect((await bad.exited).code).toBe(1);
    expect(bad.lines.join('\n')).toMatch(/DIFF VN M2025-11 \* received/);
  });

  it('should rebuild from offset 0 (with progress) back to the recount, Redis included', async () => {
    await runtime?.close();
    runtime = undefined;
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    const lettersBefore = await readAll(kafka, `${topic}.dlq`);
    const child = spawnService({ ...envOf(config), STATS_SESSION_TIMEOUT_MS: '6000' }, 'apps/statistics-service/src/cli/rebuild.cli.ts');
    const exit = await child.exited;
    expect({ code: exit.code, out: exit.code === 0 ? '' : child.lines.slice(-10).join('\n') }).toEqual({ code: 0, out: '' });
    expect(child.lines.some((l) => /messages \(\d+\/s\)/.test(l))).toBe(true);
    // the poison messages re-read by the recount were dead-lettered by this group before: not written to the DLQ again
    const known = new RegExp(`rebuild: (\\d+) message\\(s\\) already dead-lettered by ${config.groupId.replace(/\./g, '\\.')}`).exec(child.lines.join('\n'));
    expect(Number(known?.[1])).toBeGreaterThan(0);
    expect(await readAll(kafka, `${topic}.dlq`)).toHaveLength(lettersBefore.length);
    const oracle = await recount(kafka, topic);
    const pg = await pgCounters(db.url);
    expect(diff(pg, oracle.counters)).toEqual([]);
    const redis = await redisCounters(config.redis.url, prefix);
    expect(redis.ready).toBe(true);
    expect(diff(redis.counters, pg)).toEqual([]);
  });

  it('should refuse to rebuild from a topic the broker does not have (a mistyped STATS_TOPIC), before truncating anything', async () => {
    await runtime?.close();
    runtime = undefined;
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    const cells = await pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_cell');
    const facts = await pgScalar(db.url, 'SELECT count(*) FROM statistics.dossier_facts');
    const offsets = await pgScalar(db.url, 'SELECT count(*) FROM statistics.consumer_offset');
    expect(cells).toBeGreaterThan(0);
    const keys = (await redisCounters(config.redis.url, prefix)).counters.size;
    expect(keys).toBeGreaterThan(0);
    const child = spawnService({ ...envOf(config), STATS_TOPIC: `${topic}.typo`, STATS_SESSION_TIMEOUT_MS: '6000' }, 'apps/statistics-service/src/cli/rebuild.cli.ts');
    const exit = await child.exited;
    expect({ code: exit.code, said: child.lines.some((l) => l.includes(`${topic}.typo`) && /does not exist/.test(l)) }).toEqual({ code: 1, said: true });
    expect(child.lines.some((l) => /truncating/.test(l))).toBe(false);
    // nothing changed: the counters, fact sheets, stored offsets and Redis are as before
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_cell')).resolves.toBe(cells);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.dossier_facts')).resolves.toBe(facts);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.consumer_offset')).resolves.toBe(offsets);
    expect((await redisCounters(config.redis.url, prefix)).counters.size).toBe(keys);
  });

  it('should refuse to rebuild under a mistyped STATS_GROUP_ID while the service consumes into the same database under its own group', async () => {
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    runtime = await StatisticsRuntime.open(config, quiet);
    await runtime.startConsumer();
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    try {
      await eventually(async () => ((await kafkaAdmin.describeGroups([config.groupId])).groups[0]?.members.length ?? 0) > 0, 'the service is a member of its group', { timeoutMs: 30_000 });
      const cells = await pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_cell');
      expect(cells).toBeGreaterThan(0);
      const child = spawnService({ ...envOf(config), STATS_GROUP_ID: `${config.groupId}.typo`, STATS_SESSION_TIMEOUT_MS: '6000' }, 'apps/statistics-service/src/cli/rebuild.cli.ts');
      const exit = await child.exited;
      expect({ code: exit.code, said: child.lines.some((l) => l.includes(config.groupId) && /active member/.test(l)) }).toEqual({ code: 1, said: true });
      expect(child.lines.some((l) => /truncating/.test(l))).toBe(false);
      await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.unit_cell')).resolves.toBe(cells);
    } finally {
      await kafkaAdmin.disconnect();
      await runtime?.close();
      runtime = undefined;
    }
  });
});
