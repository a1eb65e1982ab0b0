import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CorrelationIdMiddleware, METRICS_REGISTRY, ObservabilityModule } from '@onestop/observability';
import type { Registry } from 'prom-client';
import { STATISTICS_CONFIG, type StatisticsConfig } from './config/statistics.config';
import { HealthController } from './health/health.controller';
import { DedupRetention } from './ingest/dedup-retention';
import { CounterMirror, registerMirrorMetrics } from './query/counter-mirror';
import { CounterReader } from './query/counter-reader';
import { FreshnessService } from './query/freshness.service';
import { IndicatorsController } from './query/indicators.controller';
import { IndicatorsService } from './query/indicators.service';
import { LiveFeed } from './query/live-feed';
import { liveIngest } from './health/consumer-health';
import { StatisticsRuntime, type Log } from './statistics.runtime';

export const LOG = Symbol('STATISTICS_LOG');

class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(StatisticsRuntime) private readonly runtime: StatisticsRuntime,
    @Inject(LiveFeed) private readonly live: LiveFeed,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(CounterMirror) private readonly mirror: CounterMirror,
    @Inject(LOG) private readonly log: Log,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    registerMirrorMetrics(this.mirror, this.registry);
    await this.live.start();
    if (!this.runtime.config.consumerEnabled) return;
    const c = this.runtime.config;
    this.retention = new DedupRetention(this.runtime.pool, { retentionDays: c.dedupRetentionDays, everyMinutes: c.dedupPruneEveryMinutes, firstDelayMs: c.dedupPruneFirstDelayMs, log: this.log, registry: this.registry });
    this.retention.start();
    if (this.runtime.config.consumerThread) await this.runtime.startConsumerThread(this.registry);
    else await this.runtime.startConsumer(this.registry);
  }

  private retention: DedupRetention | undefined;

  async onApplicationShutdown(): Promise<void> {
    await this.retention?.stop();
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
        { provide: CounterMirror, useValue: new CounterMirror({ freshMs: config.queryMirrorMs, maxAgeMs: 2 * config.queryMirrorMs }) },
        {
          provide: LiveFeed,
          useFactory: (r: StatisticsRuntime, m: CounterMirror) => new LiveFeed(config.redis.url, r.cache.channel, config.queryMirrorMs > 0 ? m : undefined, undefined, { heartbeatSeconds: config.sseHeartbeatSeconds, ingest: () => liveIngest(r) }),
          inject: [StatisticsRuntime, CounterMirror],
        },
        {
          provide: FreshnessService,
          useFactory: async (r: StatisticsRuntime) => new FreshnessService(r.pool, await r.kafkaAdmin(), config.topic, config.groupId),
          inject: [StatisticsRuntime],
        },
        {
          provide: IndicatorsService,
          useFactory: (r: StatisticsRuntime, f: FreshnessService, m: CounterMirror) =>
            new IndicatorsService(r.pool, new CounterReader(r.pool, r.cache, (u) => r.engine.storedUnitOf(u), config.queryMirrorMs > 0 ? m : undefined), f, r.engine, config.dueSoonHours),
          inject: [StatisticsRuntime, FreshnessService, CounterMirror],
        },
        Lifecycle,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('*');
  }
}
