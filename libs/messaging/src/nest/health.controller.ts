import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PublicRoute } from '@onestop/observability';
import { DataSource } from 'typeorm';
import { LIFECYCLE_SERVICE_OPTIONS, type LifecycleServiceOptions } from './lifecycle-service.options';
import { LifecycleConsumer } from './lifecycle.consumer';
import { OutboxRelayService } from './outbox-relay.service';

/**
 * Liveness (the process answers) and readiness (Postgres reachable) of a lifecycle service. Readiness also
 * reports the outbox relay: rows not yet published, whether Kafka took the relay's last attempt (and its
 * error), whether this replica is the one publishing. Kafka being unreachable does NOT make the service unready:
 * commands keep committing to the outbox and the relay catches up; it is reported so dashboards and alerts see it.
 * Likewise the lifecycle consumer (`lifecycleConsumer`: `state` starting | running | restarting | stopped, and
 * `lastError`) is reported but always `up`: it starts in the background and retries until the broker answers.
 */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(OutboxRelayService) private readonly relay: OutboxRelayService,
    @Inject(LifecycleConsumer) private readonly consumer: LifecycleConsumer,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LIFECYCLE_SERVICE_OPTIONS) private readonly options: LifecycleServiceOptions,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('outboxRelay');
        const relay = this.relay.relay;
        const pending = this.relay.pendingStart;
        if (relay === undefined && pending !== undefined) {
          // waiting for the broker to create its topics: not publishing yet, commands still commit to the outbox
          const backlog = await this.pendingRows().catch(() => -1);
          const details = { enabled: true, state: 'starting', backlog, kafkaConnected: false, ...(pending.lastError !== null ? { kafkaError: pending.lastError } : {}), leader: false, lastPublishedAt: null };
          return backlog >= 0 ? indicator.up(details) : indicator.down(details);
        }
        if (relay === undefined) return indicator.up({ enabled: false });
        const backlog = await relay.backlog().catch(() => -1);
        const details = { enabled: true, backlog, ...relay.status() };
        // the backlog unreadable: Postgres is unreachable (the postgres check says so too)
        return backlog >= 0 ? indicator.up(details) : indicator.down(details);
      },
      // reported, never failing readiness: the consumer only delays the service's projection, commands still work
      () => this.indicators.check('lifecycleConsumer').up(this.consumer.status()),
    ]);
  }

  /** Outbox rows not yet published, read through the service's DataSource (while the relay is not running). */
  private async pendingRows(): Promise<number> {
    const schema = `"${this.options.config.schema.replace(/"/g, '""')}"`;
    const rows = (await this.ds.query(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE published_at IS NULL`)) as { n: number }[];
    return rows[0]?.n ?? 0;
  }
}
