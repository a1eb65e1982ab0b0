import { createTestTopics, eventually, joinForeignGroupMember, testKafka, uniqueName } from '@onestop/testing';
import { createIdempotentProducer, EventConsumer } from '../src';

/**
 * Defect: after a non-retriable error kafkajs stops its consumer for good (CRASH `restart: false`) and the service
 * went on running without consuming. Trigger on the real broker: a member of another assignment protocol holds the
 * group when the consumer joins (INCONSISTENT_GROUP_PROTOCOL), as an operator's console consumer with our group id
 * would. ADR 0004: the consumer that gave up is replaced until the group admits it.
 */
describe('EventConsumer after kafkajs gives up on its consumer', () => {
  jest.setTimeout(120_000);

  it('should replace the consumer and consume every event, once, after the group admits it again', async () => {
    const { names, delete: del } = await createTestTopics(['replace'], 2);
    const topic = names[0] as string;
    const kafka = testKafka();
    const groupId = uniqueName('g-replace');
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const foreign = await joinForeignGroupMember(kafka, groupId, [topic]);
    const handled: string[] = [];
    const errors: string[] = [];
    const consumer = new EventConsumer<{ id: string }>({
      kafka,
      groupId,
      topics: [topic],
      dlqProducer: producer,
      parse: (m) => ({ ok: true, event: JSON.parse(m.value?.toString() ?? '{}') as { id: string } }),
      handleBatch: async (events) => void handled.push(...events.map((e) => e.event.id)),
      onError: (err) => errors.push(String(err)),
      replaceDelayMs: 500,
    });
    try {
      await consumer.start();
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 5}`, value: JSON.stringify({ id: `e${i}` }) })) });
      // kafkajs refused the join and gave up: nothing is consumed while the foreign member holds the group
      const crash = await eventually(() => consumer.replacements.lastCrash, 'kafkajs reports the refused join');
      expect(crash).toMatchObject({ restart: false, error: expect.stringMatching(/protocols are incompatible/) });
      expect(handled).toEqual([]);

      await foreign.leave();
      await eventually(() => handled.length >= 20, 'every event consumed by the replacement', { timeoutMs: 90_000 });
      expect([...handled].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`).sort());
      expect(consumer.replacements.count).toBeGreaterThanOrEqual(1);
      expect(errors.some((e) => e.includes('kafka consumer gave up; replacing it'))).toBe(true);
      expect(errors.some((e) => e.includes('kafka consumer replaced'))).toBe(true);
    } finally {
      await consumer.stop();
      await foreign.leave().catch(() => undefined);
      await producer.disconnect();
      await del();
    }
  });
});
