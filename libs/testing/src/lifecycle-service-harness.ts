import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { endpointsFromEnv } from './infra';
import { createTestDatabase, createTopicsAndWait, testKafka, uniqueName, type TestDatabase } from './isolation';
import { collect, http, TEST_JWT, type Http } from './lifecycle-fixtures';

export interface LifecycleServiceUnderTest<C, A extends INestApplication> {
  db: TestDatabase;
  cfg: C;
  app: A;
  /** HTTP client on the listening app (`http(await app.getUrl())`). */
  api: Http;
  /** A connected plain producer, to feed the lifecycle topic. */
  producer: Producer;
  /** The app's own DataSource. */
  ds: DataSource;
  /** Everything on the suite's lifecycle topic, its public topic and `<lifecycle>.dlq`, from the beginning. */
  events: Awaited<ReturnType<typeof collect>>;
  /** Stops the collector, the producer and the app, then drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts a lifecycle service (processing, result) for an integration suite: its own database, lifecycle and
 * public topics (3 partitions) and consumer group; the config loaded from those plus the test JWT and `env`;
 * the app listening on a free port; a producer and a collector on the suite's topics.
 */
export async function startLifecycleService<C, A extends INestApplication>(o: {
  /** Prefix of the database and consumer group names (`processing`, `result`). */
  name: string;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  createApp: (cfg: C) => Promise<A>;
  /** More variables for `loadConfig`. */
  env?: NodeJS.ProcessEnv;
}): Promise<LifecycleServiceUnderTest<C, A>> {
  const db = await createTestDatabase(o.name);
  const stops: (() => Promise<unknown>)[] = [() => db.drop()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    const lifecycle = uniqueName('lifecycle').replace(/_/g, '.');
    const publicTopic = uniqueName('public').replace(/_/g, '.');
    const kafka = testKafka();
    // No @onestop/messaging here (its tests use this library): the topics and their dead-letter twins, directly.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = [lifecycle, publicTopic].flatMap((t) => [t, `${t}.dlq`]);
      await createTopicsAndWait(admin, topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })));
    } finally {
      await admin.disconnect();
    }
    const cfg = o.loadConfig({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: endpointsFromEnv().kafkaBrokers.join(','),
      TOPIC_DOSSIER_INTERNAL: lifecycle,
      TOPIC_DOSSIER_PUBLIC: publicTopic,
      CONSUMER_GROUP: uniqueName(o.name),
      JWT_SECRET: TEST_JWT.secret,
      JWT_ISSUER: TEST_JWT.issuer,
      ...o.env,
    });
    const app = await o.createApp(cfg);
    stops.push(() => app.close());
    await app.listen(0, '127.0.0.1');
    const api = http(await app.getUrl());
    const producer = kafka.producer();
    await producer.connect();
    stops.push(() => producer.disconnect());
    // Loaded here, so that the suites that never start a service do not load TypeORM with this library.
    const { DataSource: DataSourceClass } = await import('typeorm');
    const ds = app.get(DataSourceClass);
    const events = await collect([lifecycle, publicTopic, `${lifecycle}.dlq`]);
    stops.push(() => events.stop());
    return { db, cfg, app, api, producer, ds, events, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
