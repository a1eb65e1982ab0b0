import {
  databaseConfig,
  httpConfig,
  kafkaConfig,
  loadConfig,
  type DatabaseConfig,
  type HttpConfig,
  type KafkaConfig,
} from '@onestop/config';

export const SERVICE_NAME = 'processing-service';
export const SCHEMA = 'processing';

/** The one typed configuration of processing-service, validated at boot (every bad variable in one error). */
export interface ProcessingConfig {
  service: string;
  schema: string;
  http: HttpConfig;
  database: DatabaseConfig;
  kafka: KafkaConfig;
  topics: { lifecycle: string; public: string };
  consumerGroup: string;
  jwtSecret: string;
  jwtIssuer: string;
  /** Start the Kafka consumer, the outbox relay and the deadline watcher (tests can turn them off). */
  backgroundWorkers: boolean;
  deadlines: {
    /** How long before the due time DossierDueSoon fires (domain.md §2.5: 24 h). */
    dueSoonWindowMinutes: number;
    /** Longest sleep of the watcher loop between two scans. */
    pollIntervalMs: number;
    batchSize: number;
  };
}

export const PROCESSING_CONFIG = Symbol('PROCESSING_CONFIG');

export function loadProcessingConfig(source: NodeJS.ProcessEnv = process.env): ProcessingConfig {
  return loadConfig(
    (env) => ({
      service: SERVICE_NAME,
      schema: SCHEMA,
      http: httpConfig(env, 3002),
      database: databaseConfig(env),
      kafka: kafkaConfig(env, SERVICE_NAME),
      topics: {
        lifecycle: env.str('TOPIC_DOSSIER_INTERNAL', 'onestop.dossier.lifecycle.v1'),
        public: env.str('TOPIC_DOSSIER_PUBLIC', 'onestop.dossier.public.v1'),
      },
      consumerGroup: env.str('CONSUMER_GROUP', SERVICE_NAME),
      jwtSecret: env.secret('JWT_SECRET', 'dev-only-secret-change-me-0123456789'),
      jwtIssuer: env.str('JWT_ISSUER', 'onestop-pulse'),
      backgroundWorkers: env.bool('BACKGROUND_WORKERS', true),
      deadlines: {
        dueSoonWindowMinutes: env.int('DUE_SOON_WINDOW_MINUTES', 24 * 60, 1),
        pollIntervalMs: env.int('DEADLINE_POLL_INTERVAL_MS', 1000, 10, 60_000),
        batchSize: env.int('DEADLINE_BATCH_SIZE', 200, 1, 5000),
      },
    }),
    source,
  );
}
