import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually, repoRoot } from '@onestop/testing';
import { freePort } from './support/child-process';
import { FIX, counterBody } from './support/fixtures';
import { call, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { loadIntakeConfig } from '../src/config/intake.config';

const run = promisify(execFile);

interface RelayDetails {
  kafkaConnected: boolean;
  kafkaError?: string;
  backlog: number;
}

/**
 * GET /health/ready's `kafkaConnected` against a broker of this suite's own (deploy/local/kafka.sh on free ports,
 * in a temporary KAFKA_HOME) that is stopped and started again: the shared broker is never touched.
 */
describe('broker status in the health details (own broker, stopped and restarted)', () => {
  jest.setTimeout(300_000);
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-broker' });
  let home: string;
  let brokerEnv: NodeJS.ProcessEnv;
  let infra: Infra | undefined;
  let app: NestFastifyApplication | undefined;
  let url: string;
  const kafka = (cmd: 'start' | 'stop') => run('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), cmd], { env: brokerEnv, timeout: 240_000 });
  type ConsumerDetails = { state: string; lastError?: string };
  const relay = async () => {
    const r = await call<{ info?: { outboxRelay: RelayDetails; lifecycleConsumer: ConsumerDetails }; error?: { outboxRelay: RelayDetails; lifecycleConsumer: ConsumerDetails } }>(url, 'GET', '/health/ready');
    return { status: r.status, relay: (r.body.info ?? r.body.error)?.outboxRelay as RelayDetails, consumer: (r.body.info ?? r.body.error)?.lifecycleConsumer as ConsumerDetails };
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'intake-broker-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    brokerEnv = { ...process.env, KAFKA_HOME: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HEAP: '384m' };
    await kafka('start');
    infra = await provisionInfra('intake_broker_status');
    // the lifecycle consumer on the same broker: its state is reported too (round 8: `running` through an outage)
    const config = loadIntakeConfig({ ...infra.env, INTAKE_LIFECYCLE_CONSUMER: 'true', KAFKA_BROKERS: `127.0.0.1:${port}`, OUTBOX_RELAY_BROKERS: `127.0.0.1:${port}`, KAFKA_ENSURE_TOPICS: 'true' });
    ({ app, url } = await startApp(config));
  });

  afterAll(async () => {
    await app?.close();
    await kafka('stop').catch(() => undefined);
    await infra?.topics.delete().catch(() => undefined);
    await infra?.db.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('should report kafkaConnected false while the broker is down, stay ready, and true again once a publish succeeds', async () => {
    expect((await call(url, 'POST', '/dossiers', { token, body: counterBody() })).status).toBe(201);
    await eventually(async () => {
      const { relay: r, consumer } = await relay();
      if (r.kafkaConnected && r.backlog === 0 && consumer.state === 'running') return true;
      throw new Error(JSON.stringify({ r, consumer })); // polling predicate: names the state seen (not a skipped test)
    }, 'the first dossier published, the lifecycle consumer running', { timeoutMs: 60_000 });

    await kafka('stop');
    // intake keeps accepting dossiers; the relay's publish fails and the details say so
    expect((await call(url, 'POST', '/dossiers', { token, body: counterBody() })).status).toBe(201);
    await eventually(async () => (await relay()).relay.kafkaConnected === false, 'kafkaConnected false with the broker down', { timeoutMs: 90_000 });
    const down = await relay();
    expect(down.status).toBe(200); // readiness is governed by the backlog, not by Kafka
    expect(down.relay.backlog).toBeGreaterThanOrEqual(1);
    // kafkajs' own error once its retries give up, or, before that, the relay's "no answer" after 10 s in flight
    expect(down.relay.kafkaError).toMatch(/KafkaJS|^no answer from the broker for \d+ s/);
    // the lifecycle consumer says it lost the broker (it said `running`, no error)
    const lost = await eventually(async () => {
      const { consumer } = await relay();
      return consumer.state === 'restarting' ? consumer : undefined;
    }, 'lifecycle consumer restarting', { timeoutMs: 60_000 });
    expect(lost.lastError).toEqual(expect.any(String));

    await kafka('start');
    await eventually(async () => {
      const { relay: r } = await relay();
      return r.kafkaConnected && r.backlog === 0;
    }, 'kafkaConnected true again and the backlog delivered', { timeoutMs: 120_000 });
    await eventually(async () => (await relay()).consumer.state === 'running', 'lifecycle consumer running again', { timeoutMs: 120_000 });
    const up = await relay();
    expect(up.status).toBe(200);
    expect(up.relay.kafkaError).toBeUndefined();
  });
});
