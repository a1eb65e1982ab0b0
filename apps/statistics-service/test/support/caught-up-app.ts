import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger } from '@onestop/observability';
import { createTestDatabase, createTestTopics, createTopicsAndWait, endpointsFromEnv, eventually, type TestDatabase } from '@onestop/testing';
import { createStatisticsApp } from '../../src/bootstrap';
import { type GeneratedEvent } from './event-generator';
import { dropRedisKeys, isolatedConfig, produce, storedOffsetTotal, testKafkaClient, topicEnd } from './harness';

export interface CaughtUpApp {
  app: NestFastifyApplication;
  /** The app's HTTP base URL. */
  base: string;
  db: TestDatabase;
  topic: string;
  /** Closes the app, deletes the topics, drops the database and the Redis keys. */
  stop(): Promise<void>;
}

/**
 * The statistics service in-process (HTTP on a free port, its own database, topic with DLQ and Redis prefix), started
 * on `events` already produced and returned once it has applied them all (stored offsets = topic end): the setup of
 * the suites that check what the API answers for a known set of events.
 */
export async function startCaughtUpApp(name: string, events: GeneratedEvent[], prefix: string): Promise<CaughtUpApp> {
  const kafka = testKafkaClient();
  const db = await createTestDatabase(`stats_${name}`);
  const topics = await createTestTopics([`stats.${name}`], 2);
  const topic = topics.names[0]!;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
  await admin.disconnect();
  await produce(kafka, topic, events);
  const app = await createStatisticsApp(isolatedConfig({ topic, databaseUrl: db.url, prefix }), new JsonLogger('statistics-service', 'error'));
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const end = await topicEnd(kafka, topic);
  await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, 'caught up', { timeoutMs: 60_000 });
  return {
    app,
    base,
    db,
    topic,
    stop: async () => {
      await app.close();
      await topics.delete().catch(() => undefined);
      await db.drop();
      await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
    },
  };
}

/** An instant (ms) as a Vietnam-time ISO string with `+07:00`, as producers write `occurredAt`. */
export const vnIso = (t: number): string => new Date(t + 7 * 3600_000).toISOString().replace('Z', '+07:00');

/** Appends one more event of a dossier (type, business time, payload fields besides the dossier's own). */
export type AppendEvent = (type: string, t: number, payload: Record<string, unknown>) => void;

/**
 * Appends to `events` the `DossierReceived` of a dossier of procedure 1.000948 (5 working days) received at `unit` at
 * `received` and due `due`, and returns the function that appends its later events, each with the producer that
 * publishes its type (intake, result for fees and payments, else processing).
 */
export function receivedDossier(
  events: GeneratedEvent[],
  o: { unit: string; dossierId: string; received: number; due: number; supplementPolicy: 'PAUSE' | 'RESTART'; feeRequired: boolean },
): AppendEvent {
  const { unit, dossierId } = o;
  const ev: AppendEvent = (type, t, payload) =>
    events.push({
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: vnIso(t),
      producer: type === 'DossierReceived' ? 'intake-service' : type === 'PaymentCompleted' || type === 'FinancialObligationRequested' ? 'result-service' : 'processing-service',
      correlationId: randomUUID(),
      key: dossierId,
      payload: { dossierId, receivingUnitId: unit, procedureCode: '1.000948', ...payload },
    });
  ev('DossierReceived', o.received, {
    receivedAt: vnIso(o.received), channel: 'DIRECT', dueAt: vnIso(o.due), noAppointment: false, originalDueAt: vnIso(o.due),
    timeLimit: { value: 5, unit: 'WORKING_DAYS' }, supplementPolicy: o.supplementPolicy, sectorCode: 'G09-TP01', resolvingUnitId: unit,
    applicantType: 'CITIZEN', components: [{ code: 'TP1', digitised: true, reused: false, fromCitizenRepository: false }],
    identityVerifiedWithVneid: false, feeRequired: o.feeRequired, paperResultRequired: false, regulationVersion: 'ND118-2025',
  });
  return ev;
}
