import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StatisticsRuntime } from '../statistics.runtime';
import { consumerHealth, type ConsumerHealth } from './consumer-health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(StatisticsRuntime) private readonly runtime: StatisticsRuntime,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready when Postgres answers; Redis down only degrades (reads fall back to Postgres). The consumer is reported,
   * never a reason to fail: without the broker, queries still answer from Postgres / Redis (counters stop moving,
   * which `freshness` and the `statistics_consumer_*` gauges say). `degraded: true` when the broker is unreachable or
   * the consumer is not a member of its group (restarting after a crash, ADR 0004).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async (): Promise<HealthIndicatorResult> => {
        await this.runtime.pool.query('SELECT 1');
        return { postgres: { status: 'up' } };
      },
      async (): Promise<HealthIndicatorResult> => {
        const ready = await this.runtime.cache.isReady().catch(() => false);
        return { redis: { status: 'up', cacheReady: ready } };
      },
      async (): Promise<HealthIndicatorResult> => ({ consumer: { status: 'up', ...this.consumer() } }),
    ]);
  }

  private consumer(): ConsumerHealth {
    return consumerHealth(this.runtime);
  }
}
