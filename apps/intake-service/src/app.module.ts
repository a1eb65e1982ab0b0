import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '@onestop/http';
import { CorrelationIdMiddleware, ObservabilityModule } from '@onestop/observability';
import { openAndMigrate, postgresDataSourceOptions } from '@onestop/persistence';
import { DataSource } from 'typeorm';
import { DomainCatalogue } from './catalogue/domain-catalogue';
import { INTAKE_CATALOGUE, type IntakeCatalogue } from './catalogue/intake-catalogue';
import { INTAKE_CONFIG, INTAKE_SCHEMA, type IntakeConfig } from './config/intake.config';
import { CLOCK, systemClock, type Clock } from './dossiers/clock';
import { DossierIntakeService } from './dossiers/dossier-intake.service';
import { INTAKE_ENTITIES } from './dossiers/dossier.entity';
import { DossierRepository } from './dossiers/dossier.repository';
import { DossiersController } from './dossiers/dossiers.controller';
import { ReceiptGroupCommitter } from './dossiers/receipt-group-commit';
import { SqlExecutor } from './dossiers/sql-executor';
import { HealthController } from './health/health.controller';
import { ImportController } from './import/import.controller';
import { ImportService } from './import/import.service';
import { LifecycleConsumer } from './lifecycle/lifecycle.consumer';
import { LifecycleRepository } from './lifecycle/lifecycle.repository';
import { INTAKE_MIGRATIONS } from './migrations';
import { IntakeMetrics } from './outbox/intake-metrics';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { WritePipeline } from './security/write-pipeline.service';

export interface IntakeModuleOverrides {
  catalogue?: IntakeCatalogue;
  clock?: Clock;
}

@Module({})
export class IntakeModule implements NestModule {
  static forRoot(config: IntakeConfig, overrides: IntakeModuleOverrides = {}): DynamicModule {
    const dataSource: Provider = {
      provide: DataSource,
      useFactory: () =>
        openAndMigrate(
          postgresDataSourceOptions({
            url: config.database.url,
            schema: INTAKE_SCHEMA,
            entities: INTAKE_ENTITIES,
            migrations: INTAKE_MIGRATIONS,
            applicationName: config.service,
            poolSize: config.database.poolSize,
          }),
        ),
    };
    return {
      module: IntakeModule,
      imports: [
        ObservabilityModule.forService(config.service, { httpMetrics: false }),
        AuthModule.forRoot({ secret: config.auth.jwtSecret, issuer: config.auth.issuer }),
        TerminusModule,
      ],
      controllers: [DossiersController, ImportController, HealthController],
      providers: [
        { provide: INTAKE_CONFIG, useValue: config },
        { provide: INTAKE_CATALOGUE, useValue: overrides.catalogue ?? new DomainCatalogue() },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        dataSource,
        {
          provide: 'DATA_SOURCE_CLOSER',
          inject: [DataSource],
          useFactory: (ds: DataSource) => ({ onApplicationShutdown: () => ds.destroy() }),
        },
        SqlExecutor,
        DossierRepository,
        DossierIntakeService,
        ReceiptGroupCommitter,
        WritePipeline,
        IntakeMetrics,
        OutboxRelayService,
        LifecycleRepository,
        LifecycleConsumer,
        ImportService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}
