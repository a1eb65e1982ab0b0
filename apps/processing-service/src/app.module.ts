import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_OPTIONS, JwtAuthGuard, ProblemDetailsFilter } from '@onestop/http';
import { CorrelationIdMiddleware, ObservabilityModule } from '@onestop/observability';
import { LifecycleServiceModule } from '@onestop/messaging';
import { postgresDataSourceOptions } from '@onestop/persistence';
import { CLOCK, SystemClock, type Clock } from './clock/clock';
import { PROCESSING_CONFIG, type ProcessingConfig } from './config/processing.config';
import { DeadlineWatcherService } from './deadlines/deadline-watcher.service';
import { DeadlineWatchEntity } from './deadlines/deadline-watch.entity';
import { DossierEntity } from './dossiers/dossier.entity';
import { DossierRepository } from './dossiers/dossier.repository';
import { DossiersController } from './dossiers/dossiers.controller';
import { DossiersService } from './dossiers/dossiers.service';
import { DueDateChangeEntity } from './dossiers/due-date-change.entity';
import { InterAgencyStepEntity } from './dossiers/inter-agency-step.entity';
import { AgencyCatalogue } from './dossiers/agency-catalogue';
import { LifecycleRules } from './dossiers/lifecycle-rules';
import { PauseIntervalEntity } from './dossiers/pause-interval.entity';
import { ProcessingEvents } from './infrastructure/processing-events';
import { LifecycleProjector } from './lifecycle/lifecycle.projector';
import { ProcessedEventEntity } from './lifecycle/processed-event.entity';
import { PROCESSING_MIGRATIONS } from './migrations';
import { WorkQueueController } from './work-queue/work-queue.controller';

export const PROCESSING_ENTITIES = [
  DossierEntity,
  InterAgencyStepEntity,
  PauseIntervalEntity,
  DueDateChangeEntity,
  DeadlineWatchEntity,
  ProcessedEventEntity,
];

export function processingDataSourceOptions(cfg: ProcessingConfig) {
  return postgresDataSourceOptions({
    url: cfg.database.url,
    schema: cfg.schema,
    entities: PROCESSING_ENTITIES,
    migrations: PROCESSING_MIGRATIONS,
    applicationName: cfg.service,
  });
}

/** processing-service: officials' work on a dossier, its deadlines and work queues. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(cfg: ProcessingConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService(cfg.service),
        // Postgres (migrated at boot), /health, outbox relay, lifecycle consumer feeding the projector.
        LifecycleServiceModule.forRoot({ config: cfg, dataSource: processingDataSourceOptions(cfg), handler: LifecycleProjector }),
      ],
      controllers: [DossiersController, WorkQueueController],
      providers: [
        { provide: PROCESSING_CONFIG, useValue: cfg },
        { provide: CLOCK, useValue: clock },
        { provide: AUTH_OPTIONS, useValue: { secret: cfg.jwtSecret, issuer: cfg.jwtIssuer } },
        JwtAuthGuard,
        { provide: APP_FILTER, useValue: new ProblemDetailsFilter() },
        DossierRepository,
        LifecycleRules,
        AgencyCatalogue,
        ProcessingEvents,
        DossiersService,
        LifecycleProjector,
        DeadlineWatcherService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}
