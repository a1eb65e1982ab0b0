import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { safeParseEvent, type DossierEventV1 } from '@onestop/contracts';
import { EventConsumer, createIdempotentProducer, createKafka, type ConsumedEvent } from '@onestop/messaging';
import type { Producer } from 'kafkajs';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import { ResultProjector } from './result.projector';

/**
 * Kafka adapter: reads `onestop.dossier.lifecycle.v1`, validates every message with the contract
 * (invalid → `<topic>.dlq` with the reason; the partition keeps moving) and hands valid events to the
 * projector, which applies each batch in one transaction, idempotent by event id.
 */
@Injectable()
export class LifecycleConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(LifecycleConsumer.name);
  private consumer?: EventConsumer<DossierEventV1>;
  private producer?: Producer;

  constructor(
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
    private readonly projector: ResultProjector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.cfg.backgroundWorkers) await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.producer?.disconnect();
  }

  async start(): Promise<void> {
    const kafka = createKafka({ brokers: this.cfg.kafka.brokers, clientId: `${this.cfg.kafka.clientId}-consumer` });
    this.producer = createIdempotentProducer(kafka);
    await this.producer.connect();
    this.consumer = new EventConsumer<DossierEventV1>({
      kafka,
      groupId: this.cfg.consumerGroup,
      topics: [this.cfg.topics.lifecycle],
      dlqProducer: this.producer,
      parse: (m) => {
        const r = safeParseEvent(m.value);
        return r.ok ? { ok: true, event: r.event } : { ok: false, reason: `${r.code}: ${r.path} ${r.reason}` };
      },
      handleBatch: (events: ConsumedEvent<DossierEventV1>[]) => this.projector.applyBatch(events.map((e) => e.event)),
      onError: (err) => this.log.error(err instanceof Error ? err.message : String(err)),
      onDeadLetter: (l) => this.log.warn(`dead-lettered ${l.topic}[${l.partition}]@${l.offset}: ${l.reason}`),
    });
    await this.consumer.start();
  }
}
