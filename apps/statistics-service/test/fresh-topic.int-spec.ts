import { eventually, uniqueName } from '@onestop/testing';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import {
  diff,
  dropTopicAndKeys,
  envOf,
  isolatedConfig,
  migratedDatabase,
  pgCounters,
  pgScalar,
  produce,
  recount,
  spawnService,
  stopChild,
  storedOffsetTotal,
  testKafkaClient,
} from './support/harness';

/**
 * First start on a fresh broker (`npm start` on a new machine): the service may come up before any producer
 * created the public topic. It must create the topic and its .dlq instead of failing to subscribe, then count.
 */
describe('statistics-service on a broker without its topic yet', () => {
  const kafka = testKafkaClient();
  const { db } = migratedDatabase('stats_fresh');
  const topic = uniqueName('stats.fresh').replace(/_/g, '.');
  const prefix = `${uniqueName('fresh')}:`;
  afterAll(() => dropTopicAndKeys(kafka, topic, isolatedConfig({ topic, databaseUrl: db().url, prefix }).redis.url, prefix));

  it('should create its topic and .dlq, start, and count what is produced afterwards', async () => {
    const child = spawnService(envOf(isolatedConfig({ topic, databaseUrl: db().url, prefix })));
    try {
      await eventually(() => child.lines.some((l) => l.includes('"msg":"listening"')) || child.proc.exitCode !== null, 'service listening', { timeoutMs: 60_000 });
      const admin = kafka.admin();
      await admin.connect();
      await eventually(async () => {
        const names = await admin.listTopics();
        return names.includes(topic) && names.includes(`${topic}.dlq`);
      }, 'topic and .dlq created by the service', { timeoutMs: 30_000 });
      await admin.disconnect();
      const events = interleave(generateDossiers({ dossiers: 20, units: oneStopUnits(['01'], 2), seed: 5 }), 5);
      expect(events.length).toBeGreaterThan(20);
      await produce(kafka, topic, events);
      await eventually(async () => (await storedOffsetTotal(db().url, topic)) === events.length, 'every event applied', { timeoutMs: 60_000 });
      expect(child.proc.exitCode).toBeNull();
      const oracle = await recount(kafka, topic);
      expect(oracle.valid).toBe(events.length);
      expect(diff(await pgCounters(db().url), oracle.counters)).toEqual([]);
      await expect(pgScalar(db().url, 'SELECT count(*) FROM statistics.processed_event')).resolves.toBe(events.length);
    } finally {
      await stopChild(child);
    }
  });
});
