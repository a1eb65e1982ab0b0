import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_OPTIONS, JwtAuthGuard, ProblemDetailsFilter } from '@onestop/http';
import { CorrelationIdMiddleware, ObservabilityModule } from '@onestop/observability';
import { LifecycleServiceModule } from '@onestop/messaging';
import { postgresDataSourceOptions } from '@onestop/persistence';
import { CLOCK, SystemClock, type Clock } from './clock/clock';
import { RESULT_CONFIG, type ResultConfig } from './config/result.config';
import { ResultDossierRepository } from './dossiers/result-dossier.repository';
import { RESULT_ENTITIES } from './dossiers/result.entities';
import { ResultRules } from './dossiers/result-rules';
import { ResultsController } from './dossiers/results.controller';
import { ResultsService } from './dossiers/results.service';
import { ResultProjector } from './lifecycle/result.projector';
import { RESULT_MIGRATIONS } from './migrations';

export function resultDataSourceOptions(cfg: ResultConfig) {
  return postgresDataSourceOptions({
    url: cfg.database.url,
    schema: cfg.schema,
    entities: RESULT_ENTITIES,
    migrations: RESULT_MIGRATIONS,
    applicationName: cfg.service,
  });
}

/** result-service: results (paper / electronic), fees and payment, return to the applicant, rating. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(cfg: ResultConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService(cfg.service),
        // Postgres (migrated at boot), /health, outbox relay, lifecycle consumer feeding the projector, LifecycleEvents.
        LifecycleServiceModule.forRoot({ config: cfg, dataSource: resultDataSourceOptions(cfg), handler: ResultProjector }),
      ],
      controllers: [ResultsController],
      providers: [
        { provide: RESULT_CONFIG, useValue: cfg },
        { provide: CLOCK, useValue: clock },
        { provide: AUTH_OPTIONS, useValue: { secret: cfg.jwtSecret, issuer: cfg.jwtIssuer } },
        JwtAuthGuard,
        { provide: APP_FILTER, useValue: new ProblemDetailsFilter() },
        ResultDossierRepository,
        ResultRules,
        ResultsService,
        ResultProjector,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}
