import type { FactoryProvider, InjectionToken, ModuleMetadata } from '@nestjs/common';
import type { DossierEventV1 } from '@onestop/contracts';
import type { DataSourceOptions } from 'typeorm';

/** What the Nest glue of a lifecycle service reads from the service's config (a `LifecycleServiceConfig` fits). */
export interface LifecycleServiceSettings {
  /** Service name: producer of its events, prefix of the Kafka client ids. */
  service: string;
  /** Postgres schema that holds the service's state and its outbox. */
  schema: string;
  database: { url: string };
  kafka: { brokers: string[]; clientId: string };
  topics: { lifecycle: string; public: string };
  consumerGroup: string;
  /** Runs the outbox relay and the lifecycle consumer (false in tests that drive the parts themselves). */
  backgroundWorkers: boolean;
}

export interface LifecycleServiceOptions {
  config: LifecycleServiceSettings;
  /** The service's data source (schema, entities, migrations); migrated at boot, never synchronized. */
  dataSource: DataSourceOptions;
}

/** Applies a batch of contract-valid lifecycle events, idempotent per event id (the service's projector). */
export interface LifecycleEventHandler {
  applyBatch(events: readonly DossierEventV1[]): Promise<void>;
}

/** Injection token of the resolved `LifecycleServiceOptions`. */
export const LIFECYCLE_SERVICE_OPTIONS = Symbol('LIFECYCLE_SERVICE_OPTIONS');

/** Injection token of the token under which the host module provides its `LifecycleEventHandler`. */
export const LIFECYCLE_EVENT_HANDLER = Symbol('LIFECYCLE_EVENT_HANDLER');

export interface LifecycleServiceModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Tokens handed to `useFactory`; they resolve in `imports`. */
  inject?: FactoryProvider['inject'];
  useFactory: (...deps: never[]) => LifecycleServiceOptions | Promise<LifecycleServiceOptions>;
  /**
   * Token of the provider that applies consumed events (the service's projector, a `LifecycleEventHandler`).
   * It lives in the host module (it needs the service's repositories), so it is looked up when the consumer starts.
   */
  handler: InjectionToken<LifecycleEventHandler>;
}
