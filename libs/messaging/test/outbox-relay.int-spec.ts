import { randomUUID } from 'node:crypto';
import { logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { createTestDatabase, createTestTopics, eventually, testKafka, uniqueName, type TestDatabase } from '@onestop/testing';
import { appendToOutbox, type AppendOptions, createIdempotentProducer, createKafka, ensureTopics, OutboxRelay, outboxTableDdl, type OutboxRecord } from '../src';

const SCHEMA = 'relaytest';

function record(key: string, i: number): OutboxRecord {
  const id = randomUUID();
  return {
    id,
    key,
    type: 'DossierReceived',
    version: 1,
    envelope: { id, key, i, producer: 'relay-test', applicant: { fullName: 'Phạm Thị D' } },
    publicEnvelope: { id, key, i },
  };
}

async function readAll(topic: string, expected: number): Promise<{ key: string; id: string; i: number; producer?: string }[]> {
  const kafka = testKafka();
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  const out: { key: string; id: string; i: number; producer?: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const v = JSON.parse(message.value?.toString() ?? '{}');
      out.push({ key: message.key?.toString() ?? '', id: v.id, i: v.i, producer: message.headers?.['producer']?.toString() });
    },
  });
  try {
    await eventually(() => out.length >= expected, `${expected} messages on ${topic}`, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 300)); // would reveal extra (duplicate) deliveries
    return out;
  } finally {
    await consumer.disconnect();
  }
}

describe(OutboxRelay.name, () => {
  let db: TestDatabase;
  let pool: Pool;
  let topics: { names: string[]; delete: () => Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase('outbox');
    pool = new Pool({ connectionString: db.url });
    await pool.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const ddl of outboxTableDdl(SCHEMA)) await pool.query(ddl);
    topics = await createTestTopics(['internal', 'public'], 3);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await topics?.delete();
  });

  const write = async (records: OutboxRecord[], options?: AppendOptions) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await appendToOutbox(c, SCHEMA, records, options);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  };

  it('should publish outbox rows to both topics in order per key, keep accepting while Kafka is down, then catch up', async () => {
    const [internal, publicTopic] = topics.names as [string, string];
    const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',');

    // 1. Kafka unreachable: the relay fails and retries, rows keep accumulating.
    const deadProducer = createIdempotentProducer(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'dead', level: logLevel.NOTHING }, { retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } }));
    const errors: unknown[] = [];
    const downRelay = new OutboxRelay({ databaseUrl: db.url, schema: SCHEMA, producer: deadProducer, internalTopic: internal, publicTopic, onError: (e) => errors.push(e) });
    await downRelay.start();
    const first = Array.from({ length: 60 }, (_, i) => record(`D-${i % 5}`, i));
    await write(first);
    await eventually(() => errors.length > 0, 'relay error while the broker is unreachable');
    expect(downRelay.kafkaConnected).toBe(false);
    expect(downRelay.status().kafkaError).toMatch(/^KafkaJS\w+: .*ECONNREFUSED/);
    await downRelay.stop();
    expect(await unpublishedCount(pool)).toBe(60);

    // 2. A relay on the real broker catches up; NOTIFY wakes it for new rows.
    const producer = createIdempotentProducer(createKafka({ brokers, clientId: 'relay' }));
    const relay = new OutboxRelay({ databaseUrl: db.url, schema: SCHEMA, producer, internalTopic: internal, publicTopic, batchSize: 25, pollIntervalMs: 60_000 });
    await relay.start();
    await eventually(async () => (await unpublishedCount(pool)) === 0, 'backlog published');
    const second = Array.from({ length: 40 }, (_, i) => record(`D-${i % 5}`, 60 + i));
    await write(second);
    await eventually(async () => (await unpublishedCount(pool)) === 0, 'rows woken by NOTIFY published (poll interval is 60 s)', { timeoutMs: 10_000 });
    expect(relay.status()).toMatchObject({ kafkaConnected: true, leader: true, lastPublishedAt: expect.any(String) });
    expect(relay.status().kafkaError).toBeUndefined();
    await relay.stop();

    const got = await readAll(internal, 100);
    expect(new Set(got.map((m) => m.id)).size).toBe(100);
    expect(got).toHaveLength(100);
    for (let k = 0; k < 5; k++) {
      const seq = got.filter((m) => m.key === `D-${k}`).map((m) => m.i);
      expect(seq).toEqual([...seq].sort((a, b) => a - b));
    }
    // the envelope's producer travels as a header too: a consumer passes over its own events unparsed
    expect(new Set(got.map((m) => m.producer))).toEqual(new Set(['relay-test']));
    const pub = await readAll(publicTopic, 100);
    expect(pub).toHaveLength(100);
  });

  it('should coalesce NOTIFYs of rapid commits and still publish every row promptly (no 60 s poll wait)', async () => {
    const [internal, publicTopic] = topics.names as [string, string];
    const listener = await pool.connect();
    let notifications = 0;
    listener.on('notification', () => notifications++);
    await listener.query(`LISTEN "${SCHEMA}_outbox"`);
    const producer = createIdempotentProducer(createKafka({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: 'relay3' }));
    const relay = new OutboxRelay({ databaseUrl: db.url, schema: SCHEMA, producer, internalTopic: internal, publicTopic, pollIntervalMs: 60_000 });
    try {
      await relay.start();
      await eventually(async () => (await unpublishedCount(pool)) === 0, 'earlier rows drained');
      const started = Date.now();
      // 40 separate commits. The window is 100 ms rather than the default 20 ms so that a loaded machine (one commit
      // taking over 20 ms) still coalesces; it stays under the relay's 250 ms grace, as the default does.
      for (let i = 0; i < 40; i++) await write([record(`C-${i % 4}`, 2000 + i)], { notifyCoalesceMs: 100 });
      await eventually(async () => (await unpublishedCount(pool)) === 0, 'all 40 rows published', { timeoutMs: 10_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(notifications).toBeGreaterThan(0);
      expect(notifications).toBeLessThan(40);
    } finally {
      await relay.stop();
      listener.release();
    }
  });

  it('should republish a batch whose marking failed after the Kafka ack (at-least-once, same event ids)', async () => {
    const [internal, publicTopic] = topics.names as [string, string];
    const producer = createIdempotentProducer(createKafka({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: 'relay2' }));
    const recs = Array.from({ length: 5 }, (_, i) => record('CRASH', 1000 + i));
    await write(recs);
    let crash = true;
    const relay = new OutboxRelay({
      databaseUrl: db.url, schema: SCHEMA, producer, internalTopic: internal, publicTopic,
      afterSendBeforeMark: () => {
        if (crash) {
          crash = false;
          throw new Error('simulated crash between Kafka ack and COMMIT');
        }
      },
    });
    await relay.start();
    await eventually(async () => (await unpublishedCount(pool)) === 0, 'batch published after the retry');
    await relay.stop();
    const got = (await readAll(internal, 150)).filter((m) => m.key === 'CRASH');
    expect(got).toHaveLength(10); // sent twice on the wire...
    expect(new Set(got.map((m) => m.id))).toEqual(new Set(recs.map((r) => r.id))); // ...with the same ids: consumers dedupe
  });

  it('should report a publish the broker leaves unanswered (kafkaConnected false after stalledAfterMs) and connected again once it is answered', async () => {
    const schema = 'relaystall';
    await pool.query(`CREATE SCHEMA ${schema}`);
    for (const ddl of outboxTableDdl(schema)) await pool.query(ddl);
    const [internal, publicTopic] = topics.names as [string, string];
    const producer = createIdempotentProducer(createKafka({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: 'relay-stall' }));
    // fault injection on the real client: the broker "does not answer" the first send until released
    let release: () => void = () => undefined;
    const answered = new Promise<void>((r) => (release = r));
    const send = producer.sendBatch.bind(producer);
    let first = true;
    producer.sendBatch = async (batch) => {
      // fault injection: only the first send waits for the broker's "answer" (not a skipped test)
      if (first) {
        first = false;
        await answered;
      }
      return send(batch);
    };
    const relay = new OutboxRelay({ databaseUrl: db.url, schema, producer, internalTopic: internal, publicTopic, stalledAfterMs: 500 });
    await relay.start();
    try {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await appendToOutbox(c, schema, [record('ST-1', 1)]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      await eventually(() => relay.status().kafkaError !== undefined, 'the unanswered publish reported');
      expect(relay.status()).toMatchObject({ kafkaConnected: false, kafkaError: expect.stringMatching(/^no answer from the broker for \d+ s/) });
      // readiness reads the backlog meanwhile: it must not wait for the batch in flight (its transaction holds a connection)
      const backlog = await Promise.race([relay.backlog(), new Promise<string>((r) => setTimeout(() => r('no answer within 2 s'), 2000))]);
      expect(backlog).toBe(1);
      release();
      await eventually(() => relay.status().lastPublishedAt !== null, 'published once answered');
      expect(relay.status()).toMatchObject({ kafkaConnected: true });
      expect(relay.status().kafkaError).toBeUndefined();
    } finally {
      release();
      await relay.stop();
    }
  });

  it('should report Kafka refusing its batches (kafkaConnected false, the error) and true again once a batch is published', async () => {
    const schema = 'relaystatus';
    await pool.query(`CREATE SCHEMA ${schema}`);
    for (const ddl of outboxTableDdl(schema)) await pool.query(ddl);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await appendToOutbox(c, schema, [record('S-1', 1), record('S-2', 2)]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    // topics that do not exist yet: the broker is reachable, but refuses every batch until they are created
    const internal = uniqueName('status_internal').replace(/_/g, '.');
    const publicTopic = uniqueName('status_public').replace(/_/g, '.');
    const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',');
    const producer = createIdempotentProducer(createKafka({ brokers, clientId: 'relay-status', level: logLevel.NOTHING }, { retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } }));
    const relay = new OutboxRelay({ databaseUrl: db.url, schema, producer, internalTopic: internal, publicTopic });
    const unpublished = async () => Number((await pool.query(`SELECT count(*) FROM ${schema}.outbox WHERE published_at IS NULL`)).rows[0].count);
    await relay.start();
    try {
      await eventually(() => relay.status().kafkaError !== undefined, 'a refused batch');
      expect(relay.status()).toMatchObject({ kafkaConnected: false, lastPublishedAt: null });
      expect(relay.status().kafkaError).toMatch(/^KafkaJS\w+: /);
      expect(await unpublished()).toBe(2);

      await ensureTopics(testKafka(), [internal, publicTopic], 1);
      await eventually(async () => (await unpublished()) === 0, 'backlog published once the topics exist');
      await eventually(() => relay.status().lastPublishedAt !== null, 'the relay saw its COMMIT'); // this pool can see it a moment earlier
      expect(relay.status()).toMatchObject({ kafkaConnected: true, leader: true, lastPublishedAt: expect.any(String) });
      expect(relay.status().kafkaError).toBeUndefined();
    } finally {
      await relay.stop();
      const admin = testKafka().admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [internal, publicTopic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});

async function unpublishedCount(pool: Pool): Promise<number> {
  return Number((await pool.query(`SELECT count(*) FROM ${SCHEMA}.outbox WHERE published_at IS NULL`)).rows[0].count);
}
