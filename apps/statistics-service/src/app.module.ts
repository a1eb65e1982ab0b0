import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CorrelationIdMiddleware, METRICS_REGISTRY, ObservabilityModule } from '@onestop/observability';
import type { Registry } from 'prom-client';
import { STATISTICS_CONFIG, type StatisticsConfig } from './config/statistics.config';
import { HealthController } from './health/health.controller';
import { CounterReader } from './query/counter-reader';
import { FreshnessService } from './query/freshness.service';
import { IndicatorsController } from './query/indicators.controller';
import { IndicatorsService } from './query/indicators.service';
import { LiveFeed } from './query/live-feed';
import { StatisticsRuntime, type Log } from './statistics.runtime';

export const LOG = Symbol('STATISTICS_LOG');

class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(StatisticsRuntime) private readonly runtime: StatisticsRuntime,
    @Inject(LiveFeed) private readonly live: LiveFeed,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.live.start();
    if (!this.runtime.config.consumerEnabled) return;
    if (this.runtime.config.consumerThread) await this.runtime.startConsumerThread(this.registry);
    else await this.runtime.startConsumer(this.registry);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.live.stop();
    await this.runtime.close();
  }
}

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: StatisticsConfig, log: Log): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forService('statistics-service'), TerminusModule],
      controllers: [IndicatorsController, HealthController],
      providers: [
        { provide: STATISTICS_CONFIG, useValue: config },
        { provide: LOG, useValue: log },
        { provide: StatisticsRuntime, useFactory: () => StatisticsRuntime.open(config, log) },
        { provide: LiveFeed, useFactory: (r: StatisticsRuntime) => new LiveFeed(config.redis.url, r.cache.channel), inject: [StatisticsRuntime] },
        {
          provide: FreshnessService,
          useFactory: async (r: StatisticsRuntime) => new FreshnessService(r.pool, await r.kafkaAdmin(), config.topic, config.groupId),
          inject: [StatisticsRuntime],
        },
        {
          provide: IndicatorsService,
          useFactory: (r: StatisticsRuntime, f: FreshnessService) => new IndicatorsService(r.pool, new CounterReader(r.pool, r.cache, (u) => r.engine.storedUnitOf(u)), f, r.engine, config.dueSoonHours),
          inject: [StatisticsRuntime, FreshnessService],
        },
        Lifecycle,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}
