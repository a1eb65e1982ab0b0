import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StatisticsRuntime } from '../statistics.runtime';

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

  /** Ready when Postgres answers; Redis down only degrades (reads fall back to Postgres). */
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
    ]);
  }
}
