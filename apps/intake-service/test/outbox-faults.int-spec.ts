import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '@onestop/testing';
import { Client } from 'pg';
import { appEntry, freePort, killChild, startChild, type Child } from './support/child-process';
import { FIX, counterBody } from './support/fixtures';
import { call, collectTopic, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { loadIntakeConfig } from '../src/config/intake.config';

/**
 * The outbox under faults. Delivery to Kafka is AT-LEAST-ONCE on the wire (a crash between the broker's ack
 * and the UPDATE that marks the rows republishes them); effects are EXACTLY-ONCE for consumers that
 * deduplicate by event id. So the assertions are: every acknowledged dossier's events are on Kafka, and the
 * set of distinct event ids on Kafka equals the set of events committed to the outbox.
 */
describe('outbox relay under faults (real Postgres and Kafka, child processes)', () => {
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-faults' });
  const { mainArgs } = appEntry();

  async function postMany(url: string, n: number): Promise<string[]> {
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: n }, async () => {
        try {
          const r = await call(url, 'POST', '/dossiers', { token, body: counterBody() });
          if (r.status === 201) acknowledged.push(r.body['code'] as string);
        } catch {
          // the process died mid-request: not acknowledged
        }
      }),
    );
    return acknowledged;
  }

  async function outboxIds(pg: Client): Promise<{ ids: Set<string>; codes: Map<string, string> }> {
    const r = await pg.query<{ id: string; aggregate_id: string }>(`SELECT id, aggregate_id FROM intake.outbox`);
    return { ids: new Set(r.rows.map((x) => x.id)), codes: new Map(r.rows.map((x) => [x.id, x.aggregate_id])) };
  }

  async function withInfra(prefix: string, fn: (infra: Infra, pg: Client) => Promise<void>): Promise<void> {
    const infra = await provisionInfra(prefix);
    const pg = new Client({ connectionString: infra.db.url });
    await pg.connect();
    try {
      await fn(infra, pg);
    } finally {
      await pg.end();
      await infra.topics.delete().catch(() => undefined);
      await infra.db.drop();
    }
  }

  async function assertExactlyOnceAfterDedup(infra: Infra, pg: Client, acknowledged: string[]): Promise<number> {
    const { ids } = await outboxIds(pg);
    const sink = await collectTopic([infra.topics.internal]);
    try {
      await eventually(() => new Set(sink.messages.map((m) => m.headers['event-id'])).size >= ids.size || undefined, `${ids.size} distinct events on Kafka`, { timeoutMs: 45_000 });
      await new Promise((r) => setTimeout(r, 500)); // let any straggling duplicate arrive
      const distinct = new Set(sink.messages.map((m) => m.headers['event-id']));
      expect([...distinct].sort()).toEqual([...ids].sort());
      const codesOnKafka = new Set(sink.messages.map((m) => m.key));
      for (const code of acknowledged) expect(codesOnKafka.has(code)).toBe(true);
      for (const m of sink.messages) expect(m.value['id']).toBe(m.headers['event-id']);
      return sink.messages.length - distinct.size;
    } finally {
      await sink.stop();
    }
  }

  it('should publish every committed event after a SIGKILL between the Kafka ack and marking the batch (afterSendBeforeMark)', async () => {
    await withInfra('intake_crash_mark', async (infra, pg) => {
      let child: Child = await startChild(mainArgs, { ...infra.env, FAULT_POINT: 'afterSendBeforeMark', OUTBOX_RELAY_BATCH_SIZE: '1000' });
      const acknowledged = await postMany(child.url, 30);
      const exit = await Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      // Some dossiers committed (acknowledged or not: the process may die before a response is flushed), and
      // the batch Kafka acknowledged is still unmarked: the crash happened exactly between send and mark.
      const unpublished = (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n as number;
      const { ids } = await outboxIds(pg);
      expect(ids.size).toBeGreaterThanOrEqual(acknowledged.length);
      expect(ids.size).toBeGreaterThan(0);
      expect(unpublished).toBe(ids.size);

      child = await startChild(mainArgs, infra.env);
      try {
        await eventually(async () => (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n === 0, 'the restarted relay to drain the outbox', { timeoutMs: 30_000 });
        const duplicatesOnTheWire = await assertExactlyOnceAfterDedup(infra, pg, acknowledged);
        // At-least-once on the wire: the batch sent before the crash was sent again.
        expect(duplicatesOnTheWire).toBeGreaterThan(0);
      } finally {
        await killChild(child);
      }
    });
  });

  it('should publish dossiers committed before a SIGKILL that came before the relay ran', async () => {
    await withInfra('intake_crash_commit', async (infra, pg) => {
      let child = await startChild(mainArgs, { ...infra.env, OUTBOX_RELAY_ENABLED: 'false' });
      const acknowledged = await postMany(child.url, 25);
      expect(acknowledged).toHaveLength(25);
      await killChild(child);
      expect((await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n).toBe(25);

      child = await startChild(mainArgs, infra.env);
      try {
        await eventually(async () => (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n === 0, 'the restarted relay to drain the outbox', { timeoutMs: 30_000 });
        // every event arrived once per event id; the wire may carry a resent batch (at-least-once, see below)
        expect(await assertExactlyOnceAfterDedup(infra, pg, acknowledged)).toBeLessThanOrEqual(acknowledged.length);
      } finally {
        await killChild(child);
      }
    });
  });

  it('should keep accepting dossiers while its broker is down, then deliver every event through a relay on the real broker', async () => {
    await withInfra('intake_broker_down', async (infra, pg) => {
      const deadPort = await freePort();
      const downConfig = loadIntakeConfig({ ...infra.env, OUTBOX_RELAY_BROKERS: `127.0.0.1:${deadPort}` });
      let app: NestFastifyApplication | undefined = (await startApp(downConfig)).app;
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const acknowledged = await postMany(url, 40);
      expect(acknowledged).toHaveLength(40);
      const ready = await call(url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect((ready.body as { info: { outboxRelay: { kafkaConnected: boolean; backlog: number } } }).info.outboxRelay).toMatchObject({ kafkaConnected: false, backlog: 40 });
      await app.close();
      app = undefined;

      const upConfig = loadIntakeConfig(infra.env);
      const second = await startApp(upConfig);
      try {
        await eventually(async () => (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n === 0, 'the relay on the real broker to catch up', { timeoutMs: 30_000 });
        // Every event arrived, once per event id (the helper's checks). The wire itself is at-least-once (ADR 0201):
        // on a broker that has just started, the relay's first send may time out after the broker wrote it, and the
        // batch is sent again (seen in CI: all 40 twice). So duplicates are allowed here, no more than the events.
        const resent = await assertExactlyOnceAfterDedup(infra, pg, acknowledged);
        expect(resent).toBeLessThanOrEqual(acknowledged.length);
      } finally {
        await second.app.close();
      }
    });
  });
});
