import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { openAndMigrate } from '@onestop/persistence';
import { HealthController } from './health.controller';
import { LifecycleEvents } from './lifecycle-events';
import {
  LIFECYCLE_EVENT_HANDLER,
  LIFECYCLE_SERVICE_OPTIONS,
  type LifecycleServiceModuleAsyncOptions,
  type LifecycleServiceOptions,
} from './lifecycle-service.options';
import { LifecycleConsumer } from './lifecycle.consumer';
import { OutboxRelayService } from './outbox-relay.service';

/** Holds the resolved options, so that TypeORM's root module and the glue below read the same object. */
@Module({})
class LifecycleServiceOptionsModule {}

/**
 * The Nest glue every lifecycle service (processing, result) shares: Postgres through TypeORM (the schema is
 * created and migrated at boot, never synchronized), `GET /health/live|ready` (Terminus), the outbox relay of
 * the service's schema, the validating consumer of the lifecycle topic feeding the service's handler (relay and
 * consumer start in the background, retried until the broker answers: Kafka down never keeps the app from
 * listening), and `LifecycleEvents` (envelopes + outbox append). The service keeps its own config, entities, projector and
 * HTTP API; its `METRICS_REGISTRY` comes from the global `ObservabilityModule`.
 */
@Module({})
export class LifecycleServiceModule {
  static forRoot(options: LifecycleServiceOptions & Pick<LifecycleServiceModuleAsyncOptions, 'handler'>): DynamicModule {
    const { handler, ...resolved } = options;
    return LifecycleServiceModule.forRootAsync({ useFactory: () => resolved, handler });
  }

  static forRootAsync(o: LifecycleServiceModuleAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: LIFECYCLE_SERVICE_OPTIONS, useFactory: o.useFactory, inject: o.inject ?? [] };
    // One module object, imported twice: Nest 11 identifies dynamic modules by reference, so it is one instance.
    const optionsModule: DynamicModule = {
      module: LifecycleServiceOptionsModule,
      imports: o.imports ?? [],
      providers: [optionsProvider],
      exports: [LIFECYCLE_SERVICE_OPTIONS],
    };
    return {
      module: LifecycleServiceModule,
      imports: [
        optionsModule,
        TerminusModule,
        TypeOrmModule.forRootAsync({
          imports: [optionsModule],
          inject: [LIFECYCLE_SERVICE_OPTIONS],
          useFactory: (resolved: LifecycleServiceOptions) => resolved.dataSource,
          // Creates the schema, then applies pending migrations (never synchronize).
          dataSourceFactory: async (options) => openAndMigrate(options as LifecycleServiceOptions['dataSource']),
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: LIFECYCLE_EVENT_HANDLER, useValue: o.handler },
        {
          provide: LifecycleEvents,
          inject: [LIFECYCLE_SERVICE_OPTIONS],
          useFactory: (resolved: LifecycleServiceOptions) => new LifecycleEvents(resolved.config),
        },
        OutboxRelayService,
        LifecycleConsumer,
      ],
      exports: [LifecycleEvents, OutboxRelayService, LifecycleConsumer],
    };
  }
}
