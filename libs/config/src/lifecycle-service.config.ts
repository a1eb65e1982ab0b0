import {
  databaseConfig,
  httpConfig,
  kafkaConfig,
  type DatabaseConfig,
  type EnvReader,
  type HttpConfig,
  type KafkaConfig,
} from './env.config';

/**
 * The configuration shared by services that consume the dossier lifecycle topic, publish through their own
 * outbox (internal + public topic) and serve JWT-protected HTTP (processing-service, result-service).
 */
export interface LifecycleServiceConfig {
  service: string;
  schema: string;
  http: HttpConfig;
  database: DatabaseConfig;
  kafka: KafkaConfig;
  topics: { lifecycle: string; public: string };
  consumerGroup: string;
  jwtSecret: string;
  jwtIssuer: string;
  /** Start the background workers: Kafka consumer, outbox relay and the service's own loops (tests may turn them off). */
  backgroundWorkers: boolean;
}

/** Reads the LifecycleServiceConfig section inside `loadConfig` (bad variables join the one error). */
export function lifecycleServiceConfig(env: EnvReader, o: { service: string; schema: string; defaultPort: number }): LifecycleServiceConfig {
  return {
    service: o.service,
    schema: o.schema,
    http: httpConfig(env, o.defaultPort),
    database: databaseConfig(env),
    kafka: kafkaConfig(env, o.service),
    topics: {
      lifecycle: env.str('TOPIC_DOSSIER_INTERNAL', 'onestop.dossier.lifecycle.v1'),
      public: env.str('TOPIC_DOSSIER_PUBLIC', 'onestop.dossier.public.v1'),
    },
    consumerGroup: env.str('CONSUMER_GROUP', o.service),
    jwtSecret: env.secret('JWT_SECRET', 'dev-only-secret-change-me-0123456789'),
    jwtIssuer: env.str('JWT_ISSUER', 'onestop-pulse'),
    backgroundWorkers: env.bool('BACKGROUND_WORKERS', true),
  };
}
