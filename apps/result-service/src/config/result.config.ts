import {
  databaseConfig,
  httpConfig,
  kafkaConfig,
  loadConfig,
  type DatabaseConfig,
  type HttpConfig,
  type KafkaConfig,
} from '@onestop/config';

export const SERVICE_NAME = 'result-service';
export const SCHEMA = 'result';

/** The one typed configuration of result-service, validated at boot (every bad variable in one error). */
export interface ResultConfig {
  service: string;
  schema: string;
  http: HttpConfig;
  database: DatabaseConfig;
  kafka: KafkaConfig;
  topics: { lifecycle: string; public: string };
  consumerGroup: string;
  jwtSecret: string;
  jwtIssuer: string;
  /** Start the Kafka consumer and the outbox relay (tests may turn them off). */
  backgroundWorkers: boolean;
}

export const RESULT_CONFIG = Symbol('RESULT_CONFIG');

export function loadResultConfig(source: NodeJS.ProcessEnv = process.env): ResultConfig {
  return loadConfig(
    (env) => ({
      service: SERVICE_NAME,
      schema: SCHEMA,
      http: httpConfig(env, 3003),
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
    }),
    source,
  );
}
