import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PublicRoute } from '@onestop/observability';
import { OutboxRelayService } from './outbox-relay.service';

/**
 * Liveness (the process answers) and readiness (Postgres reachable) of a lifecycle service. Readiness also
 * reports the outbox relay: rows not yet published, whether Kafka took the relay's last attempt (and its
 * error), whether this replica is the one publishing. Kafka being unreachable does NOT make the service unready:
 * commands keep committing to the outbox and the relay catches up; it is reported so dashboards and alerts see it.
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
        if (relay === undefined) return indicator.up({ enabled: false });
        const backlog = await relay.backlog().catch(() => -1);
        const details = { enabled: true, backlog, ...relay.status() };
        // the backlog unreadable: Postgres is unreachable (the postgres check says so too)
        return backlog >= 0 ? indicator.up(details) : indicator.down(details);
      },
    ]);
  }
}
