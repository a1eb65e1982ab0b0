import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { issueToken, type Officer } from '@onestop/http';
import { createTestDatabase, createTestTopics, endpointsFromEnv, testKafka, type TestDatabase } from '@onestop/testing';
import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { createIntakeApp } from '../../src/app.factory';
import { loadIntakeConfig, type IntakeConfig } from '../../src/config/intake.config';

export const JWT = { secret: 'intake-test-secret-0123456789abcdef', issuer: 'onestop-pulse' };

export interface Infra {
  db: TestDatabase;
  topics: { internal: string; public: string; delete: () => Promise<void> };
  env: Record<string, string>;
  config: IntakeConfig;
}

/** A fresh database (real migrations run at app start) and unique topics for one suite. */
export async function provisionInfra(prefix: string, extraEnv: Record<string, string> = {}): Promise<Infra> {
  const db = await createTestDatabase(prefix);
  const t = await createTestTopics([`${prefix}.lifecycle`, `${prefix}.public`], 3);
  const { kafkaBrokers } = endpointsFromEnv();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TOPIC_DOSSIER_INTERNAL: t.names[0] as string,
    TOPIC_DOSSIER_PUBLIC: t.names[1] as string,
    JWT_SECRET: JWT.secret,
    JWT_ISSUER: JWT.issuer,
    OUTBOX_RELAY_POLL_MS: '200',
    KAFKA_ENSURE_TOPICS: 'false',
    DATABASE_POOL_SIZE: '8',
    HTTP_BODY_LIMIT_BYTES: '65536',
    LOG_LEVEL: 'warn',
    // the lifecycle consumer joins a Kafka group at start: only the suites about it turn it on (with a group of their own)
    INTAKE_LIFECYCLE_CONSUMER: 'false',
    ...extraEnv,
  };
  return { db, topics: { internal: t.names[0] as string, public: t.names[1] as string, delete: t.delete }, env, config: loadIntakeConfig(env) };
}

export async function startApp(config: IntakeConfig, overrides: Parameters<typeof createIntakeApp>[1] = {}): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createIntakeApp(config, { logger: false, ...overrides });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

export function tokenFor(officer: Partial<Officer> & { unitId: string }): string {
  return issueToken(JWT, { officerId: officer.officerId ?? `officer-${officer.unitId}`, name: officer.name ?? 'Nguyễn Văn Cán Bộ', unitId: officer.unitId, roles: officer.roles ?? ['officer'] });
}

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch + JSON, with Idempotency-Key on POSTs (a fresh one unless given). */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string; idempotencyKey?: string | null; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  if (method === 'POST' && opts.idempotencyKey !== null) headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (HTML receipt, metrics)
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Collects every message of the given topics from the beginning (a fresh group). */
export async function collectTopic(topics: string[]): Promise<{ messages: { topic: string; key: string; value: Record<string, unknown>; headers: Record<string, string> }[]; stop: () => Promise<void> }> {
  const kafka = testKafka();
  const consumer: Consumer = kafka.consumer({ groupId: `intake-test-${randomUUID()}` });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  const messages: { topic: string; key: string; value: Record<string, unknown>; headers: Record<string, string> }[] = [];
  // What is on the wire, once per record: this test consumer itself may be handed a record again (a rebalance
  // before its offsets were committed); a duplicate the producer wrote has an offset of its own and is kept.
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
      const at = `${topic}\u0001${partition}\u0001${message.offset}`;
      if (seen.has(at)) return; // redelivered to this test consumer, not written twice
      seen.add(at);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
      messages.push({ topic, key: String(message.key), value: JSON.parse(String(message.value)), headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** A running app on fresh infrastructure for one suite, plus a pg client on its database (set up in beforeAll). */
export interface IntakeSuite {
  infra: Infra;
  app: NestFastifyApplication;
  url: string;
  pg: Client;
  /** Rows of an `intake` table. */
  count(table: string): Promise<number>;
}

/** Registers beforeAll/afterAll that provision the infrastructure, start the app and clean up; read fields in tests. */
export function useIntakeSuite(prefix: string, extraEnv: Record<string, string> = {}): IntakeSuite {
  const s = {
    count: async (table: string) => Number((await s.pg.query(`SELECT count(*)::int AS n FROM intake.${table}`)).rows[0].n),
  } as IntakeSuite;
  beforeAll(async () => {
    s.infra = await provisionInfra(prefix, extraEnv);
    Object.assign(s, await startApp(s.infra.config));
    s.pg = new Client({ connectionString: s.infra.db.url });
    await s.pg.connect();
  });
  afterAll(async () => {
    await s.pg?.end();
    await s.app?.close();
    await s.infra?.topics.delete().catch(() => undefined);
    await s.infra?.db.drop();
  });
  return s;
}
