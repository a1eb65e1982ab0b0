import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEvent, DeliveryMode, SupplementPolicy, type DossierEventV1, type EventTypeV1, type PayloadOfV1 } from '@onestop/contracts';
import { eventually, testKafka } from '@onestop/testing';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage, Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DossierView, HistoryEntry } from '../src/dossiers/dossier.model';
import { freePort } from './support/child-process';
import { FIX, counterBody } from './support/fixtures';
import { call, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { loadIntakeConfig } from '../src/config/intake.config';

/**
 * Intake follows what processing-service and result-service do to its dossiers (ADR 0208): a consumer
 * of the internal lifecycle topic stores their events (public fields only) and the status after them; the lookup
 * shows the current status and the merged history; the components rule uses the current status.
 */
describe('lifecycle consumer (real broker and Postgres)', () => {
  jest.setTimeout(120_000);
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-lifecycle' });
  let infra: Infra;
  let app: NestFastifyApplication;
  let url: string;
  let producer: Producer;
  let pg: Client;

  beforeAll(async () => {
    infra = await provisionInfra('intake_lifecycle', { INTAKE_LIFECYCLE_CONSUMER: 'true', INTAKE_LIFECYCLE_GROUP_ID: `intake-lifecycle-test-${randomUUID()}` });
    ({ app, url } = await startApp(infra.config));
    producer = testKafka().producer();
    await producer.connect();
    pg = new Client({ connectionString: infra.db.url });
    await pg.connect();
    await eventually(async () => {
      const r = await call<{ info?: Record<string, { state?: string }> }>(url, 'GET', '/health/ready');
      return r.body.info?.['lifecycleConsumer']?.state === 'running';
    }, 'lifecycle consumer running', { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pg?.end();
    await app?.close();
    await infra?.topics.delete().catch(() => undefined);
    await infra?.db.drop();
  });

  const receive = async (): Promise<DossierView> => {
    const r = await call<DossierView>(url, 'POST', '/dossiers', { token, body: counterBody() });
    expect(r.status).toBe(201);
    return r.body;
  };
  let tick = 0;
  /** A contract-valid event of another service, each one a few ms after the previous (all after the receipt). */
  const event = <T extends EventTypeV1>(type: T, code: string, fields: Omit<PayloadOfV1<T>, 'dossierId' | 'receivingUnitId' | 'procedureCode'>, producerName = 'processing-service'): DossierEventV1 =>
    createEvent(type, { dossierId: code, receivingUnitId: FIX.unit, procedureCode: FIX.procedure, ...fields } as unknown as PayloadOfV1<T>, {
      producer: producerName,
      correlationId: randomUUID(),
      occurredAt: new Date(Date.now() + ++tick),
    }) as unknown as DossierEventV1;
  const publish = async (...events: DossierEventV1[]) => {
    await producer.send({ topic: infra.topics.internal, messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
  };
  const publishRaw = async (key: string, value: string) => {
    await producer.send({ topic: infra.topics.internal, messages: [{ key, value }] });
  };
  const lookup = async (code: string) => (await call<DossierView>(url, 'GET', `/dossiers/${code}`, { token })).body;
  const history = async (code: string) => (await call<HistoryEntry[]>(url, 'GET', `/dossiers/${code}/history`, { token })).body;
  const now = () => new Date(Date.now() + ++tick).toISOString();
  /** How many events of other services the dossier's history shows. */
  const consumed = async (code: string) => (await history(code)).filter((h) => h.producer !== 'intake-service').length;

  it('should show the status after the consumed events and merge them into the history in time order, with their producer and no personal data', async () => {
    const d = await receive();
    expect(d.status).toBe('RECEIVED');
    const transferred = event('DossierTransferred', d.code, { agencyCode: '01.10001', transferredAt: now() });
    const supplement = event('SupplementRequested', d.code, { requestedAt: now(), requestCount: 1, content: 'Bổ sung bản sao CCCD của Nguyễn Thị Lan' });
    await publish(transferred, supplement);

    const view = await eventually(async () => {
      const v = await lookup(d.code);
      return v.status === 'SUPPLEMENT_REQUESTED' ? v : undefined;
    }, 'status SUPPLEMENT_REQUESTED');
    expect(view.intakeStatus).toBe('RECEIVED');
    expect(view.statusUpdatedAt).toBe(supplement.occurredAt);

    const h = await history(d.code);
    expect(h.map((x) => [x.type, x.producer])).toEqual([
      ['DossierReceived', 'intake-service'],
      ['DossierTransferred', 'processing-service'],
      ['SupplementRequested', 'processing-service'],
    ]);
    expect(h[1]).toMatchObject({ eventId: transferred.id, seq: null, occurredAt: transferred.occurredAt, payload: { dossierId: d.code, agencyCode: '01.10001' } });
    expect(h[2]?.payload).toEqual({ dossierId: d.code, receivingUnitId: FIX.unit, procedureCode: FIX.procedure, requestedAt: supplement.payload['requestedAt' as never], requestCount: 1 });
    // the personal free text of the request is never stored by intake
    const stored = await pg.query(`SELECT summary::text AS s FROM intake.lifecycle_event WHERE dossier_code = $1`, [d.code]);
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows.map((r) => r.s).join(' ')).not.toMatch(/CCCD|Nguyễn/);

    // the receipt is intake's own and stays as it was
    expect((await call(url, 'GET', `/dossiers/${d.code}/receipt`, { token })).status).toBe(200);
  });

  it('should change nothing when an event is delivered again', async () => {
    const d = await receive();
    const requested = event('SupplementRequested', d.code, { requestedAt: now(), requestCount: 1, content: 'bổ sung' });
    const received = event('SupplementReceived', d.code, { receivedAt: now(), previousDueAt: null, newDueAt: null, policy: SupplementPolicy.Restart });
    await publish(requested, received);
    await eventually(async () => (await lookup(d.code)).status === 'IN_PROCESS', 'status IN_PROCESS');
    const before = await history(d.code);

    // the old request again (same id), then a marker that keeps the status: once the marker is in, the copy was seen
    const marker = event('DossierDueSoon', d.code, { dueAt: now(), detectedAt: now() });
    await publish(requested, marker);
    const after = await eventually(async () => {
      const h = await history(d.code);
      return h.some((x) => x.eventId === marker.id) ? h : undefined;
    }, 'marker applied');
    expect(after.filter((x) => x.eventId !== marker.id)).toEqual(before);
    expect(after.filter((x) => x.type === 'SupplementRequested')).toHaveLength(1);
    expect((await lookup(d.code)).status).toBe('IN_PROCESS');
  });

  it('should not show AWAITING_PAYMENT for an obligation the applicant is exempt from or that costs nothing, as processing and result do (round 7)', async () => {
    const fee = { code: 'LP-01', name: 'Lệ phí', amount: 50_000, collectedAt: 'RESULT' as const };
    const exempt = await receive();
    const zero = await receive();
    const paying = await receive();
    await publish(
      event('DossierTransferred', exempt.code, { agencyCode: '01.10001', transferredAt: now() }),
      event('FinancialObligationRequested', exempt.code, { requestedAt: now(), feeLines: [fee], totalAmount: 50_000, exempt: true }, 'result-service'),
      event('ApologyIssued', exempt.code, { issuedAt: now(), originalDueAt: exempt.dueAt as string, newDueAt: new Date(Date.parse(exempt.dueAt as string) + 86_400_000).toISOString(), reason: 'Chờ xác minh' }),
      event('DossierTransferred', zero.code, { agencyCode: '01.10001', transferredAt: now() }),
      event('FinancialObligationRequested', zero.code, { requestedAt: now(), feeLines: [{ ...fee, amount: 0 }], totalAmount: 0, exempt: false }, 'result-service'),
      event('DossierTransferred', paying.code, { agencyCode: '01.10001', transferredAt: now() }),
      event('FinancialObligationRequested', paying.code, { requestedAt: now(), feeLines: [fee], totalAmount: 50_000, exempt: false }, 'result-service'),
    );
    await eventually(async () => ((await consumed(exempt.code)) === 3 && (await consumed(zero.code)) === 2 && (await consumed(paying.code)) === 2) || undefined, 'obligations consumed');
    expect((await lookup(exempt.code)).status).toBe('IN_PROCESS'); // and stays so through a later event
    expect((await lookup(zero.code)).status).toBe('IN_PROCESS');
    expect((await lookup(paying.code)).status).toBe('AWAITING_PAYMENT');
  });

  it('should follow the due dates: a supplement and a pause move the legal due date and the appointment (never before an apology\'s), an apology the appointment only; the receipt keeps its own', async () => {
    const d = await receive();
    const receipt = d.dueAt as string;
    const day = (n: number) => new Date(Date.parse(receipt) + n * 86_400_000).toISOString();
    const vn = (iso: string) => new Date(iso).getTime();
    await publish(
      event('DossierTransferred', d.code, { agencyCode: '01.10001', transferredAt: now() }),
      event('SupplementRequested', d.code, { requestedAt: now(), requestCount: 1, content: 'Bổ sung bản sao' }),
      event('SupplementReceived', d.code, { receivedAt: now(), previousDueAt: receipt, newDueAt: day(5), policy: SupplementPolicy.Restart }),
    );
    let v = await eventually(async () => {
      const x = await lookup(d.code);
      return x.dueAt && vn(x.dueAt) === vn(day(5)) ? x : undefined;
    }, 'due date after the supplement');
    expect(vn(v.originalDueAt as string)).toBe(vn(day(5)));

    await publish(event('ApologyIssued', d.code, { issuedAt: now(), originalDueAt: day(5), newDueAt: day(9), reason: 'Chờ ý kiến cơ quan phối hợp' }));
    v = await eventually(async () => {
      const x = await lookup(d.code);
      return x.dueAt && vn(x.dueAt) === vn(day(9)) ? x : undefined;
    }, 'appointment after the apology');
    expect(vn(v.originalDueAt as string)).toBe(vn(day(5))); // the legal due date stays (ADR 0101)

    await publish(
      event('ProcessingSuspended', d.code, { at: now(), reason: 'Chờ xác minh' }),
      event('ProcessingResumed', d.code, { at: now(), reason: 'Đã xác minh', newDueAt: day(12) }),
    );
    v = await eventually(async () => {
      const x = await lookup(d.code);
      return x.dueAt && vn(x.dueAt) === vn(day(12)) ? x : undefined;
    }, 'due date after the pause');
    expect(vn(v.originalDueAt as string)).toBe(vn(day(12)));
    expect(v.receiptDueAt).toBe(receipt);

    // a second apology promises day 20: the pause that follows moves the legal date to day 14, and the promised
    // appointment stands (black-box round 8: it went back to the legal date in intake, not in processing)
    await publish(
      event('ApologyIssued', d.code, { issuedAt: now(), originalDueAt: day(12), newDueAt: day(20), reason: 'Chờ ý kiến' }),
      event('FinancialObligationRequested', d.code, { requestedAt: now(), feeLines: [{ code: 'LP-01', name: 'Lệ phí', amount: 50_000, collectedAt: 'RESULT' }], totalAmount: 50_000, exempt: false }, 'result-service'),
      event('PaymentCompleted', d.code, { paidAt: now(), method: 'CASH', paidOnline: false, amount: 50_000, newDueAt: day(14) } as never, 'result-service'),
      // a resumption without a new due date (older producers) keeps them
      event('ProcessingSuspended', d.code, { at: now(), reason: 'Chờ' }),
      event('ProcessingResumed', d.code, { at: now(), reason: 'Tiếp tục' }),
    );
    v = await eventually(async () => ((await consumed(d.code)) === 11 ? lookup(d.code) : undefined), 'payment consumed');
    expect(vn(v.dueAt as string)).toBe(vn(day(20)));
    expect(vn(v.originalDueAt as string)).toBe(vn(day(14)));
    expect(v.status).toBe('IN_PROCESS');
    // the history shows each move with its new due date; the reprinted receipt shows the receipt's appointment
    const moves = (await history(d.code)).filter((h) => 'newDueAt' in h.payload).map((h) => h.type);
    expect(moves).toEqual(expect.arrayContaining(['SupplementReceived', 'ApologyIssued', 'ProcessingResumed', 'PaymentCompleted']));
    const printed = await call<{ dueAt: string; dueExplanationVi: string[] }>(url, 'GET', `/dossiers/${d.code}/receipt`, { token });
    expect(printed.body.dueAt).toBe(receipt);
    // ... and explains that appointment: no day off after it (black-box round 9: the days off up to the apology's
    // appointment were listed under the receipt's date)
    const dates = printed.body.dueExplanationVi.join(' ').match(/\d{2}\/\d{2}\/\d{4}/g) ?? [];
    expect(dates.length).toBeGreaterThan(0); // the receipt time at least
    const receiptDay = receipt.slice(0, 10);
    for (const dmy of dates) expect(`${dmy.slice(6)}-${dmy.slice(3, 5)}-${dmy.slice(0, 2)}` <= receiptDay).toBe(true);
  });

  it('should dead-letter a poison message with its reason and carry on with the next event', async () => {
    const d = await receive();
    const dlq = await readRaw(`${infra.topics.internal}.dlq`);
    try {
      await publishRaw(d.code, '{"type":"DossierTransferred","not":"an event"');
      await publishRaw(d.code, JSON.stringify({ ...event('DossierTransferred', d.code, { agencyCode: '01.10001', transferredAt: now() }), payload: { dossierId: d.code } }));
      const good = event('DossierTransferred', d.code, { agencyCode: '01.10002', transferredAt: now() });
      await publish(good);
      await eventually(async () => (await lookup(d.code)).status === 'IN_PROCESS', 'status IN_PROCESS after the poison');
      const letters = await eventually(() => {
        const mine = dlq.messages.filter((m) => m.key === d.code);
        return mine.length >= 2 ? mine : undefined;
      }, 'two dead letters');
      expect(letters.map((l) => l.value)).toEqual(expect.arrayContaining(['{"type":"DossierTransferred","not":"an event"']));
      for (const l of letters) expect(l.headers['dlq-reason']).toMatch(/\S/);
      expect(letters.map((l) => l.headers['dlq-reason']).join(' ')).toMatch(/payload/);
      expect((await history(d.code)).filter((x) => x.producer !== 'intake-service').map((x) => x.eventId)).toEqual([good.id]);
      // the consumer counts a dead letter once the DLQ's ack reaches it, a moment after a reader can see the letter
      const deadLettered = async () => Number(/^intake_lifecycle_events_dead_lettered_total\{[^}]*\} (\d+)$/m.exec((await call(url, 'GET', '/metrics')).text)?.[1]);
      await eventually(async () => (await deadLettered()) >= 2, 'dead letters counted');
    } finally {
      await dlq.stop();
    }
  });

  it('should apply the components rule to the current status: allowed once resolved, refused once the result was returned', async () => {
    const d = await receive();
    const comp = { components: [{ code: FIX.requiredComponents[0], digitised: true, fileRef: 'scan-1.pdf' }] };
    await publish(
      event('DossierTransferred', d.code, { agencyCode: '01.10001', transferredAt: now() }),
      event('DossierResolved', d.code, { finishedAt: now(), eResult: { issued: true, legallyValid: true }, dueAt: null, originalDueAt: null, paperResultRequired: false }, 'result-service'),
    );
    await eventually(async () => (await lookup(d.code)).status === 'RESOLVED', 'status RESOLVED');
    expect((await call(url, 'POST', `/dossiers/${d.code}/components`, { token, body: comp })).status).toBe(200);

    await publish(event('ResultReturned', d.code, { returnedAt: now(), deliveryMode: DeliveryMode.Counter }, 'result-service'));
    await eventually(async () => (await lookup(d.code)).status === 'RETURNED', 'status RETURNED');
    const refused = await call<{ dossierStatus?: string; errors: { field: string }[] }>(url, 'POST', `/dossiers/${d.code}/components`, { token, body: comp });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.dossierStatus).toBe('RETURNED');
    expect(refused.body.errors.map((e) => e.field)).toEqual(['status']);
  });

  it('should store an event of a dossier intake does not know, count it, and keep consuming', async () => {
    const unknownCode = `${FIX.unit}-250101-9999`;
    const e = event('DossierTransferred', unknownCode, { agencyCode: '01.10001', transferredAt: now() });
    const d = await receive();
    const after = event('DossierTransferred', d.code, { agencyCode: '01.10001', transferredAt: now() });
    await publish(e, after);
    await eventually(async () => (await lookup(d.code)).status === 'IN_PROCESS', 'the next dossier applied');
    const rows = await eventually(async () => {
      const r = await pg.query(`SELECT type, producer FROM intake.lifecycle_event WHERE id = $1`, [e.id]);
      return r.rows.length === 1 ? r.rows : undefined;
    }, 'unknown dossier event stored');
    expect(rows[0]).toEqual({ type: 'DossierTransferred', producer: 'processing-service' });
    // counted once the batch's COMMIT answer reaches the consumer, a moment after this connection can see the row
    const metrics = await eventually(async () => {
      const text = (await call(url, 'GET', '/metrics')).text;
      return /^intake_lifecycle_events_consumed_total\{outcome="unknown_dossier",[^}]*\} [1-9]/m.test(text) ? text : undefined;
    }, 'the unknown dossier event counted');
    expect(metrics).toMatch(/^intake_lifecycle_events_consumed_total\{outcome="unknown_dossier",[^}]*\} [1-9]/m);
    // intake's own events (published by its relay on the same topic) are left out, only counted
    expect(metrics).toMatch(/^intake_lifecycle_events_consumed_total\{outcome="own",[^}]*\} [1-9]/m);
  });
});

describe('lifecycle consumer while its broker is unreachable', () => {
  jest.setTimeout(60_000);
  let infra: Infra;

  beforeAll(async () => {
    infra = await provisionInfra('intake_lifecycle_down');
  });
  afterAll(async () => {
    await infra?.topics.delete().catch(() => undefined);
    await infra?.db.drop();
  });

  it('should not hold up the app: it serves POST /dossiers, reports the consumer as starting, and closes promptly', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const config = loadIntakeConfig({ ...infra.env, KAFKA_BROKERS: dead, OUTBOX_RELAY_ENABLED: 'false', INTAKE_LIFECYCLE_CONSUMER: 'true', INTAKE_LIFECYCLE_GROUP_ID: `intake-lifecycle-down-${randomUUID()}` });
    const { app, url } = await startApp(config);
    let closed = false;
    try {
      const token = tokenFor({ unitId: FIX.unit });
      expect((await call(url, 'POST', '/dossiers', { token, body: counterBody() })).status).toBe(201);
      const ready = await call<{ status: string; info: Record<string, Record<string, unknown>> }>(url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info['lifecycleConsumer']).toMatchObject({ enabled: true, state: 'starting', groupId: config.lifecycleConsumer.groupId, topic: infra.topics.internal });
      const t0 = Date.now();
      await app.close();
      closed = true;
      // the start in progress is waited for at most 2 s; kafkajs alone retries a dead broker for ~10 s
      expect(Date.now() - t0).toBeLessThan(8_000);
    } finally {
      if (!closed) await app.close();
    }
  });
});

/** Every message of a topic from the beginning, bytes as text (a dead letter may be anything but JSON). */
async function readRaw(topic: string): Promise<{ messages: { key: string; value: string; headers: Record<string, string> }[]; stop: () => Promise<void> }> {
  const consumer = testKafka().consumer({ groupId: `intake-test-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: { key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.run({
    eachMessage: async ({ message }: { message: KafkaMessage }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
      messages.push({ key: String(message.key), value: String(message.value), headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
