import { databaseConfig, httpConfig, kafkaConfig, loadConfig, type DatabaseConfig, type EnvReader, type HttpConfig, type KafkaConfig } from '@onestop/config';

export const INTAKE_SCHEMA = 'intake';
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

export interface IntakeConfig {
  service: string;
  http: HttpConfig;
  kafka: KafkaConfig;
  database: DatabaseConfig & { poolSize: number };
  topics: { internal: string; public: string };
  relay: {
    enabled: boolean;
    /** Brokers the relay's producer talks to (defaults to kafka.brokers; tests point it at a dead port). */
    brokers: string[];
    batchSize: number;
    pollIntervalMs: number;
    /**
     * Pacing (ADR 0204): at least this many ms between the starts of two relay batches, so under load the relay
     * publishes fewer, larger batches instead of one small batch (and an empty re-poll) per group commit.
     * Bounds the added publish latency; 0 = publish as soon as woken.
     */
    minBatchIntervalMs: number;
    /** Readiness fails when more rows than this wait in the outbox. */
    maxReadyBacklog: number;
    /** Create the topics and their .dlq twins at boot (off where topics are provisioned elsewhere, e.g. tests). */
    ensureTopics: boolean;
  };
  /**
   * Group commit of `POST /dossiers` (ADR 0203): receipts queued while the previous batch is written are
   * committed together (one transaction, multi-row inserts), each answered after that COMMIT.
   */
  groupCommit: {
    enabled: boolean;
    /** Most receipts in one transaction. */
    maxBatch: number;
    /** Batches written at the same time (each on its own connection). */
    maxInFlight: number;
    /** Extra wait before a batch starts (ms); 0 = only what arrived in the same event-loop turn. */
    windowMs: number;
  };
  /**
   * The consumer of the internal lifecycle topic (ADR 0208): what processing-service and result-service
   * did to intake's dossiers, for the lookup and the components rule. Off the request path.
   */
  lifecycleConsumer: {
    enabled: boolean;
    groupId: string;
  };
  auth: { jwtSecret: string; issuer: string };
  /** IANA zone of the legal calendar and of the dossier code's day. */
  timeZone: string;
  /** Test-only fault injection: kill the process at a named point (see outbox/fault-point.ts). */
  faultPoint?: string;
}

export function buildIntakeConfig(env: EnvReader): IntakeConfig {
  const kafka = kafkaConfig(env, 'intake-service');
  return {
    service: 'intake-service',
    http: httpConfig(env, 3001),
    kafka,
    database: { ...databaseConfig(env), poolSize: env.int('DATABASE_POOL_SIZE', 20, 1, 200) },
    topics: {
      internal: env.str('TOPIC_DOSSIER_INTERNAL', 'onestop.dossier.lifecycle.v1'),
      public: env.str('TOPIC_DOSSIER_PUBLIC', 'onestop.dossier.public.v1'),
    },
    relay: {
      enabled: env.bool('OUTBOX_RELAY_ENABLED', true),
      brokers: env.list('OUTBOX_RELAY_BROKERS', kafka.brokers),
      batchSize: env.int('OUTBOX_RELAY_BATCH_SIZE', 500, 1, 10_000),
      pollIntervalMs: env.int('OUTBOX_RELAY_POLL_MS', 1000, 10, 60_000),
      minBatchIntervalMs: env.int('OUTBOX_RELAY_MIN_BATCH_INTERVAL_MS', 25, 0, 1000),
      maxReadyBacklog: env.int('OUTBOX_MAX_READY_BACKLOG', 100_000, 1),
      ensureTopics: env.bool('KAFKA_ENSURE_TOPICS', true),
    },
    groupCommit: {
      enabled: env.bool('INTAKE_GROUP_COMMIT', true),
      maxBatch: env.int('INTAKE_GROUP_COMMIT_MAX_BATCH', 64, 1, 1000),
      maxInFlight: env.int('INTAKE_GROUP_COMMIT_MAX_IN_FLIGHT', 2, 1, 32),
      windowMs: env.int('INTAKE_GROUP_COMMIT_WINDOW_MS', 0, 0, 1000),
    },
    lifecycleConsumer: {
      enabled: env.bool('INTAKE_LIFECYCLE_CONSUMER', true),
      groupId: env.str('INTAKE_LIFECYCLE_GROUP_ID', 'intake-service.lifecycle'),
    },
    auth: { jwtSecret: env.secret('JWT_SECRET', 'dev-only-secret-change-me-0123456789'), issuer: env.str('JWT_ISSUER', 'onestop-pulse') },
    timeZone: env.str('TIME_ZONE', 'Asia/Ho_Chi_Minh'),
    faultPoint: env.optStr('FAULT_POINT'),
  };
}

export function loadIntakeConfig(source: NodeJS.ProcessEnv = process.env): IntakeConfig {
  return loadConfig(buildIntakeConfig, source);
}
