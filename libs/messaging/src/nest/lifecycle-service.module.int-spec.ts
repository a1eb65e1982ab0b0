import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { METRICS_REGISTRY, ObservabilityModule } from '@onestop/observability';
import { postgresDataSourceOptions } from '@onestop/persistence';
import {
  collect,
  createTestDatabase,
  dossierCode,
  endpointsFromEnv,
  eventually,
  produce,
  receivedEvent,
  testKafka,
  uniqueName,
  type TestDatabase,
} from '@onestop/testing';
import { ensureTopics } from '../kafka.factory';
import { outboxTableDdl } from '../outbox';
import { LifecycleEvents } from './lifecycle-events';
import { LifecycleServiceModule } from './lifecycle-service.module';
import type { LifecycleServiceSettings } from './lifecycle-service.options';
import { RecordingProjector } from '../../test/support/recording-projector';
import { OutboxRelayService } from './outbox-relay.service';

const SCHEMA = 'glue';

class CreateGlueSchema1700000000000 implements MigrationInterface {
  name = 'CreateGlueSchema1700000000000';
  async up(q: QueryRunner): Promise<void> {
    for (const ddl of outboxTableDdl(SCHEMA)) await q.query(ddl);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.outbox`);
  }
}

/** The host's config, under the host's own token, from a module the factory imports. */
const GLUE_CONFIG = Symbol('GLUE_CONFIG');

@Module({})
class GlueConfigModule {
  static with(cfg: LifecycleServiceSettings): DynamicModule {
    return { module: GlueConfigModule, providers: [{ provide: GLUE_CONFIG, useValue: cfg }], exports: [GLUE_CONFIG] };
  }
}

@Module({})
class HostModule {
  static forRoot(cfg: LifecycleServiceSettings, dbUrl: string): DynamicModule {
    return {
      module: HostModule,
      imports: [
        ObservabilityModule.forService(cfg.service),
        LifecycleServiceModule.forRootAsync({
          imports: [GlueConfigModule.with(cfg)],
          inject: [GLUE_CONFIG],
          useFactory: (c: LifecycleServiceSettings) => ({
            config: c,
            dataSource: postgresDataSourceOptions({ url: dbUrl, schema: c.schema, entities: [], migrations: [CreateGlueSchema1700000000000], applicationName: c.service }),
          }),
          handler: RecordingProjector,
        }),
      ],
      providers: [RecordingProjector],
    };
  }
}

function settings(db: TestDatabase, topics: { lifecycle: string; public: string }, backgroundWorkers: boolean): LifecycleServiceSettings {
  return {
    service: 'glue-service',
    schema: SCHEMA,
    database: { url: db.url },
    kafka: { brokers: endpointsFromEnv().kafkaBrokers, clientId: uniqueName('glue') },
    topics,
    consumerGroup: uniqueName('glue'),
    backgroundWorkers,
  };
}

async function start(cfg: LifecycleServiceSettings, db: TestDatabase): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(HostModule.forRoot(cfg, db.url), new FastifyAdapter(), { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

describe(LifecycleServiceModule.name, () => {
  let db: TestDatabase;
  const topics = { lifecycle: uniqueName('lifecycle').replace(/_/g, '.'), public: uniqueName('public').replace(/_/g, '.') };

  beforeAll(async () => {
    db = await createTestDatabase('nest_glue');
    // The consumer subscribes while the relay creates the topics (both start on bootstrap): create them first.
    await ensureTopics(testKafka(), [topics.lifecycle, topics.public], 3);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('should migrate the schema, answer health, relay the outbox and feed the host handler with the options from its factory', async () => {
    const app = await start(settings(db, topics, true), db);
    const events = await collect([topics.lifecycle, topics.public, `${topics.lifecycle}.dlq`]);
    const producer = testKafka().producer();
    try {
      const base = await app.getUrl();
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      await expect(ready.json()).resolves.toMatchObject({ status: 'ok', info: { postgres: { status: 'up' } } });

      // LifecycleEvents writes to the configured schema's outbox; the relay publishes to the configured topics.
      const projector = app.get(RecordingProjector);
      const lifecycleEvents = app.get(LifecycleEvents);
      const id = dossierCode();
      const made = lifecycleEvents.make(
        'DossierReceived',
        receivedEvent({ dossierId: id, unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null }).payload,
        { correlationId: 'glue-test', occurredAt: new Date() },
      );
      expect(made.producer).toBe('glue-service');
      await projector.ds.transaction((m) => lifecycleEvents.append(m, [made]));
      await eventually(
        () => events.messages.some((m) => m.topic === topics.lifecycle && m.value['id'] === made.id) && events.messages.some((m) => m.topic === topics.public && m.key === id),
        'outbox relayed to both topics',
      );
      // readiness reports the relay: nothing left to publish, the broker took the last batch, this replica publishes.
      // The relay marks the row published after the broker's ack, so a reader can see the messages a moment before
      // the mark commits: wait for the mark rather than read readiness once.
      const relayInfo = async () => ((await (await fetch(`${base}/health/ready`)).json()) as { info?: { outboxRelay?: Record<string, unknown> } }).info?.outboxRelay;
      await eventually(async () => {
        const info = await relayInfo();
        return info?.['backlog'] === 0 && typeof info['lastPublishedAt'] === 'string';
      }, 'the relay marked the row published');
      await expect((await fetch(`${base}/health/ready`)).json()).resolves.toMatchObject({
        status: 'ok',
        info: { outboxRelay: { status: 'up', enabled: true, backlog: 0, kafkaConnected: true, leader: true, lastPublishedAt: expect.any(String) } },
      });
      const registry = app.get<symbol, Registry>(METRICS_REGISTRY);
      expect((await registry.getSingleMetric('outbox_published_total')?.get())?.values[0]?.value).toBe(1);

      // The consumer reads the configured lifecycle topic with the configured group, validates, hands over another
      // service's events and passes over the host's own (the relay's producer header names it; its commands applied it).
      await producer.connect();
      const other = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null });
      expect(other.producer).not.toBe('glue-service');
      await produce(producer, topics.lifecycle, [
        { key: 'bad', value: '{not json' },
        { key: other.key, value: JSON.stringify(other), headers: { producer: other.producer } },
      ]);
      await eventually(() => projector.applied.some((e) => e.id === other.id), "another service's event reached the handler");
      await eventually(() => events.messages.some((m) => m.topic === `${topics.lifecycle}.dlq` && m.key === 'bad'), 'invalid message dead-lettered');
      expect(projector.applied.map((e) => e.id)).toEqual([other.id]);
    } finally {
      await producer.disconnect();
      await events.stop();
      await app.close();
    }
  });

  it('should start neither the relay nor the consumer when background workers are off', async () => {
    const app = await start(settings(db, topics, false), db);
    try {
      expect(app.get(OutboxRelayService).relay).toBeUndefined();
      const ready = await fetch(`${await app.getUrl()}/health/ready`);
      expect(ready.status).toBe(200);
      await expect(ready.json()).resolves.toMatchObject({ info: { postgres: { status: 'up' }, outboxRelay: { status: 'up', enabled: false } } });
    } finally {
      await app.close();
    }
  });
});
