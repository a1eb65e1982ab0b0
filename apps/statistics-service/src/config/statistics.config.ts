import {
  databaseConfig,
  httpConfig,
  kafkaConfig,
  loadConfig,
  redisConfig,
  type DatabaseConfig,
  type HttpConfig,
  type KafkaConfig,
  type RedisConfig,
} from '@onestop/config';

export const FAULT_POINTS = ['before-commit', 'after-commit', 'after-redis'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export interface StatisticsConfig {
  kafka: KafkaConfig;
  database: DatabaseConfig;
  redis: RedisConfig;
  http: HttpConfig;
  /** Public lifecycle topic consumed (onestop.dossier.public.v1; tests pass a unique one). */
  topic: string;
  groupId: string;
  /** Prefix of every Redis key and of the PUBLISH channel (isolates tests sharing one Redis). */
  redisPrefix: string;
  /** Run the Kafka consumer in this process (false for a query-only replica). */
  consumerEnabled: boolean;
  maxBytesPerPartition: number;
  /** Bytes of one fetch over all partitions = the upper bound of one ingest transaction. */
  maxBytes: number;
  /** Fetch max wait (ms): how long a caught-up consumer waits at the broker for new messages. */
  maxWaitTimeMs: number;
  /**
   * Fetch min bytes: the broker answers a fetch once this much is waiting (or after `maxWaitTimeMs`). Above 1, a
   * caught-up consumer applies fewer, larger groups (ADR 0405): less Postgres work per event for a bounded delay.
   */
  minBytes: number;
  /** kafkajs partitionsConsumedConcurrently: ≥ partitions per member, so a whole fetch is one transaction. */
  partitionsConcurrently: number;
  /** Run the consumer in a worker thread of this process, so HTTP queries keep their own event loop (ADR 0402). */
  consumerThread: boolean;
  /** Consumer worker threads, each its own member of the group (ADR 0409). */
  consumerThreads: number;
  /** Nice value of the consumer thread (Linux, per thread): HTTP answers win the CPU when both are runnable. */
  consumerNice: number;
  /**
   * The consumer counts the broker as unreachable when no fetch has answered for this long (ms): the lag gauge is
   * then withdrawn, `statistics_consumer_connected` is 0 and `/health/ready` says so (STATS_BROKER_SILENCE_MS).
   */
  brokerSilenceMs: number;
  /**
   * Young-generation limit of the consumer thread (MB). A group allocates many short-lived objects (events, fact
   * sheets, counter keys); a larger nursery lets them die young instead of being promoted (ADR 0404).
   */
  consumerYoungGenMb: number;
  /** Two-stage ingest pipeline (ADR 0404); false = one group at a time. */
  pipeline: boolean;
  /** Log the stage timings of every ingest transaction (benchmarks, profiling). */
  logTimings: boolean;
  /** Kafka group session timeout: a SIGKILLed member's partitions move after this long. */
  sessionTimeoutMs: number;
  /** Test hook: SIGKILL this process at that point of the batch pipeline, once `faultAfterBatches` batches ran. */
  faultPoint: FaultPoint | undefined;
  faultAfterBatches: number;
  /** Due soon = due within this many hours. */
  dueSoonHours: number;
  /**
   * In-memory mirror of hot whole-unit counter cells, kept current by the change channel (ADR 0406): an entry is
   * re-read from Redis in the background after this many ms and not used after twice as long. 0 = no mirror.
   */
  queryMirrorMs: number;
  /** Event ids older than this many days are pruned from the dedup ledger (ADR 0413); 0 = keep them forever. */
  dedupRetentionDays: number;
  /** Minutes between two prunings of the dedup ledger. */
  dedupPruneEveryMinutes: number;
  /** Delay of the first pruning after the service starts (ms). */
  dedupPruneFirstDelayMs: number;
  /** Seconds between two `heartbeat` events of a live feed (SSE), so idle streams survive proxies (ADR 0414); 0 = none. */
  sseHeartbeatSeconds: number;
}

export const STATISTICS_CONFIG = Symbol('STATISTICS_CONFIG');

export function loadStatisticsConfig(source: NodeJS.ProcessEnv = process.env): StatisticsConfig {
  return loadConfig((env) => {
    const fault = env.optStr('FAULT_POINT');
    const faultPoint = FAULT_POINTS.find((f) => f === fault);
    if (fault !== undefined && !faultPoint) env.str(`FAULT_POINT must be one of ${FAULT_POINTS.join(', ')}; variable`);
    return {
      kafka: kafkaConfig(env, 'statistics-service'),
      database: databaseConfig(env),
      redis: redisConfig(env),
      http: httpConfig(env, 3004),
      topic: env.str('STATS_TOPIC', 'onestop.dossier.public.v1'),
      groupId: env.str('STATS_GROUP_ID', 'statistics-service'),
      redisPrefix: env.str('STATS_REDIS_PREFIX', 'stats:'),
      consumerEnabled: env.bool('STATS_CONSUMER_ENABLED', true),
      maxBytesPerPartition: env.int('STATS_MAX_BYTES_PER_PARTITION', 16 * 1_048_576, 65_536),
      maxBytes: env.int('STATS_MAX_BYTES', 96 * 1_048_576, 65_536),
      maxWaitTimeMs: env.int('STATS_MAX_WAIT_MS', 50, 0, 5000),
      minBytes: env.int('STATS_FETCH_MIN_BYTES', 65_536, 1, 16 * 1_048_576),
      partitionsConcurrently: env.int('STATS_PARTITIONS_CONCURRENTLY', 64, 1, 1024),
      consumerThread: env.bool('STATS_CONSUMER_THREAD', true),
      consumerThreads: env.int('STATS_CONSUMER_THREADS', 1, 1, 16),
      consumerNice: env.int('STATS_CONSUMER_NICE', 5, 0, 19),
      brokerSilenceMs: env.int('STATS_BROKER_SILENCE_MS', 10_000, 1000, 600_000),
      consumerYoungGenMb: env.int('STATS_CONSUMER_YOUNG_GEN_MB', 384, 16, 4096),
      pipeline: env.bool('STATS_PIPELINE', true),
      logTimings: env.bool('STATS_LOG_TIMINGS', false),
      sessionTimeoutMs: env.int('STATS_SESSION_TIMEOUT_MS', 30_000, 6000, 300_000),
      faultPoint,
      faultAfterBatches: env.int('FAULT_AFTER_BATCHES', 1, 0),
      dueSoonHours: env.int('STATS_DUE_SOON_HOURS', 24, 1, 720),
      queryMirrorMs: env.int('STATS_QUERY_MIRROR_MS', 1000, 0, 60_000),
      dedupRetentionDays: env.int('STATS_DEDUP_RETENTION_DAYS', 90, 0, 36_500),
      dedupPruneEveryMinutes: env.int('STATS_DEDUP_PRUNE_EVERY_MINUTES', 60, 1, 10_080),
      dedupPruneFirstDelayMs: env.int('STATS_DEDUP_PRUNE_FIRST_DELAY_MS', 60_000, 0, 3_600_000),
      sseHeartbeatSeconds: env.int('STATS_SSE_HEARTBEAT_SECONDS', 15, 0, 300),
    };
  }, source);
}
