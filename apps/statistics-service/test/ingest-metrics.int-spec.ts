import { Registry } from 'prom-client';
import { createTestDatabase, createTestTopics, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { createIngestMetrics } from '../src/ingest/ingest.metrics';
import { StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { dropRedisKeys, isolatedConfig, produce, storedOffsetTotal, testKafkaClient, topicEnd } from './support/harness';

/** The consumer's Prometheus series, read from a real registry after real ingest. */
describe('Statistics consumer metrics', () => {
  let db: TestDatabase;
  let runtime: StatisticsRuntime | undefined;
  let topics: Awaited<ReturnType<typeof createTestTopics>> | undefined;
  const prefix = `${uniqueName('stats')}:`;
  afterAll(async () => {
    await runtime?.close();
    await topics?.delete().catch(() => undefined);
    await db?.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should keep statistics_last_event_timestamp_seconds at the newest applied event when older history arrives later', async () => {
    db = await createTestDatabase('stats_metrics');
    topics = await createTestTopics(['stats.metrics', 'stats.metrics.dlq'], 2);
    const topic = topics.names[0]!;
    const kafka = testKafkaClient();
    runtime = await StatisticsRuntime.open(isolatedConfig({ topic, databaseUrl: db.url, prefix }), () => undefined);
    const registry = new Registry();
    await runtime.startConsumer(registry, createIngestMetrics(registry));
    const gauge = async (): Promise<number> => {
      const m = (await registry.getMetricsAsJSON()).find((x) => x.name === 'statistics_last_event_timestamp_seconds');
      return Number(m?.values[0]?.value ?? 0);
    };
    const caughtUp = async (what: string): Promise<void> => {
      const end = await topicEnd(kafka, topic);
      await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, what, { timeoutMs: 60_000 });
    };
    const units = oneStopUnits(['01'], 2);

    const recent = interleave(generateDossiers({ dossiers: 20, units, seed: 3, start: '2026-11-02T08:00:00+07:00', days: 5 }), 2);
    await produce(kafka, topic, recent);
    await caughtUp('recent events applied');
    const newest = Math.max(...recent.map((e) => Date.parse(e.occurredAt))) / 1000;
    await eventually(async () => (await gauge()) === newest, 'gauge at the newest recent event');

    // history of September 2025 imported afterwards: applied, but older than what the gauge shows
    const history = interleave(generateDossiers({ dossiers: 20, units, seed: 4, start: '2025-09-01T08:00:00+07:00', days: 5 }), 2);
    await produce(kafka, topic, history);
    await caughtUp('history applied');
    // the metrics follow the COMMIT: wait until the history's events are counted, then read the gauge
    const applied = async (): Promise<number> => Number((await registry.getMetricsAsJSON()).find((x) => x.name === 'statistics_events_applied_total')?.values[0]?.value ?? 0);
    await eventually(async () => (await applied()) === recent.length + history.length, 'history counted in statistics_events_applied_total');
    expect(await gauge()).toBe(newest);
  });
});
