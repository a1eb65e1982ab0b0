import { eventually, joinForeignGroupMember, uniqueName } from '@onestop/testing';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { diff, dropTopicAndKeys, envOf, isolatedConfig, migratedDatabase, pgCounters, produce, recount, spawnService, stopChild, storedOffsetTotal, testKafkaClient } from './support/harness';

interface ConsumerHealth {
  state: string;
  brokerReachable: boolean;
  degraded: boolean;
  replacements: number;
  lastCrash: { at: string; error: string; restart: boolean } | null;
}

/**
 * Defect: after a non-retriable error kafkajs stops its consumer for good (CRASH `restart: false`): the service
 * answered from counters that no longer moved, with nothing but a `crashed` state in /health/ready, until someone
 * restarted it. Trigger on the real broker: a member of another assignment protocol (an operator's console consumer
 * with our group id) holds the group when the service joins. ADR 0004: the consumer is replaced until admitted.
 */
describe('statistics-service after kafkajs gives up on its consumer (service process, real broker)', () => {
  jest.setTimeout(180_000);
  const kafka = testKafkaClient();
  const { db } = migratedDatabase('stats_replace');
  const topic = uniqueName('stats.replace').replace(/_/g, '.');
  const prefix = `${uniqueName('replace')}:`;
  afterAll(() => dropTopicAndKeys(kafka, topic, isolatedConfig({ topic, databaseUrl: db().url, prefix }).redis.url, prefix));

  it('should report the refused join as degraded, replace the consumer, and count every event once after admission', async () => {
    const config = isolatedConfig({ topic, databaseUrl: db().url, prefix });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const events = interleave(generateDossiers({ dossiers: 30, units: oneStopUnits(['01'], 2), seed: 8 }), 8);
    await produce(kafka, topic, events);
    const foreign = await joinForeignGroupMember(kafka, config.groupId, [topic]);
    const child = spawnService(envOf(config));
    try {
      const listening = await eventually(() => child.lines.find((l) => l.includes('"msg":"listening"')) ?? (child.proc.exitCode !== null ? 'exited' : undefined), 'service listening', { timeoutMs: 60_000 });
      expect(listening).not.toBe('exited');
      const base = (JSON.parse(listening) as { url: string }).url.replace('[::1]', '127.0.0.1');
      const consumer = async () => {
        const body = (await (await fetch(`${base}/health/ready`)).json()) as { info?: { consumer: ConsumerHealth }; error?: { consumer: ConsumerHealth } };
        return (body.info ?? body.error)!.consumer;
      };

      // refused: degraded even though the broker answers, and nothing is applied
      const refused = await eventually(async () => ((await consumer()).lastCrash?.restart === false ? consumer() : undefined), 'the refused join reported', { timeoutMs: 60_000 });
      expect(refused).toMatchObject({ state: 'restarting', degraded: true, lastCrash: { restart: false, error: expect.stringMatching(/protocols are incompatible/) } });
      expect(await storedOffsetTotal(db().url, topic)).toBe(0);
      expect(child.proc.exitCode).toBeNull();

      await foreign.leave();
      await eventually(async () => (await storedOffsetTotal(db().url, topic)) === events.length, 'every event applied by the replacement', { timeoutMs: 120_000 });
      const after = await eventually(async () => {
        const c = await consumer();
        return c.state === 'running' && !c.degraded ? c : undefined;
      }, 'running and not degraded');
      expect(after.replacements).toBeGreaterThanOrEqual(1);
      const oracle = await recount(kafka, topic);
      expect(oracle.valid).toBe(events.length);
      expect(diff(await pgCounters(db().url), oracle.counters)).toEqual([]);
      expect(child.lines.some((l) => l.includes('kafka consumer gave up; replacing it'))).toBe(true);
    } finally {
      await foreign.leave().catch(() => undefined);
      await stopChild(child);
    }
  });
});
