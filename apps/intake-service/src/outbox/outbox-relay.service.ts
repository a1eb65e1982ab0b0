import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createIdempotentProducer, createKafka, ensureTopics, isWedgedProducerError, OutboxRelay, ReplaceableProducer, replaceOnWedged } from '@onestop/messaging';
import { logLevel, type Producer } from 'kafkajs';
import { Gauge } from 'prom-client';
import { INTAKE_CONFIG, INTAKE_SCHEMA, type IntakeConfig } from '../config/intake.config';
import { SqlExecutor } from '../dossiers/sql-executor';
import { FaultPoint, maybeCrash } from './fault-point';
import { IntakeMetrics } from './intake-metrics';

/**
 * Runs the shared OutboxRelay for the intake schema. Kafka being down never blocks intake: the producer
 * (re)connects in the background while requests keep committing to the outbox; the relay catches up.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private relay?: OutboxRelay;
  private producer?: Producer;
  private producers?: ReplaceableProducer;
  private connected = false;
  private stopping = false;
  private connecting?: Promise<void>;

  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
    @Inject(IntakeMetrics) private readonly metrics: IntakeMetrics,
  ) {
    // Measured at scrape time (prom-client awaits `collect`).
    const readBacklog = () => this.backlog().catch(() => -1);
    new Gauge({
      name: 'intake_outbox_backlog',
      help: 'Outbox rows not yet published',
      registers: [metrics.registry],
      async collect() {
        this.set(await readBacklog());
      },
    });
  }

  /**
   * Whether the broker took the relay's last attempt (`OutboxRelay.kafkaConnected` of @onestop/messaging): connected,
   * and no connect or publish failed since the last success. While the outbox is empty nothing is attempted: the
   * value is that of the last attempt.
   */
  get kafkaConnected(): boolean {
    return this.relay?.kafkaConnected ?? false;
  }

  /** Why `kafkaConnected` is false after a failure (the last Kafka error), for the health details. */
  get kafkaError(): string | undefined {
    return this.relay?.status().kafkaError;
  }

  async backlog(): Promise<number> {
    const r = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${INTAKE_SCHEMA}.outbox WHERE published_at IS NULL`);
    return r[0]?.n ?? 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.relay.enabled) return;
    const kafka = createKafka(
      { brokers: this.config.relay.brokers, clientId: `${this.config.kafka.clientId}-relay` },
      { logCreator: () => (entry) => this.kafkaLog(entry.level, entry.log) },
    );
    this.producers = new ReplaceableProducer(() => createIdempotentProducer(kafka));
    this.producer = this.producers.asProducer();
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
    // the relay reconnects a replaced producer itself: readiness must report it connected again
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
    });
    this.relay = new OutboxRelay({
      databaseUrl: this.config.database.url,
      schema: INTAKE_SCHEMA,
      producer: this.producer,
      internalTopic: this.config.topics.internal,
      publicTopic: this.config.topics.public,
      batchSize: this.config.relay.batchSize,
      pollIntervalMs: this.config.relay.pollIntervalMs,
      minBatchIntervalMs: this.config.relay.minBatchIntervalMs,
      onPublished: (n, lagMs) => {
        this.metrics.outboxPublished.inc(n);
        this.metrics.outboxPublishLag.observe(lagMs / 1000);
      },
      // a producer the broker no longer accepts (restarted) is replaced; the relay reconnects it and resends
      onError: replaceOnWedged(
        this.producers,
        (err) => {
          this.metrics.relayErrors.inc();
          this.log.warn({ msg: 'outbox relay error (will retry)', error: String(err) });
          if (!isWedgedProducerError(err) && !this.connected) this.connectInBackground(kafka);
        },
        () => this.log.warn({ msg: 'outbox relay producer out of step with the broker (restarted?): replacing it' }),
      ),
      afterSendBeforeMark: () => maybeCrash(this.config.faultPoint, FaultPoint.AfterSendBeforeMark),
    });
    this.connectInBackground(kafka);
    await this.relay.start();
  }

  private connectInBackground(kafka: ReturnType<typeof createKafka>): void {
    if (this.connecting || this.stopping || !this.producer) return;
    const producer = this.producer;
    this.connecting = (async () => {
      let delay = 500;
      while (!this.stopping && !this.connected) {
        try {
          if (this.config.relay.ensureTopics) {
            await ensureTopics(kafka, [this.config.topics.internal, this.config.topics.public]).catch(() => undefined);
          }
          await producer.connect();
          this.connected = true;
          this.log.log({ msg: 'outbox relay producer connected', brokers: this.config.relay.brokers });
        } catch (err) {
          this.log.warn({ msg: 'Kafka unreachable; dossiers keep being accepted into the outbox', error: String(err) });
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 10_000);
        }
      }
    })().finally(() => {
      this.connecting = undefined;
    });
  }

  /** kafkajs logs go through the service logger (JSON lines) as warnings, one line per entry. */
  private kafkaLog(level: logLevel, log: { message: string; broker?: string }): void {
    if (level <= logLevel.WARN) this.log.warn({ msg: `kafkajs: ${log.message}`, broker: log.broker });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.relay?.stop();
    // Not awaiting a pending connect loop: against a dead broker it may sleep for seconds; it sees `stopping`.
    await this.producer?.disconnect().catch(() => undefined);
  }
}

