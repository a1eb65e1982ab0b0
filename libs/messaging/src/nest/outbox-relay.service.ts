import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@onestop/observability';
import { logLevel } from 'kafkajs';
import { createKafka, ensureTopics } from '../kafka.factory';
import { startOutboxRelay, type RunningOutboxRelay } from '../outbox-runner';
import { retryUntilStarted } from '../start-retry';
import { LIFECYCLE_SERVICE_OPTIONS, type LifecycleServiceOptions } from './lifecycle-service.options';

/**
 * Runs the transactional-outbox relay of the service's schema (publishes internal + public topics). It starts in
 * the background: its topics are created first (`startOutboxRelay` creates them and would otherwise keep the
 * HTTP server from listening while Kafka is down, then fail the boot), retried with a growing delay (1 s doubled
 * up to 30 s) until the broker answers or the service shuts down. Commands keep committing to the outbox meanwhile;
 * the relay catches up once it runs.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private running?: RunningOutboxRelay;
  private stopping = false;
  private starting?: Promise<void>;
  private wake?: () => void;
  private lastStartError: string | null = null;

  constructor(
    @Inject(LIFECYCLE_SERVICE_OPTIONS) private readonly options: LifecycleServiceOptions,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** The running relay (undefined when background workers are off, before bootstrap, or while it is starting). */
  get relay(): RunningOutboxRelay['relay'] | undefined {
    return this.running?.relay;
  }

  /** While the relay waits for the broker to create its topics: the last error of its start (null before one). */
  get pendingStart(): { lastError: string | null } | undefined {
    return this.options.config.backgroundWorkers && !this.running && !this.stopping ? { lastError: this.lastStartError } : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.options.config.backgroundWorkers) return;
    this.starting = this.startWithRetry().catch((err) => this.log.error(`outbox relay start loop failed: ${String(err)}`));
  }

  private async startWithRetry(): Promise<void> {
    const cfg = this.options.config;
    const topics = [cfg.topics.lifecycle, cfg.topics.public];
    const loop = retryUntilStarted(
      async () => {
        // a client that does not retry: fails at once while nobody listens, so that shutdown never waits for it (its
        // errors are this service's warning below, not kafkajs's log lines)
        await ensureTopics(createKafka({ brokers: cfg.kafka.brokers, clientId: `${cfg.kafka.clientId}-relay-probe`, level: logLevel.NOTHING }, { retry: { retries: 0 } }), topics);
        if (this.stopping) return;
        // the topics exist now: startOutboxRelay's own ensureTopics answers at once, and the relay owns its connection
        const running = await startOutboxRelay({
          brokers: cfg.kafka.brokers,
          clientId: `${cfg.kafka.clientId}-relay`,
          databaseUrl: cfg.database.url,
          schema: cfg.schema,
          internalTopic: cfg.topics.lifecycle,
          publicTopic: cfg.topics.public,
          registry: this.registry,
          onError: (err) => this.log.error(err instanceof Error ? err.message : String(err)),
        });
        if (this.stopping) await running.stop(); // shut down while it was starting
        else this.running = running;
      },
      {
        initialMs: 1000,
        maxMs: 30_000,
        stopped: () => this.stopping,
        onFailure: (err, _n, delay) => {
          this.lastStartError = err instanceof Error ? err.message : String(err);
          this.log.warn(`outbox relay could not create its topics (retrying in ${delay} ms): ${this.lastStartError}`);
        },
      },
    );
    this.wake = () => loop.wake();
    await loop.done;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // a probe fails at once; a start in flight against a broker that just went away is not waited out (it stops
    // the relay itself when it returns)
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise<void>((r) => (grace = setTimeout(r, 5000)))]);
    if (grace) clearTimeout(grace);
    await this.running?.stop();
  }
}
