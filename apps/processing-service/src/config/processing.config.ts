import { lifecycleServiceConfig, loadConfig, type LifecycleServiceConfig } from '@onestop/config';

export const SERVICE_NAME = 'processing-service';
export const SCHEMA = 'processing';

/**
 * The one typed configuration of processing-service, validated at boot (every bad variable in one error).
 * `backgroundWorkers` also starts the deadline watcher.
 */
export interface ProcessingConfig extends LifecycleServiceConfig {
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
      ...lifecycleServiceConfig(env, { service: SERVICE_NAME, schema: SCHEMA, defaultPort: 3002 }),
      deadlines: {
        dueSoonWindowMinutes: env.int('DUE_SOON_WINDOW_MINUTES', 24 * 60, 1),
        pollIntervalMs: env.int('DEADLINE_POLL_INTERVAL_MS', 1000, 10, 60_000),
        batchSize: env.int('DEADLINE_BATCH_SIZE', 200, 1, 5000),
      },
    }),
    source,
  );
}
