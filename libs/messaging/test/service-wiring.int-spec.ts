import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { DossierEventV1 } from '@onestop/contracts';
import { createTestDatabase, createTopicsAndWait, dossierCode, eventually, receivedEvent, testKafka, uniqueName, type TestDatabase } from '@onestop/testing';
import { appendToOutbox, createIdempotentProducer, DLQ_HEADERS, outboxTableDdl, startDossierEventConsumer, startOutboxRelay } from '../src';

const SCHEMA = 'wiringtest';
const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const gone = topics.flatMap((t) => [t, `${t}.dlq`]).filter((t) => existing.has(t));
    if (gone.length > 0) await admin.deleteTopics({ topics: gone, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

describe('startOutboxRelay', () => {
  let db: TestDatabase;
  let pool: Pool;
  const internalTopic = uniqueName('internal').replace(/_/g, '.');
  const publicTopic = uniqueName('public').replace(/_/g, '.');

  beforeAll(async () => {
    db = await createTestDatabase('wiring');
    pool = new Pool({ connectionString: db.url });
    await pool.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const ddl of outboxTableDdl(SCHEMA)) await pool.query(ddl);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await deleteTopics([internalTopic, publicTopic]);
  });

  it('should create the topics, connect its own producer, publish the outbox and count it in the registry', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const running = await startOutboxRelay({
      brokers: brokers(),
      clientId: uniqueName('relay'),
      databaseUrl: db.url,
      schema: SCHEMA,
      internalTopic,
      publicTopic,
      registry,
      metricPrefix: 'wiring_',
      onError: (e) => errors.push(e),
    });
    try {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await appendToOutbox(
          c,
          SCHEMA,
          [1, 2, 3].map((i) => {
            const id = randomUUID();
            return { id, key: 'D-1', type: 'DossierReceived', version: 1, envelope: { id, i }, publicEnvelope: { id } };
          }),
        );
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      // the relay counts a batch right after its COMMIT, which another connection can see a moment earlier
      const publishedTotal = async () => (await registry.getSingleMetric('wiring_outbox_published_total')?.get())?.values[0]?.value;
      await eventually(async () => (await running.relay.backlog()) === 0 && (await publishedTotal()) === 3, 'outbox published and counted');
      expect(await publishedTotal()).toBe(3);
      expect(registry.getSingleMetric('wiring_outbox_publish_lag_seconds')).toBeDefined();
      const admin = testKafka().admin();
      await admin.connect();
      const topics = await admin.listTopics();
      await admin.disconnect();
      expect(topics).toEqual(expect.arrayContaining([internalTopic, publicTopic, `${internalTopic}.dlq`, `${publicTopic}.dlq`]));
    } finally {
      await running.stop();
    }
  });
});

/** Creates `topic` and its `.dlq`, one partition each. */
async function createWithDlq(topic: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await createTopicsAndWait(admin, [topic, `${topic}.dlq`].map((t) => ({ topic: t, numPartitions: 1 })));
  } finally {
    await admin.disconnect();
  }
}

/** A consumer of `topic` that collects the handled events and the warnings. */
async function startCollecting(topic: string, passOverProducer?: string) {
  const handled: DossierEventV1[] = [];
  const warnings: string[] = [];
  const running = await startDossierEventConsumer({
    brokers: brokers(),
    clientId: uniqueName('consumer'),
    groupId: uniqueName('g'),
    topics: [topic],
    handle: async (events) => {
      handled.push(...events);
    },
    log: { error: () => undefined, warn: (m) => warnings.push(m) },
    ...(passOverProducer !== undefined ? { passOverProducer } : {}),
  });
  return { handled, warnings, running };
}

describe('startDossierEventConsumer', () => {
  const topic = uniqueName('lifecycle').replace(/_/g, '.');
  const fresh = uniqueName('fresh').replace(/_/g, '.');
  const own = uniqueName('own').replace(/_/g, '.');
  afterAll(() => deleteTopics([topic, fresh, own]));

  it("should pass over, unparsed, the messages whose producer header names the service (passOverProducer), and hand over the others'", async () => {
    const kafka = testKafka();
    await createWithDlq(own);
    const { handled, warnings, running } = await startCollecting(own, 'processing-service');
    const producer = createIdempotentProducer(kafka);
    try {
      await producer.connect();
      const mine = { ...receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null }), producer: 'processing-service' };
      const theirs = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null });
      await producer.send({
        topic: own,
        acks: -1,
        messages: [
          { key: mine.key, value: JSON.stringify(mine), headers: { producer: 'processing-service' } },
          // not even valid JSON: passed over by its header, so never parsed nor dead-lettered
          { key: 'x', value: '{not json', headers: { producer: 'processing-service' } },
          { key: theirs.key, value: JSON.stringify(theirs), headers: { producer: theirs.producer } },
          // no header (written before relays wrote it): parsed and handed over; the handler ignores its own events
          { key: mine.key, value: JSON.stringify({ ...mine, id: randomUUID() }) },
        ],
      });
      await eventually(() => handled.length === 2, 'two events handed over');
      expect(handled.map((e) => [e.id === theirs.id, e.producer])).toEqual([
        [true, theirs.producer],
        [false, 'processing-service'],
      ]);
      expect(warnings).toEqual([]);
    } finally {
      await running.stop();
      await producer.disconnect();
    }
  });

  it('should start before any producer created its topic (fresh broker): it creates the topic and its .dlq', async () => {
    const kafka = testKafka();
    const { handled, running } = await startCollecting(fresh);
    const producer = createIdempotentProducer(kafka); // no auto-creation: the topic must exist now
    const admin = kafka.admin();
    try {
      await admin.connect();
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([fresh, `${fresh}.dlq`]));
      await producer.connect();
      const valid = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null });
      await producer.send({ topic: fresh, acks: -1, messages: [{ key: valid.key, value: JSON.stringify(valid) }] });
      await eventually(() => handled.length === 1, 'the event handled', { timeoutMs: 40_000 });
      expect(handled[0]?.id).toBe(valid.id);
    } finally {
      await running.stop();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('should hand contract-valid events to the handler and dead-letter the invalid ones with the contract reason', async () => {
    const kafka = testKafka();
    await createWithDlq(topic);
    const { handled, warnings, running } = await startCollecting(topic);
    const producer = createIdempotentProducer(kafka);
    const dlqReader = kafka.consumer({ groupId: uniqueName('dlq') });
    const dlqReasons: string[] = [];
    try {
      await producer.connect();
      const valid = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(), dueAt: null });
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'k', value: '{not json' },
          { key: valid.key, value: JSON.stringify(valid) },
        ],
      });
      await eventually(() => handled.length === 1 && warnings.length === 1, 'one event handled, one dead-lettered');
      expect(handled[0]?.id).toBe(valid.id);
      expect(warnings[0]).toMatch(new RegExp(`^dead-lettered ${topic.replace(/\./g, '\\.')}\\[0\\]@0: `));
      await dlqReader.connect();
      await dlqReader.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
      await dlqReader.run({
        eachMessage: async ({ message }) => {
          dlqReasons.push(String(message.headers?.[DLQ_HEADERS.reason]));
        },
      });
      await eventually(() => dlqReasons.length === 1, 'dead letter on <topic>.dlq');
      expect(warnings[0]).toContain(dlqReasons[0]);
    } finally {
      await running.stop();
      await dlqReader.disconnect();
      await producer.disconnect();
    }
  });
});
