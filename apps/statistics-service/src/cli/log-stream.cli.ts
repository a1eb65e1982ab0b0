import '../runtime-aliases';
import { type Kafka, type KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/** Reads a topic from offset 0 to the high watermarks taken at start, calling `onMessage`; prints progress. */
export async function readTopicFromStart(
  kafka: Kafka,
  topic: string,
  onMessage: (value: Buffer | null, message: KafkaMessage) => void,
  progress: (done: number, total: number) => void,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const total = Number([...ends.values()].reduce((s, v) => s + v, 0n));
  let done = 0;
  if (total === 0) return 0;
  const finished = new Set([...ends].filter(([, h]) => h === 0n).map(([p]) => p));
  const consumer = kafka.consumer({ groupId: `statistics-cli-${randomUUID()}`, maxBytesPerPartition: 8 * 1_048_576, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const timer = setInterval(() => progress(done, total), 1000);
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0n;
          for (const m of batch.messages) {
            if (BigInt(m.offset) < end) {
              onMessage(m.value, m);
              done++;
            }
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last && BigInt(last.offset) + 1n >= end) finished.add(batch.partition);
          if (finished.size === ends.size) resolve();
        },
      })
      .catch(reject);
  });
  clearInterval(timer);
  progress(done, total);
  await consumer.disconnect();
  return done;
}
