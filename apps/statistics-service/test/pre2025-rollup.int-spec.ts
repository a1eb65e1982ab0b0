import { createTestDatabase, createTestTopics, createTopicsAndWait, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { StatisticsRuntime } from '../src/statistics.runtime';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { type CounterMap, diff, dropRedisKeys, envOf, isolatedConfig, pgCounters, produce, recount, spawnService, storedOffsetTotal, testKafkaClient } from './support/harness';

const quiet = () => undefined;

/** Sum of the cells of `units` per `period|dimension|metric`. */
function sumBy(counters: CounterMap, isChild: (unit: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of counters) {
    const unit = k.slice(0, k.indexOf('|'));
    if (!isChild(unit)) continue;
    const rest = k.slice(unit.length + 1);
    out.set(rest, (out.get(rest) ?? 0) + v);
  }
  return out;
}

function cellsOf(counters: CounterMap, unit: string): Map<string, number> {
  return sumBy(counters, (u) => u === unit);
}

/**
 * ADR 0206: history counted under 2025 units (imported dossiers received before 2025-07-01) rolls up along the
 * units' 2025 chains, so a province is the sum of its one-stop units on pre-reform days too (it used to get
 * nothing: the chain of a unit before its validFrom went straight to VN). Consumer and reconcile agree.
 */
describe('statistics roll-up of pre-2025 history onto the 2025 map (real Kafka and Postgres)', () => {
  const kafka = testKafkaClient();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let topic: string;
  let runtime: StatisticsRuntime | undefined;
  const prefix = `${uniqueName('stats_pre2025')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('stats_pre2025');
    topics = await createTestTopics(['stats.pre2025', 'stats.pre2025.dlq'], 3);
    topic = topics.names[0]!;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await admin.disconnect();
  });
  afterAll(async () => {
    await runtime?.close();
    await topics.delete().catch(() => undefined);
    await db.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should count pre-2025 events of 2025 units under their province, which stays the sum of its children, as reconcile does', async () => {
    const units = ['01.00004', ...oneStopUnits(['01', '79'], 2)];
    const history = generateDossiers({ dossiers: 60, units, seed: 21, start: '2024-03-01T08:00:00+07:00', days: 10, seqPrefix: '1' });
    const theDay = generateDossiers({ dossiers: 3, units: ['01.00004'], seed: 22, start: '2024-03-04T08:00:00+07:00', days: 1, seqPrefix: '2' });
    const live = generateDossiers({ dossiers: 20, units, seed: 23, start: '2025-11-01T08:00:00+07:00', days: 5, seqPrefix: '3' });
    const events = interleave([...history, ...theDay, ...live], 9);
    await produce(kafka, topic, events);

    runtime = await StatisticsRuntime.open(isolatedConfig({ topic, databaseUrl: db.url, prefix }), quiet);
    await runtime.startConsumer();
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === events.length, 'every event applied', { timeoutMs: 60_000 });

    const stored = await pgCounters(db.url);
    const oracle = await recount(kafka, topic);
    expect(oracle.valid).toBe(events.length);
    expect(diff(stored, oracle.counters)).toEqual([]);

    // the defect's case: 01.00004 on 2024-03-04 is counted in province 01, not only in the unit and VN
    const unitDay = stored.get('01.00004|D2024-03-04|*|received') ?? 0;
    expect(unitDay).toBeGreaterThanOrEqual(3);
    expect(stored.get('01|D2024-03-04|*|received') ?? 0).toBeGreaterThanOrEqual(unitDay);

    // every province cell = the sum of its one-stop units' cells (commune rows are their units' rows, ADR 0403),
    // and VN = the sum of the provinces, on pre-reform and post-reform days alike
    for (const province of ['01', '79']) {
      const parent = cellsOf(stored, province);
      expect([...parent.keys()].some((k) => k.startsWith('D2024-'))).toBe(true);
      expect(parent).toEqual(sumBy(stored, (u) => u.startsWith(`${province}.`)));
    }
    expect(cellsOf(stored, 'VN')).toEqual(sumBy(stored, (u) => u === '01' || u === '79'));

    // reconcile (recount with the shared engine) agrees with what the consumer stored
    const reconcile = spawnService(envOf(isolatedConfig({ topic, databaseUrl: db.url, prefix })), 'apps/statistics-service/src/cli/reconcile.cli.ts');
    const exit = await reconcile.exited;
    expect({ code: exit.code, out: reconcile.lines.join('\n') }).toEqual({ code: 0, out: expect.stringMatching(/0 differences/) });
  });
});
