import { createTestTopics, createTopicsAndWait, eventually, testKafka, uniqueName } from '@onestop/testing';
import { createIdempotentProducer, DLQ_HEADERS, EventConsumer, PoisonEventException, type ConsumedEvent } from '../src';

interface Ev {
  id: string;
  n: number;
}

describe(EventConsumer.name, () => {
  it('should dead-letter invalid and poison messages with their reason and keep consuming the partition', async () => {
    const { names, delete: del } = await createTestTopics(['events'], 1);
    const topic = names[0] as string;
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await admin.disconnect();
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const handled: ConsumedEvent<Ev>[] = [];
    const consumer = new EventConsumer<Ev>({
      kafka,
      groupId: uniqueName('g'),
      topics: [topic],
      dlqProducer: producer,
      parse: (m) => {
        try {
          const v = JSON.parse(m.value?.toString() ?? '');
          return typeof v.n === 'number' ? { ok: true, event: v as Ev } : { ok: false, reason: 'field n: must be a number' };
        } catch {
          return { ok: false, reason: 'value is not JSON' };
        }
      },
      handleBatch: async (events) => {
        const poison = events.findIndex((e) => e.event.n === 13);
        if (poison >= 0) throw new PoisonEventException(poison, 'n=13 cannot be applied');
        handled.push(...events);
      },
    });
    const dlq: { reason: string; offset: string }[] = [];
    const dlqReader = kafka.consumer({ groupId: uniqueName('dlq') });
    try {
      await consumer.start();
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'a', value: JSON.stringify({ id: '1', n: 1 }) },
          { key: 'a', value: '{not json' },
          { key: 'a', value: JSON.stringify({ id: '2', n: 'x' }) },
          { key: 'a', value: JSON.stringify({ id: '3', n: 13 }) },
          { key: 'a', value: JSON.stringify({ id: '4', n: 4 }) },
        ],
      });
      await eventually(() => handled.length === 2, 'valid events handled past the poison ones');
      await dlqReader.connect();
      await dlqReader.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
      await dlqReader.run({
        eachMessage: async ({ message }) => {
          dlq.push({ reason: String(message.headers?.[DLQ_HEADERS.reason]), offset: String(message.headers?.[DLQ_HEADERS.sourceOffset]) });
        },
      });
      await eventually(() => dlq.length === 3, 'three dead letters');
      expect(handled.map((h) => h.event.id)).toEqual(['1', '4']);
      expect(dlq.map((d) => d.reason).sort()).toEqual(['field n: must be a number', 'n=13 cannot be applied', 'value is not JSON']);
      expect(dlq.map((d) => d.offset).sort()).toEqual(['1', '2', '3']);
    } finally {
      await consumer.stop();
      await dlqReader.disconnect();
      await producer.disconnect();
      await del();
    }
  });
});
