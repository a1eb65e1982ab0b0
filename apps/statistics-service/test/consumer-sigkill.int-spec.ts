import { createTestDatabase, createTestTopics, createTopicsAndWait, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { FAULT_POINTS, type FaultPoint } from '../src/config/statistics.config';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import {
  diff,
  dropRedisKeys,
  envOf,
  isolatedConfig,
  pgCounters,
  pgScalar,
  produce,
  recount,
  redisCounters,
  spawnService,
  stopChild,
  storedOffsetTotal,
  testKafkaClient,
  topicEnd,
  type Child,
} from './support/harness';

/**
 * F3a/b/c: the real service (src/main.ts) runs as a child process; FAULT_POINT makes it SIGKILL itself
 * before the PG COMMIT, after the COMMIT (before Redis and the Kafka commit), or after the Redis write
 * (before the Kafka commit). A restarted process must end EXACT, with evidence that the recovery ran.
 */
describe('Statistics consumer killed with SIGKILL (child process)', () => {
  const kafka = testKafkaClient();
  const units = oneStopUnits(['01', '79'], 3);
  const children: Child[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const c of children) await stopChild(c);
    for (const f of cleanups) await f().catch(() => undefined);
  });

  it.each(FAULT_POINTS.map((p) => [p]))('should recount EXACT after SIGKILL at %s and a restart', async (point: FaultPoint) => {
    const db: TestDatabase = await createTestDatabase(`stats_kill_${point.replace(/-/g, '_')}`);
    const topics = await createTestTopics([`stats.kill.${point}`], 3);
    cleanups.push(() => topics.delete(), () => db.drop());
    const topic = topics.names[0]!;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await admin.disconnect();
    const prefix = `${uniqueName('kill')}:`;
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix });
    cleanups.push(() => dropRedisKeys(config.redis.url, prefix));
    const events = interleave(generateDossiers({ dossiers: 500, units, seed: point.length }), 9);
    await produce(kafka, topic, events.slice(0, 1000));

    const env = envOf(config, { STATS_SESSION_TIMEOUT_MS: '6000', STATS_MAX_BYTES_PER_PARTITION: '65536' });
    const first = spawnService({ ...env, FAULT_POINT: point, FAULT_AFTER_BATCHES: '2' });
    children.push(first);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      first.exited,
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`no SIGKILL at ${point}:\n${first.lines.slice(-20).join('\n')}`)), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(exit.signal).toBe('SIGKILL');
    expect(first.lines.some((l) => l.includes(`FAULT_POINT ${point}`))).toBe(true);
    const storedAtKill = await storedOffsetTotal(db.url, topic);

    await produce(kafka, topic, events.slice(1000));
    const second = spawnService(env);
    children.push(second);
    const end = await topicEnd(kafka, topic);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, `restarted consumer caught up (${point})`, { timeoutMs: 120_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\nlast log lines of the restarted service:\n${second.lines.slice(-15).join('\n')}`);
    });

    const oracle = await recount(kafka, topic);
    expect(oracle.valid).toBe(events.length);
    const pg = await pgCounters(db.url);
    expect(diff(pg, oracle.counters)).toEqual([]);
    await expect(pgScalar(db.url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(events.length);
    await eventually(async () => {
      const r = await redisCounters(config.redis.url, prefix);
      return r.ready && diff(r.counters, pg).length === 0;
    }, `redis equals PG after restart (${point})`, { timeoutMs: 20_000 });

    // Evidence the recovery path ran: the restarted member sought to the offsets stored in PG.
    if (storedAtKill > 0) {
      await eventually(() => second.lines.some((l) => l.includes('seek to stored offset')), 'a logged seek to the stored offset');
    }
    expect(storedAtKill).toBeGreaterThan(0);
    await stopChild(second);
  });
});
