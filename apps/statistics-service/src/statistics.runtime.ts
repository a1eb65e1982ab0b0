import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { createKafka, type LogGate } from '@onestop/messaging';
import { openAndMigrate, postgresDataSourceOptions } from '@onestop/persistence';
import { CounterCache } from './cache/counter-cache';
import { type StatisticsConfig } from './config/statistics.config';
import { BatchApplier } from './ingest/batch-applier';
import type { WorkerMessage } from './ingest/consumer.worker';
import { createIngestMetrics, type IngestMetrics } from './ingest/ingest.metrics';
import { StatisticsConsumer, type ConsumerStatus } from './ingest/statistics.consumer';
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
    /** Closed at the end of `close()`: the Kafka client's retries of a request in flight then stop logging. */
    private readonly kafkaLogGate: LogGate = { open: true },
  ) {}

  /** Migrates the schema and connects Postgres and Redis (Redis may be down: the cache then reconnects). */
  static async open(config: StatisticsConfig, log: Log, o: { migrate?: boolean } = {}): Promise<StatisticsRuntime> {
    if (o.migrate !== false) await migrate(config.database.url);
    const pool = new Pool({ connectionString: config.database.url, max: 8, application_name: 'statistics-service' });
    pool.on('error', (err) => log({ level: 'warn', msg: 'pg pool error', err: String(err) }));
    const cache = await CounterCache.connect(config.redis.url, config.redisPrefix, log);
    const kafkaLogGate: LogGate = { open: true };
    const kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logGate: kafkaLogGate });
    const warned = new Set<string>();
    const engine = createIndicatorEngine((unitId, day, reason) => {
      if (warned.size < 10_000 && !warned.has(unitId)) {
        warned.add(unitId);
        log({ level: 'warn', msg: 'unit not in the domain unit directory on that day: counted under VN only', unitId, day, reason });
      }
    });
    return new StatisticsRuntime(config, pool, cache, kafka, engine, log, kafkaLogGate);
  }

  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  /** Starts the consumer; first re-syncs Redis from PG (boot rebuild). */
  async startConsumer(
    registry?: Registry,
    metrics?: IngestMetrics,
    onStatus?: (status: ConsumerStatus) => void,
    alreadyDeadLettered?: ReadonlySet<string>,
  ): Promise<StatisticsConsumer> {
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
      metrics: metrics ?? (registry ? createIngestMetrics(registry) : undefined),
      maxBytesPerPartition: c.maxBytesPerPartition,
      maxBytes: c.maxBytes,
      maxWaitTimeMs: c.maxWaitTimeMs,
      minBytes: c.minBytes,
      partitionsConcurrently: c.partitionsConcurrently,
      sessionTimeoutMs: c.sessionTimeoutMs,
      faultPoint: c.faultPoint,
      faultAfterBatches: c.faultAfterBatches,
      logTimings: c.logTimings,
      pipeline: c.pipeline,
      brokerSilenceMs: c.brokerSilenceMs,
      ...(onStatus ? { onStatus } : {}),
      ...(alreadyDeadLettered ? { alreadyDeadLettered } : {}),
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

  /**
   * Starts the consumer in worker threads of this process (ADR 0402): same pipeline, own event loop, own
   * pool / Redis / Kafka clients. `config.consumerThreads` workers each join the group as a member and own a
   * share of the partitions (ADR 0409). Their logs and metric updates are replayed here. Resolves once all consume.
   */
  async startConsumerThread(registry?: Registry): Promise<void> {
    const metrics = registry ? createIngestMetrics(registry) : undefined;
    const n = this.config.consumerThreads;
    const workers = Array.from({ length: n }, () => startWorker(this.config));
    let newest = 0;
    this.workers = workers;
    await Promise.all(
      workers.map(
        (worker, i) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (m: WorkerMessage) => {
              if (m.kind === 'log') this.log(n > 1 ? { ...m.entry, consumerThread: i } : m.entry);
              else if (m.kind === 'consumer') this.threadStatus[i] = m.status;
              else if (m.kind === 'metric' && metrics) {
                // several threads: the newest applied event is the newest of theirs (each reports its own)
                if (m.name === 'lastEventTime' && !m.labels) {
                  if (m.value <= newest) return;
                  newest = m.value;
                }
                const series = metrics[m.name] as unknown as Record<string, (...a: unknown[]) => void>;
                if (m.labels) series[m.op]!(m.labels, m.value);
                else series[m.op]!(m.value);
              } else if (m.kind === 'started') resolve();
              else if (m.kind === 'failed') {
                this.log({ level: 'error', msg: 'consumer thread failed', err: m.error, consumerThread: i });
                reject(new Error(m.error));
              }
            });
            worker.once('error', (err) => {
              this.log({ level: 'error', msg: 'consumer thread crashed', err: String(err), consumerThread: i });
              reject(err);
            });
          }),
      ),
    );
    // A consumer that died leaves a process that answers from stale counters: exit, so it gets restarted.
    for (const worker of workers) {
      worker.once('exit', (code) => {
        if (!this.workers.includes(worker)) return; // closing
        this.log({ level: 'error', msg: 'consumer thread exited; exiting the process', code });
        process.exit(1);
      });
    }
    this.log({ msg: 'statistics consumer running in worker threads', topic: this.config.topic, threads: n });
  }

  private workers: Worker[] = [];
  /** The last status each consumer thread reported (every second). */
  private threadStatus: ConsumerStatus[] = [];

  /**
   * The consumer's status per member of this process (one, or one per worker thread); empty when the consumer is
   * not started here (STATS_CONSUMER_ENABLED=false) or a thread has not reported yet.
   */
  consumerStatus(): ConsumerStatus[] {
    if (this.consumer) return [this.consumer.status()];
    return this.threadStatus.filter((s) => s !== undefined);
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(
      workers.map(async (w) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 15_000);
          w.on('message', (m: WorkerMessage) => m.kind === 'stopped' && (clearTimeout(timer), resolve()));
          w.once('exit', () => (clearTimeout(timer), resolve()));
          w.postMessage({ kind: 'stop' });
        });
        await w.terminate();
      }),
    );
    await this.consumer?.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await this.cache.close();
    await this.pool.end();
    // a freshness request in flight to an unreachable broker keeps retrying after disconnect(): not in our logs any more
    this.kafkaLogGate.open = false;
  }
}

/**
 * The worker of `startConsumerThread`. Under the TypeScript loader (dev, tests, bench) the worker first
 * requires the same swc register as the main thread; a build runs the compiled .js entry directly.
 */
function startWorker(config: StatisticsConfig): Worker {
  const entry = path.join(__dirname, 'ingest', `consumer.worker${path.extname(__filename)}`);
  const options = { workerData: { config }, resourceLimits: { maxYoungGenerationSizeMb: config.consumerYoungGenMb } };
  if (!entry.endsWith('.ts')) return new Worker(entry, options);
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'nx.json')) && path.dirname(root) !== root) root = path.dirname(root);
  const register = path.join(root, 'apps/statistics-service/test/support/swc-register.cjs');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, { ...options, eval: true });
}

export async function migrate(url: string): Promise<void> {
  const ds = await openAndMigrate(
    postgresDataSourceOptions({ url, schema: STATISTICS_SCHEMA, entities: STATISTICS_ENTITIES, migrations: STATISTICS_MIGRATIONS, applicationName: 'statistics-service-migrate', poolSize: 1 }),
  );
  await ds.destroy();
}
