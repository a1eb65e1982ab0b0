import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type Producer } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs log level; default ERROR (kafkajs is chatty and its own logger is not structured). */
  level?: logLevel;
}

export function createKafka(o: KafkaClientOptions, extra: Partial<KafkaJsConfig> = {}): Kafka {
  return new Kafka({
    clientId: o.clientId,
    brokers: o.brokers,
    logLevel: o.level ?? logLevel.ERROR,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    ...extra,
  });
}

/** Idempotent producer with acks=all semantics (every send passes acks: -1). One in-flight request keeps order. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

/** Creates the topics (and their .dlq twins) if missing; safe to call at every boot. */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 6): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = topics.flatMap((t) => [t, `${t}.dlq`]).filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
