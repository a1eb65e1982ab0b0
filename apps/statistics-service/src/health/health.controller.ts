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

  private consumer(): Record<string, unknown> {
    if (!this.runtime.config.consumerEnabled) return { enabled: false };
    const all = this.runtime.consumerStatus();
    if (all.length === 0) return { enabled: true, state: 'starting', brokerReachable: false, lastFetchAt: null, lastBatchAt: null, replacements: 0, lastCrash: null, degraded: true };
    const newest = (k: 'lastFetchAt' | 'lastBatchAt') => all.map((s) => s[k]).filter((v): v is string => v !== null).sort().pop() ?? null;
    const states = [...new Set(all.map((s) => s.state))];
    const brokerReachable = all.every((s) => s.brokerReachable);
    return {
      enabled: true,
      state: states.length === 1 ? states[0] : states.join(','),
      brokerReachable,
      lastFetchAt: newest('lastFetchAt'),
      lastBatchAt: newest('lastBatchAt'),
      // kafkajs gave up and its consumer was replaced (ADR 0004): how often, and what it said last
      replacements: all.reduce((n, s) => n + s.replacements, 0),
      lastCrash: all.map((s) => s.lastCrash).filter((c) => c !== null).sort((a, b) => a.at.localeCompare(b.at)).pop() ?? null,
      // not a member of the group (restarting, or a join refused) is degraded too, even with the broker answering
      degraded: !brokerReachable || all.some((s) => s.state !== 'running'),
      ...(all.length > 1 ? { threads: all } : {}),
    };
  }
}
