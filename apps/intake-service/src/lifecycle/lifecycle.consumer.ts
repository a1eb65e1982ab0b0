import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HEADERS, readHeader, type DossierEventV1 } from '@onestop/contracts';
import { createIdempotentProducer, createKafka, EventConsumer, parseDossierEvent, retryUntilStarted, type ParseResult } from '@onestop/messaging';
import { logLevel, type KafkaMessage, type Producer } from 'kafkajs';
import { INTAKE_CONFIG, type IntakeConfig } from '../config/intake.config';
import { PRODUCER } from '../dossiers/dossier-events';
import { IntakeMetrics } from '../outbox/intake-metrics';
import { LifecycleRepository } from './lifecycle.repository';

export type LifecycleConsumerState = 'disabled' | 'starting' | 'running' | 'restarting' | 'stopped';

/** Stands for an event intake produced itself: counted, never validated again nor stored. */
const OWN = Symbol('own-event');
type Consumed = DossierEventV1 | typeof OWN;

/**
 * Intake's own events (most of the topic while counters are busy) are recognised by their `producer` header (or,
 * on messages written before the header existed, their top-level `producer` after a bare JSON.parse) and left out
 * before the contract validation, so following the topic costs intake little
 * CPU beside `POST /dossiers` (ADR 0204); they were validated when intake built them. Everything else goes through
 * the shared `parseDossierEvent` (contract + key), whose refusals are dead-lettered.
 */
export function parseLifecycleMessage(m: KafkaMessage): ParseResult<Consumed> {
  // the relay names the producer in a header (HEADERS.Producer): intake's own events are passed over unparsed
  if (readHeader(m.headers, HEADERS.Producer) === PRODUCER) return { ok: true, event: OWN };
  try {
    const v = m.value == null ? undefined : (JSON.parse(m.value.toString('utf8')) as unknown);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { producer?: unknown }).producer === PRODUCER) return { ok: true, event: OWN };
  } catch {
    // not JSON: parseDossierEvent says why
  }
  return parseDossierEvent(m);
}

/**
 * Follows the internal lifecycle topic (consumer group `INTAKE_LIFECYCLE_GROUP_ID`) with the shared
 * `EventConsumer` of @onestop/messaging: contract validation, dead letters with their reason on `<topic>.dlq`,
 * offsets committed after the batch's transaction. Intake's own events are ignored (intake wrote them first);
 * the others are stored and applied by `LifecycleRepository` (ADR 0208). Runs beside the HTTP server, never
 * on the request path; Kafka being down only delays the view (the start is retried in the background).
 */
@Injectable()
export class LifecycleConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(LifecycleConsumer.name);
  private consumer?: EventConsumer<Consumed>;
  private producer?: Producer;
  private stopping = false;
  private starting?: Promise<void>;
  /** Ends the start loop's wait between attempts (shutdown). */
  private wakeStart?: () => void;
  private stateValue: LifecycleConsumerState;
  private lastErrorValue?: string;

  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LifecycleRepository) private readonly store: LifecycleRepository,
    @Inject(IntakeMetrics) private readonly metrics: IntakeMetrics,
  ) {
    this.stateValue = config.lifecycleConsumer.enabled ? 'starting' : 'disabled';
  }

  /**
   * For the health details. Once started, the state follows the kafkajs consumer (`restarting` while the broker is
   * away or a replacement joins, ADR 0004) and `lastError` its last crash: a broker outage said `running` with no error
   * (black-box round 8).
   */
  status(): { enabled: boolean; state: LifecycleConsumerState; groupId: string; topic: string; lastError?: string } {
    const live = this.stateValue === 'running' ? this.consumer?.status : undefined;
    const state: LifecycleConsumerState = live ? (live.state === 'starting' ? 'running' : live.state) : this.stateValue;
    const lastError = live?.state === 'restarting' ? (live.lastError ?? this.lastErrorValue) : this.lastErrorValue;
    return {
      enabled: this.config.lifecycleConsumer.enabled,
      state,
      groupId: this.config.lifecycleConsumer.groupId,
      topic: this.config.topics.internal,
      ...(lastError ? { lastError } : {}),
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.lifecycleConsumer.enabled) return;
    this.starting = this.startWithRetry().finally(() => {
      this.starting = undefined;
    });
  }

  private async startWithRetry(): Promise<void> {
    const loop = retryUntilStarted(
      async () => {
        await this.startOnce();
        if (this.stopping) {
          await this.disconnect(); // shut down while it was starting
          return;
        }
        this.stateValue = 'running';
        this.lastErrorValue = undefined;
        this.log.log({ msg: 'lifecycle consumer running', groupId: this.config.lifecycleConsumer.groupId, topic: this.config.topics.internal });
      },
      {
        initialMs: 500,
        maxMs: 10_000,
        stopped: () => this.stopping,
        onFailure: async (err) => {
          this.lastErrorValue = String(err);
          this.log.warn({ msg: 'lifecycle consumer could not start (will retry)', error: String(err) });
          await this.disconnect(); // the attempt's half-connected clients, before the wait
        },
      },
    );
    this.wakeStart = () => loop.wake();
    await loop.done;
  }

  private async startOnce(): Promise<void> {
    const kafka = createKafka(
      { brokers: this.config.kafka.brokers, clientId: `${this.config.kafka.clientId}-lifecycle` },
      { logCreator: () => (entry) => (entry.level <= logLevel.WARN ? this.log.warn({ msg: `kafkajs: ${entry.log.message}` }) : undefined) },
    );
    this.producer = createIdempotentProducer(kafka);
    await this.producer.connect();
    this.consumer = new EventConsumer<Consumed>({
      kafka,
      groupId: this.config.lifecycleConsumer.groupId,
      topics: [this.config.topics.internal],
      dlqProducer: this.producer,
      parse: parseLifecycleMessage,
      // a lookup view may lag half a second: fetch larger batches instead of one per few messages while the
      // counters are busy (each fetch, commit and heartbeat costs the service CPU beside POST /dossiers)
      minBytes: 256 * 1024,
      maxWaitTimeInMs: 500,
      handleBatch: (batch) => this.handle(batch.map((b) => b.event)),
      onError: (err) => {
        this.lastErrorValue = String(err);
        this.metrics.lifecycleErrors.inc();
        this.log.error({ msg: 'lifecycle batch failed (retried)', error: String(err) });
      },
      onDeadLetter: (l) => {
        this.metrics.lifecycleDeadLettered.inc();
        this.log.warn({ msg: 'lifecycle event dead-lettered', topic: l.topic, partition: l.partition, offset: l.offset, reason: l.reason });
      },
    });
    await this.consumer.start();
  }

  /** One transaction per batch; intake's own events are counted and left out. */
  async handle(events: Consumed[]): Promise<void> {
    const others = events.filter((e): e is DossierEventV1 => e !== OWN && e.producer !== PRODUCER);
    const own = events.length - others.length;
    const outcome = await this.store.apply(others);
    const now = Date.now();
    for (const e of others) this.metrics.lifecycleLag.observe(Math.max(0, now - Date.parse(e.occurredAt)) / 1000);
    if (own > 0) this.metrics.lifecycleConsumed.inc({ outcome: 'own' }, own);
    if (outcome.applied > 0) this.metrics.lifecycleConsumed.inc({ outcome: 'applied' }, outcome.applied);
    if (outcome.duplicates > 0) this.metrics.lifecycleConsumed.inc({ outcome: 'duplicate' }, outcome.duplicates);
    if (outcome.unknownDossier > 0) this.metrics.lifecycleConsumed.inc({ outcome: 'unknown_dossier' }, outcome.unknownDossier);
  }

  private async disconnect(): Promise<void> {
    await this.consumer?.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.producer = undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeStart?.();
    // a start still retrying against a dead broker sees `stopping` and cleans up after itself; not waited for long
    await Promise.race([this.starting?.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.disconnect();
    if (this.stateValue !== 'disabled') this.stateValue = 'stopped';
  }
}
