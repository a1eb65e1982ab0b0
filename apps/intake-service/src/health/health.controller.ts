import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { PublicRoute } from '@onestop/http';
import { INTAKE_CONFIG, type IntakeConfig } from '../config/intake.config';
import { SqlExecutor } from '../dossiers/sql-executor';
import { LifecycleConsumer } from '../lifecycle/lifecycle.consumer';
import { OutboxRelayService } from '../outbox/outbox-relay.service';

/**
 * Liveness: the process answers. Readiness: Postgres answers and the outbox backlog is under its bound.
 * Kafka being unreachable does NOT make intake unready (dossiers keep committing to the outbox); it is
 * reported in the relay details so dashboards and alerts see it. The lifecycle consumer's state is reported the
 * same way (`lifecycleConsumer`, always up: it only delays the lookup's view).
 */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
    @Inject(OutboxRelayService) private readonly relay: OutboxRelayService,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LifecycleConsumer) private readonly lifecycle: LifecycleConsumer,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const db = this.indicators.check('database');
        try {
          await this.sql.query('SELECT 1');
          return db.up();
        } catch (err) {
          return db.down({ error: String(err) });
        }
      },
      async () => {
        const relay = this.indicators.check('outboxRelay');
        const backlog = await this.relay.backlog().catch(() => -1);
        const details = { backlog, maxBacklog: this.config.relay.maxReadyBacklog, kafkaConnected: this.relay.kafkaConnected, ...(this.relay.kafkaError ? { kafkaError: this.relay.kafkaError } : {}), enabled: this.config.relay.enabled };
        return backlog >= 0 && backlog <= this.config.relay.maxReadyBacklog ? relay.up(details) : relay.down(details);
      },
      // informational, like Kafka for the relay: a lagging or stopped consumer delays the lookup, not intake
      async () => this.indicators.check('lifecycleConsumer').up(this.lifecycle.status()),
    ]);
  }
}
