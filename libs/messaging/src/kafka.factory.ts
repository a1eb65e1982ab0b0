import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig as KafkaJsConfig, type logCreator, type Producer } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs log level; default ERROR (kafkajs is chatty and its own logger is not structured). */
  level?: logLevel;
  /** When given, the client's log lines are written only while `logGate.open` (see `gatedConsoleLogCreator`). */
  logGate?: LogGate;
}

/** A switch for a client's kafkajs log lines. */
export interface LogGate {
  open: boolean;
}

/**
 * kafkajs's own console log format (one JSON line per entry; errors and warnings on stderr), written only while
 * `gate.open`. A service closes the
 * gate once it has shut its clients down: kafkajs keeps retrying a request that was in flight towards an unreachable
 * broker after `disconnect()` (up to the retry budget, tens of seconds), and those retries would go on logging from a
 * service that has stopped — in a test process, into the next suites (Jest then fails the run: "Cannot log after
 * tests are done").
 */
export function gatedConsoleLogCreator(gate: LogGate): logCreator {
  return () =>
    ({ namespace, level, label, log }) => {
      if (!gate.open) return;
      const line = JSON.stringify({ level: label, ...log, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` });
      // errors and warnings on stderr, the rest on stdout, as kafkajs's console logger
      (level === logLevel.ERROR || level === logLevel.WARN ? process.stderr : process.stdout).write(`${line}\n`);
    };
}

export function createKafka(o: KafkaClientOptions, extra: Partial<KafkaJsConfig> = {}): Kafka {
  return new Kafka({
    clientId: o.clientId,
    brokers: o.brokers,
    logLevel: o.level ?? logLevel.ERROR,
    ...(o.logGate ? { logCreator: gatedConsoleLogCreator(o.logGate) } : {}),
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
    if (wanted.length > 0) await createTopicsAndWait(admin, wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })));
  } finally {
    await admin.disconnect();
  }
}

/** Error types a broker answers for a topic it has just created, until every broker knows it and its leaders. */
const NOT_YET_KNOWN = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates the topics (those that exist already are left as they are) and waits until every partition has a
 * leader. kafkajs's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE: a just-created topic can also answer
 * UNKNOWN_TOPIC_OR_PARTITION for a moment (seen on a loaded 2-core box), and the creation then failed although
 * the topic was being created. Those answers are waited out here, up to `timeoutMs`.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: names });
      if (meta.length === names.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (!NOT_YET_KNOWN.has((err as { type?: string }).type ?? '') || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics still without a leader after ${timeoutMs} ms: ${names.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
