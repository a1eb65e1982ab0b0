import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel } from 'kafkajs';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { ObservabilityModule } from '@onestop/observability';
import { postgresDataSourceOptions } from '@onestop/persistence';
import { createTestDatabase, dossierCode, eventually, freePort, produce, receivedEvent, repoRoot, uniqueName, type TestDatabase } from '@onestop/testing';
import { outboxTableDdl } from '../src/outbox';
import { LifecycleConsumer, LifecycleServiceModule, type LifecycleServiceSettings } from '../src/nest';
import { RecordingProjector } from './support/recording-projector';

/**
 * Defect: processing-service and result-service could not start while Kafka was down (the lifecycle consumer's
 * start, awaited on bootstrap, kept `app.listen` waiting, then crashed the process with KafkaJSNonRetriableError),
 * and after a SIGKILL they listened only once the group join had waited out the dead member's session. The
 * consumer now starts in the background, retried with backoff; `/health/ready` reports it (`lifecycleConsumer`)
 * without failing readiness.
 */

const SCHEMA = 'start_glue';
const run = promisify(execFile);

class CreateStartGlueSchema1700000000000 implements MigrationInterface {
  name = 'CreateStartGlueSchema1700000000000';
  async up(q: QueryRunner): Promise<void> {
    for (const ddl of outboxTableDdl(SCHEMA)) await q.query(ddl);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.outbox`);
  }
}

@Module({})
class HostModule {
  static forRoot(cfg: LifecycleServiceSettings, dbUrl: string): DynamicModule {
    return {
      module: HostModule,
      imports: [
        ObservabilityModule.forService(cfg.service),
        LifecycleServiceModule.forRoot({
          config: cfg,
          dataSource: postgresDataSourceOptions({ url: dbUrl, schema: SCHEMA, entities: [], migrations: [CreateStartGlueSchema1700000000000], applicationName: cfg.service }),
          handler: RecordingProjector,
        }),
      ],
      providers: [RecordingProjector],
    };
  }
}

function settings(db: TestDatabase, brokers: string[]): LifecycleServiceSettings {
  const lifecycle = uniqueName('lifecycle').replace(/_/g, '.');
  return {
    service: 'start-glue-service',
    schema: SCHEMA,
    database: { url: db.url },
    kafka: { brokers, clientId: uniqueName('start-glue') },
    topics: { lifecycle, public: uniqueName('public').replace(/_/g, '.') },
    consumerGroup: uniqueName('start-glue'),
    backgroundWorkers: true,
  };
}

interface ConsumerDetails {
  status: string;
  enabled: boolean;
  state: string;
  lastError: string | null;
}

async function readiness(base: string): Promise<{ status: number; consumer: ConsumerDetails | undefined; relay: Record<string, unknown> | undefined }> {
  const r = await fetch(`${base}/health/ready`);
  const body = (await r.json()) as { info?: { lifecycleConsumer?: ConsumerDetails; outboxRelay?: Record<string, unknown> } };
  return { status: r.status, consumer: body.info?.lifecycleConsumer, relay: body.info?.outboxRelay };
}

/** Creates the app and listens; fails the test if it does not listen within `withinMs`. */
async function listenWithin(cfg: LifecycleServiceSettings, db: TestDatabase, withinMs: number): Promise<NestFastifyApplication> {
  const t0 = Date.now();
  const app = await NestFactory.create<NestFastifyApplication>(HostModule.forRoot(cfg, db.url), new FastifyAdapter(), { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const took = Date.now() - t0;
  if (took > withinMs) {
    await app.close();
    throw new Error(`the app took ${took} ms to listen (allowed ${withinMs} ms)`);
  }
  return app;
}

describe('lifecycle service start with Kafka down (LifecycleServiceModule)', () => {
  jest.setTimeout(300_000);
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('lifecycle_start');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('should listen at once and stay ready, reporting the lifecycle consumer not running, when nobody listens at the broker address', async () => {
    // a port nobody listens on: every connection is refused
    const cfg = settings(db, [`127.0.0.1:${await freePort()}`]);
    const app = await listenWithin(cfg, db, 8000);
    let closed = false;
    try {
      const base = await app.getUrl();
      const first = await readiness(base);
      expect(first.status).toBe(200);
      expect(first.consumer).toMatchObject({ status: 'up', enabled: true, state: 'starting', groupId: cfg.consumerGroup, topic: cfg.topics.lifecycle });
      // the first attempt fails at once (connection refused): reported, readiness still 200
      await eventually(async () => typeof (await readiness(base)).consumer?.lastError === 'string', 'the failed start reported');
      const later = await readiness(base);
      expect(later.status).toBe(200);
      expect(later.consumer).toMatchObject({ status: 'up', state: 'starting', lastError: expect.any(String) });
      expect(later.consumer?.state).not.toBe('running');
      // the outbox relay waits for the broker too (its topics), reported and ready: commands keep committing
      expect(later.relay).toMatchObject({ status: 'up', enabled: true, state: 'starting', backlog: 0, kafkaConnected: false });
      expect(app.get(LifecycleConsumer).status()).toMatchObject({ failedStarts: expect.any(Number) });

      // shutdown during the pending start is prompt (no kafkajs retry budget waited out)
      const t0 = Date.now();
      await app.close();
      closed = true;
      expect(Date.now() - t0).toBeLessThan(6000);
      expect(app.get(LifecycleConsumer).status()).toMatchObject({ state: 'stopped' });
    } finally {
      if (!closed) await app.close();
    }
  });

  describe('with a broker of its own, stopped at start then started', () => {
    let home: string;
    let brokerEnv: NodeJS.ProcessEnv;
    let port: number;
    const broker = (cmd: 'start' | 'stop') => run('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), cmd], { env: brokerEnv, timeout: 240_000 });

    beforeAll(async () => {
      home = await mkdtemp(path.join(tmpdir(), 'lifecycle-start-broker-'));
      [port] = [await freePort()];
      brokerEnv = { ...process.env, KAFKA_HOME: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(await freePort()), KAFKA_HEAP: '384m' };
      await run('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), 'fetch'], { env: brokerEnv, timeout: 240_000 });
    });
    afterAll(async () => {
      await broker('stop').catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    });

    it('should start its consumer once the broker answers (creating the topics) and consume an event', async () => {
      const cfg = settings(db, [`127.0.0.1:${port}`]);
      const app = await listenWithin(cfg, db, 8000);
      const kafka = new Kafka({ clientId: uniqueName('lifecycle-start-test'), brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      try {
        const base = await app.getUrl();
        await eventually(async () => typeof (await readiness(base)).consumer?.lastError === 'string', 'the failed start reported');
        expect(await readiness(base)).toMatchObject({ status: 200, consumer: { state: 'starting' } });

        await broker('start');
        // the consumer creates the lifecycle topic (and its .dlq) on this broker, then joins its group
        await eventually(async () => (await readiness(base)).consumer?.state === 'running', 'the consumer running', { timeoutMs: 120_000 });
        await producer.connect();
        const other = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null });
        await produce(producer, cfg.topics.lifecycle, [{ key: other.key, value: JSON.stringify(other), headers: { producer: other.producer } }]);
        const projector = app.get(RecordingProjector);
        await eventually(() => projector.applied.some((e) => e.id === other.id), 'the event reached the handler', { timeoutMs: 60_000 });
        expect(await readiness(base)).toMatchObject({ status: 200, consumer: { status: 'up', state: 'running' } });
        // the relay started too once the broker answered
        await eventually(async () => (await readiness(base)).relay?.['leader'] === true, 'the outbox relay running');
      } finally {
        await producer.disconnect();
        await app.close();
      }
    });
  });
});
