// The naive baseline the outbox design is compared with: validate, save the dossier (code from the same
// per-unit-per-day sequence), then publish the event to Kafka INSIDE the request (acks=all) and answer.
// Same machine, same Postgres, same broker, same Fastify; no outbox, no idempotency table, no audit row.
'use strict';
const { randomUUID } = require('node:crypto');
const Fastify = require('fastify');
const { Pool } = require('pg');
const { Kafka, logLevel } = require('kafkajs');

const env = process.env;
const pool = new Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 20) });
const kafka = new Kafka({ clientId: 'naive-bench', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
const topic = env.TOPIC_DOSSIER_INTERNAL;

async function main() {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS naive;
    CREATE TABLE IF NOT EXISTS naive.dossier_sequence (unit_code text, day date, last_value int NOT NULL, PRIMARY KEY (unit_code, day));
    CREATE TABLE IF NOT EXISTS naive.dossier (id uuid PRIMARY KEY, code text UNIQUE NOT NULL, unit_code text NOT NULL, procedure_code text NOT NULL,
      channel text NOT NULL, applicant jsonb NOT NULL, components jsonb NOT NULL, received_at timestamptz NOT NULL)`);
  await producer.connect();
  const app = Fastify({ bodyLimit: 65536 });
  app.post('/dossiers', async (req, reply) => {
    const b = req.body;
    if (!b || typeof b.unitCode !== 'string' || typeof b.procedureCode !== 'string' || !Array.isArray(b.components)) {
      return reply.code(400).send({ title: 'invalid' });
    }
    const now = new Date();
    const day = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    const c = await pool.connect();
    let code;
    const id = randomUUID();
    try {
      await c.query('BEGIN');
      const s = await c.query(
        `INSERT INTO naive.dossier_sequence VALUES ($1, $2, 1) ON CONFLICT (unit_code, day) DO UPDATE SET last_value = naive.dossier_sequence.last_value + 1 RETURNING last_value`,
        [b.unitCode, day],
      );
      code = `${b.unitCode}-${day.slice(2).replace(/-/g, '')}-${String(s.rows[0].last_value).padStart(4, '0')}`;
      await c.query(`INSERT INTO naive.dossier VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [id, code, b.unitCode, b.procedureCode, b.channel, JSON.stringify(b.applicant), JSON.stringify(b.components), now]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
    const event = { id: randomUUID(), type: 'DossierReceived', version: 1, occurredAt: now.toISOString(), producer: 'naive', key: code, payload: { dossierId: code, ...b } };
    await producer.send({ topic, acks: -1, messages: [{ key: code, value: JSON.stringify(event), headers: { 'event-id': event.id } }] });
    return reply.code(201).send({ id, code, status: 'RECEIVED' });
  });
  await app.listen({ port: Number(env.HTTP_PORT), host: '127.0.0.1' });
  process.stdout.write(`naive listening on ${env.HTTP_PORT}\n`);
}
main().catch((e) => {
  process.stderr.write(String(e && e.stack) + '\n');
  process.exit(1);
});
