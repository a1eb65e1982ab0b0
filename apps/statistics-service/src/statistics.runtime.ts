import type { Admin, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { createKafka } from '@onestop/messaging';
import { openAndMigrate, postgresDataSourceOptions } from '@onestop/persistence';
import { CounterCache } from './cache/counter-cache';
import { type StatisticsConfig } from './config/statistics.config';
import { BatchApplier } from './ingest/batch-applier';
import { createIngestMetrics } from './ingest/ingest.metrics';
import { StatisticsConsumer } from './ingest/statistics.consumer';
import { createIndicatorEngine } from './indicators/engine.factory';
import { type IndicatorEngine } from './indicators/indicator-engine';
import { parsePublicEvent } from './indicators/public-event.parser';
import { STATISTICS_ENTITIES, STATISTICS_MIGRATIONS, STATISTICS_SCHEMA } from './persistence';

export type Log = (entry: Record<string, unknown>) => void;

/**
 * Everything the service's processes share, framework-free: the Nest app, the CLIs and the fault-test
 * child processes all start from here.
 */
export class StatisticsRuntime {
  consumer?: StatisticsConsumer;
  private producer?: Producer;
  private admin?: Admin;

  private constructor(
    readonly config: StatisticsConfig,
    readonly pool: Pool,
    readonly cache: CounterCache,
    readonly kafka: Kafka,
    readonly engine: IndicatorEngine,
    readonly log: Log,
  ) {}

  /** Migrates the schema and connects Postgres and Redis (Redis may be down: the cache then reconnects). */
  static async open(config: StatisticsConfig, log: Log): Promise<StatisticsRuntime> {
    await migrate(config.database.url);
    const pool = new Pool({ connectionString: config.database.url, max: 8, application_name: 'statistics-service' });
    pool.on('error', (err) => log({ level: 'warn', msg: 'pg pool error', err: String(err) }));
    const cache = await CounterCache.connect(config.redis.url, config.redisPrefix, log);
    const kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId });
    const warned = new Set<string>();
    const engine = createIndicatorEngine((unitId, day, reason) => {
      if (warned.size < 10_000 && !warned.has(unitId)) {
        warned.add(unitId);
        log({ level: 'warn', msg: 'unit not in the domain unit directory on that day: counted under VN only', unitId, day, reason });
      }
    });
    return new StatisticsRuntime(config, pool, cache, kafka, engine, log);
  }

  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  /** Starts the consumer; first re-syncs Redis from PG (boot rebuild). */
  async startConsumer(registry?: Registry): Promise<StatisticsConsumer> {
    const c = this.config;
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    const hook = { beforeCommit: (): void => undefined };
    const applier = new BatchApplier(this.pool, this.engine, c.groupId, () => hook.beforeCommit());
    const consumer = new StatisticsConsumer({
      kafka: this.kafka,
      topic: c.topic,
      groupId: c.groupId,
      applier,
      cache: this.cache,
      pool: this.pool,
      dlqProducer: this.producer,
      parse: parsePublicEvent,
      metrics: registry ? createIngestMetrics(registry) : undefined,
      maxBytesPerPartition: c.maxBytesPerPartition,
      partitionsConcurrently: c.partitionsConcurrently,
      sessionTimeoutMs: c.sessionTimeoutMs,
      faultPoint: c.faultPoint,
      faultAfterBatches: c.faultAfterBatches,
      log: this.log,
    });
    hook.beforeCommit = () => consumer.beforeCommit();
    // Boot resync: a previous process may have died between the PG COMMIT and its Redis write; the CAS by
    // version makes this full pass safe while Redis already holds newer values.
    await this.cache.rebuildFromPostgres(this.pool).catch((err: unknown) => this.log({ level: 'warn', msg: 'boot resync of redis failed; retrying in background', err: String(err) }));
    await consumer.start();
    this.consumer = consumer;
    this.log({ msg: 'statistics consumer started', topic: c.topic, groupId: c.groupId, faultPoint: c.faultPoint ?? null });
    return consumer;
  }

  async close(): Promise<void> {
    await this.consumer?.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await this.cache.close();
    await this.pool.end();
  }
}

export async function migrate(url: string): Promise<void> {
  const ds = await openAndMigrate(
    postgresDataSourceOptions({ url, schema: STATISTICS_SCHEMA, entities: STATISTICS_ENTITIES, migrations: STATISTICS_MIGRATIONS, applicationName: 'statistics-service-migrate', poolSize: 1 }),
  );
  await ds.destroy();
}
