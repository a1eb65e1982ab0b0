import { type Consumer, type EachMessagePayload } from 'kafkajs';
import { endpointsFromEnv } from '../infra';
import { createTestTopics, eventually, testKafka, uniqueName } from '../isolation';
import { fetchApiVersions } from '../kafka-api-versions';

const FETCH_API_KEY = 1;
const OFFSET_COMMIT_API_KEY = 8;

describe('Kafka smoke (real broker)', () => {
  const endpoints = endpointsFromEnv();
  const [host, port] = (endpoints.kafkaBrokers[0] ?? '').split(':');

  it('should be an Apache Kafka 4.x broker when asked for its API versions', async () => {
    const versions = await fetchApiVersions(host ?? '127.0.0.1', Number(port));
    const fetch = versions.find((v) => v.apiKey === FETCH_API_KEY);
    const commit = versions.find((v) => v.apiKey === OFFSET_COMMIT_API_KEY);
    // Kafka 4.0 removed Fetch v0–v3 and OffsetCommit v0–v1 (KIP-896); every 3.x broker still serves v0.
    expect(fetch?.minVersion).toBeGreaterThanOrEqual(4);
    expect(commit?.minVersion).toBeGreaterThanOrEqual(2);
    console.log(
      `[smoke] broker ${endpoints.kafkaBrokers[0]} (${endpoints.source}) serves ${versions.length} APIs; ` +
        `Fetch v${fetch?.minVersion}..v${fetch?.maxVersion}, OffsetCommit v${commit?.minVersion}..v${commit?.maxVersion} => Kafka 4.x`,
    );
  });

  it('should deliver every produced message to a consumer group and rebalance when a second member joins', async () => {
    const { names, delete: deleteTopics } = await createTestTopics(['smoke'], 4);
    const topic = names[0] as string;
    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const groupId = uniqueName('smoke_group');
    const seen = new Map<string, string>();
    const assignments: Record<string, number[]>[] = [];
    const consumers: Consumer[] = [];

    const startMember = async (member: string) => {
      const c = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
      c.on(c.events.GROUP_JOIN, (e) => assignments.push({ [member]: e.payload.memberAssignment[topic] ?? [] }));
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        eachMessage: async ({ message }: EachMessagePayload) => {
          seen.set(message.key?.toString() ?? '', member);
        },
      });
      consumers.push(c);
    };

    try {
      await producer.connect();
      await startMember('a');
      await eventually(() => assignments.some((a) => (a['a']?.length ?? 0) === 4), 'member a owns all 4 partitions');
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ i }) })),
      });
      await eventually(() => seen.size === 100, 'first 100 messages consumed');

      await startMember('b');
      await eventually(
        () => assignments.some((a) => (a['b']?.length ?? 0) > 0) && assignments.filter((a) => a['a']).length >= 2,
        'rebalance that gives member b some partitions',
      );
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${100 + i}`, value: JSON.stringify({ i: 100 + i }) })),
      });
      await eventually(() => seen.size === 200, 'all 200 messages consumed after the rebalance');

      const byB = [...seen.values()].filter((m) => m === 'b').length;
      expect(seen.size).toBe(200);
      expect(byB).toBeGreaterThan(0);
      const lastA = [...assignments].reverse().find((a) => a['a'])?.['a'] ?? [];
      const lastB = [...assignments].reverse().find((a) => a['b'])?.['b'] ?? [];
      expect([...lastA, ...lastB].sort()).toEqual([0, 1, 2, 3]);
    } finally {
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      await producer.disconnect();
      await deleteTopics();
    }
  });
});
