import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createEvent, parsePublicEvent, toPublicEvent, toVnIsoString } from '@onestop/contracts';
import { DeadlineCalculator, LegalCalendar, reduceEventsToLeaves, toVnDate } from '@onestop/domain';
import { DLQ_HEADERS } from '@onestop/messaging';
import { pendingSchemaChanges } from '@onestop/persistence';
import { issueToken } from '@onestop/http';
import { eventually, startLifecycleService, type LifecycleServiceUnderTest } from '@onestop/testing';
import { dossierCode, officerTokens, produce, receivedEvent } from '@onestop/testing';
import { processingDataSourceOptions } from '../src/app.module';
import { createProcessingApp } from '../src/bootstrap';
import { ManualClock } from '../src/clock/clock';
import { loadProcessingConfig, type ProcessingConfig } from '../src/config/processing.config';

const tokenFor = officerTokens(issueToken);

const H = 3_600_000;
// codes of the one-stop unit catalogue (@onestop/domain): transfers and steps name units in force
const UNIT = '01.00004';
const AGENCY = '01.STP';

describe('processing-service (HTTP + Kafka + Postgres)', () => {
  let suite: LifecycleServiceUnderTest<ProcessingConfig, NestFastifyApplication>;
  let cfg: typeof suite.cfg, app: typeof suite.app, api: typeof suite.api, producer: typeof suite.producer, ds: typeof suite.ds, events: typeof suite.events;
  const clock = new ManualClock('2026-11-23T02:00:00Z'); // 09:00 in Vietnam
  const officer = tokenFor({ unitId: UNIT, officerId: 'off-1' });
  const agencyOfficer = tokenFor({ unitId: AGENCY, officerId: 'off-2' });
  const stranger = tokenFor({ unitId: '000.00.99.H99', officerId: 'off-9' });

  beforeAll(async () => {
    suite = await startLifecycleService({ name: 'processing', loadConfig: loadProcessingConfig, createApp: (c) => createProcessingApp(c, { clock, logger: false }), env: { DEADLINE_POLL_INTERVAL_MS: '50' } });
    ({ cfg, app, api, producer, ds, events } = suite);
  });

  afterAll(() => suite?.stop());

  async function receive(o: { policy?: 'RESTART' | 'PAUSE'; dueInHours?: number; applicant?: Parameters<typeof receivedEvent>[0]['applicant'] } = {}): Promise<string> {
    const id = dossierCode(UNIT);
    const now = clock.now();
    await produce(producer, cfg.topics.lifecycle, [
      receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: now, dueAt: new Date(now.getTime() + (o.dueInHours ?? 72) * H), policy: o.policy, applicant: o.applicant }),
    ]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    return id;
  }

  /** A step due date one working day ahead: within working hours of a working day (a day off is refused). */
  const stepDue = () => new Date(new LegalCalendar().addWorkingMillis(clock.now().getTime(), 8 * H)).toISOString();

  const published = (dossierId: string, topic = cfg.topics.lifecycle) =>
    events.messages.filter((m) => m.topic === topic && m.key === dossierId).map((m) => m.value['type']);

  it('should have entities and migrations in agreement (drift check) when migrated', async () => {
    const check = new DataSource(processingDataSourceOptions(cfg));
    await check.initialize();
    try {
      // runs always (not a skipped test): pendingSchemaChanges lists migrations not yet applied; none expected
      await expect(pendingSchemaChanges(check)).resolves.toEqual([]);
    } finally {
      await check.destroy();
    }
  });

  it('should learn a dossier from DossierReceived and serve it with its allowed actions', async () => {
    const id = await receive();
    const r = await api.get(`/dossiers/${id}`, officer);
    expect(r.body).toMatchObject({ dossierId: id, status: 'RECEIVED', agencyId: AGENCY, receivingUnitId: UNIT });
    expect(r.body.allowedActions).toContain('transfer');
  });

  it('should transfer, publish DossierTransferred on both topics once, and replay an idempotent retry', async () => {
    const id = await receive();
    const key = randomUUID();
    const first = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY, officerId: 'off-2' }, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'IN_PROCESS', agencyId: AGENCY, officerId: 'off-2' });
    const retry = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY, officerId: 'off-2' }, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const reused = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: 'OTHER' }, key);
    expect(reused.status).toBe(422);
    await eventually(() => published(id).includes('DossierTransferred') && published(id, cfg.topics.public).includes('DossierTransferred'), 'transfer published');
    const audit: { action: string }[] = await ds.query(`SELECT action FROM processing.audit_log WHERE target = $1`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['dossier.transfer']);
    await new Promise((r) => setTimeout(r, 300));
    expect(published(id).filter((t) => t === 'DossierTransferred')).toHaveLength(1);
  });

  it('should answer 409 problem+json with the allowed actions and change nothing when the transition is invalid', async () => {
    const id = await receive();
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const r = await api.post(`/dossiers/${id}/supplement-receipts`, officer, {});
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 409, currentStatus: 'RECEIVED' });
    expect(r.body.allowedActions).toEqual(expect.arrayContaining(['requestSupplement', 'transfer']));
    const after = (await api.get(`/dossiers/${id}`, officer)).body;
    expect(after).toEqual(before);
  });

  it('should forbid officers of other units (403) and reject missing tokens (401) and bad bodies (400)', async () => {
    const id = await receive();
    expect((await api.post(`/dossiers/${id}/transfer`, stranger, { agencyId: AGENCY })).status).toBe(403);
    expect((await api.get(`/dossiers/${id}`, stranger)).status).toBe(403);
    expect((await fetch(`${await app.getUrl()}/dossiers/${id}`)).status).toBe(401);
    const bad = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: 42, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['agencyId', 'extra']));
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY }, null)).status).toBe(400);
    expect((await api.get(`/dossiers/UNKNOWN-1`, officer)).status).toBe(404);
  });

  it('should not restart the time limit for a supplementation requested after the day it expired: the dossier stays late (domain §2.4)', async () => {
    // black-box round 6: 22 days overdue, supplement requested and received, then counted as "resolved early"
    const id = await receive({ policy: 'RESTART' });
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    clock.advance(14 * 24 * H);
    const requestedAt = clock.now().getTime();
    expect((await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Thiếu bản sao CCCD' })).status).toBe(200);
    clock.advance(24 * H);
    const got = await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, {});
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('IN_PROCESS');
    // the due date stays the one that had expired before the request (a restart would put it days after the receipt)
    expect(Date.parse(got.body.dueAt)).toBeLessThan(requestedAt - 24 * H);
    const received = await eventually(
      () => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'SupplementReceived'),
      'SupplementReceived published',
    );
    expect(Date.parse((received.value['payload'] as { newDueAt: string }).newDueAt)).toBe(Date.parse(got.body.dueAt));
  });

  it('should restart the due date from the supplement receipt under RESTART', async () => {
    const id = await receive({ policy: 'RESTART' });
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const req = await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Thiếu bản sao CCCD' });
    expect(req.body.status).toBe('SUPPLEMENT_REQUESTED');
    clock.advance(48 * H);
    const got = await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, {});
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('IN_PROCESS');
    expect(new Date(got.body.dueAt).getTime()).toBeGreaterThan(clock.now().getTime());
    // a closed supplementation cannot be received twice
    expect((await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, {})).status).toBe(409);
    await eventually(() => published(id).includes('SupplementReceived'), 'SupplementReceived published');
  });

  it("should keep the officer's note on a supplement receipt in the audit log (internal), never in the published event", async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Thiếu bản sao CCCD' });
    const note = 'Bà Lan nộp bổ sung bản sao CCCD 079188000777';
    expect((await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, { note })).status).toBe(200);
    const audit: { details: { note?: string } }[] = await ds.query(`SELECT details FROM processing.audit_log WHERE target = $1 AND action = 'supplement.receive'`, [id]);
    expect(audit.map((a) => a.details.note)).toEqual([note]);
    await eventually(() => published(id).includes('SupplementReceived'), 'SupplementReceived published');
    expect(JSON.stringify(events.messages.filter((m) => m.key === id).map((m) => m.value))).not.toContain('079188000777');
  });

  it('should shift the due date by the pause under PAUSE', async () => {
    const id = await receive({ policy: 'PAUSE' });
    const due0 = new Date((await api.get(`/dossiers/${id}`, officer)).body.dueAt).getTime();
    await api.post(`/dossiers/${id}/supplement-requests`, officer, { content: 'Bổ sung' });
    clock.advance(24 * H);
    const got = await api.post(`/dossiers/${id}/supplement-receipts`, officer, {});
    expect(new Date(got.body.dueAt).getTime()).toBeGreaterThan(due0);
  });

  it('should pause for a financial obligation and resume when result-service reports the payment', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const r = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 50000 }] });
    expect(r.body.status).toBe('AWAITING_PAYMENT');
    const due0 = new Date(r.body.dueAt).getTime();
    clock.advance(5 * H);
    await produce(producer, cfg.topics.lifecycle, [
      createEvent(
        'PaymentCompleted',
        { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948', paidAt: toVnIsoString(clock.now()), method: 'ONLINE', paidOnline: true, amount: 50000, gateway: 'NATIONAL_PORTAL' },
        { producer: 'result-service', correlationId: randomUUID() },
      ),
    ]);
    const after = await eventually(async () => {
      const g = await api.get(`/dossiers/${id}`, officer);
      return g.body.status === 'IN_PROCESS' ? g.body : null;
    }, 'resumed after payment');
    expect(new Date(after.dueAt).getTime()).toBeGreaterThanOrEqual(due0);
    expect(after.pauses).toEqual([expect.objectContaining({ kind: 'PAYMENT', endedAt: expect.any(String) })]);
  });

  // runs always (not a skipped test): "suspend" is the dossier's pause while waiting on another agency
  it('should run inter-agency steps, suspend and resume, apologise, then refuse', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const step = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SNV', dueAt: stepDue() });
    expect(step.status).toBe(200);
    const view = (await api.get(`/dossiers/${id}`, officer)).body;
    const stepId = view.interAgencySteps[0].stepId;
    expect(view.allowedActions).toContain('completeInterAgencyStep');
    expect((await api.post(`/dossiers/${id}/inter-agency-steps/${stepId}/complete`, agencyOfficer, { outcome: 'OK' })).status).toBe(200);
    // no step open any more: completing one is no longer offered (starting another still is)
    const after = (await api.get(`/dossiers/${id}`, officer)).body;
    expect(after.allowedActions).not.toContain('completeInterAgencyStep');
    expect(after.allowedActions).toContain('startInterAgencyStep');
    expect((await api.post(`/dossiers/${id}/inter-agency-steps/${stepId}/complete`, agencyOfficer, { outcome: 'OK' })).status).toBe(409);
    expect((await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Chờ xác minh' })).body.status).toBe('SUSPENDED');
    clock.advance(2 * H);
    expect((await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, { reason: 'Đã xác minh' })).body.status).toBe('IN_PROCESS');
    const cur = (await api.get(`/dossiers/${id}`, officer)).body;
    const newDueAt = new Date(new LegalCalendar().addWorkingMinutes(new Date(cur.dueAt).getTime(), 2 * 8 * 60)).toISOString();
    const apology = await api.post(`/dossiers/${id}/apologies`, agencyOfficer, { reason: 'Chậm xác minh', newDueAt });
    expect(apology.status).toBe(200);
    expect(apology.body.originalDueAt).toBe(cur.originalDueAt);
    expect((await api.post(`/dossiers/${id}/refusals`, agencyOfficer, { reason: 'Không đủ điều kiện' })).body.status).toBe('REFUSED');
    expect((await api.post(`/dossiers/${id}/withdrawals`, agencyOfficer, { requestRef: 'R-1' })).status).toBe(409);
    await eventually(
      () =>
        JSON.stringify(published(id)) ===
        JSON.stringify(['DossierReceived', 'DossierTransferred', 'InterAgencyStepStarted', 'InterAgencyStepCompleted', 'ProcessingSuspended', 'ProcessingResumed', 'ApologyIssued', 'DossierRefused']),
      'all events in order',
    );
  });

  it('should withdraw at the applicant request', async () => {
    const id = await receive();
    const r = await api.post(`/dossiers/${id}/withdrawals`, officer, { requestRef: 'DON-123' });
    expect(r.body).toMatchObject({ status: 'WITHDRAWN', finishedAt: expect.any(String) });
  });

  it('should list the work queue overdue first, then due soon, then the rest', async () => {
    const late = await receive({ dueInHours: 1 });
    const soon = await receive({ dueInHours: 20 });
    const later = await receive({ dueInHours: 200 });
    clock.advance(2 * H);
    const q = await api.get(`/work-queue?agencyId=${AGENCY}`, agencyOfficer);
    expect(q.status).toBe(200);
    const ids = q.body.items.map((i: { dossierId: string }) => i.dossierId);
    const pos = (id: string) => ids.indexOf(id);
    expect(pos(late)).toBeGreaterThanOrEqual(0);
    expect(pos(late)).toBeLessThan(pos(soon));
    expect(pos(soon)).toBeLessThan(pos(later));
    expect(q.body.items[pos(late)].urgency).toBe('OVERDUE');
    expect(q.body.items[pos(soon)].urgency).toBe('DUE_SOON');
    expect((await api.get(`/work-queue?agencyId=${AGENCY}`, stranger)).status).toBe(403);
  });

  it('should dead-letter an invalid event with its reason and keep consuming the partition', async () => {
    const id = dossierCode(UNIT);
    const bad = { key: id, value: JSON.stringify({ type: 'DossierReceived', version: 1, id: randomUUID(), payload: { dossierId: id } }) };
    await produce(producer, cfg.topics.lifecycle, [bad, { key: id, value: '{not json' }]);
    const good = await receive();
    expect(good).toBeTruthy();
    const dlq = await eventually(() => {
      const d = events.messages.filter((m) => m.topic === `${cfg.topics.lifecycle}.dlq` && m.key === id);
      return d.length === 2 ? d : null;
    }, 'two dead letters');
    expect(dlq.every((m) => (m.headers[DLQ_HEADERS.reason] ?? '').length > 0)).toBe(true);
    expect((await api.get(`/dossiers/${id}`, officer)).status).toBe(404);
  });

  it('should apply a redelivered event once (processed-event table)', async () => {
    const id = dossierCode(UNIT);
    const ev = receivedEvent({ dossierId: id, unitId: UNIT, receivedAt: clock.now(), dueAt: new Date(clock.now().getTime() + 72 * H) });
    await produce(producer, cfg.topics.lifecycle, [ev, ev]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, 'consumed');
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    await produce(producer, cfg.topics.lifecycle, [ev]);
    await new Promise((r) => setTimeout(r, 500));
    const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM processing.processed_event WHERE event_id = $1`, [ev.id]);
    expect(rows[0]?.n).toBe(1);
    expect((await api.get(`/dossiers/${id}`, officer)).body.status).toBe('IN_PROCESS');
  });

  it('should emit DossierDueSoon and DossierOverdue by itself as the clock crosses the thresholds', async () => {
    const id = await receive({ dueInHours: 30 });
    clock.advance(7 * H);
    await eventually(() => published(id).includes('DossierDueSoon'), 'due soon emitted', { timeoutMs: 10_000 });
    clock.advance(24 * H);
    await eventually(() => published(id).includes('DossierOverdue'), 'overdue emitted', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(published(id).filter((t) => t === 'DossierDueSoon' || t === 'DossierOverdue')).toEqual(['DossierDueSoon', 'DossierOverdue']);
  });

  it('should date DossierDueSoon at the receipt when received inside the window, and the statistics reducer should fold it from the public topic', async () => {
    const receivedAt = clock.now();
    const id = await receive({ dueInHours: 20 }); // threshold (due − 24 h) is 4 h before the receipt
    const message = await eventually(
      () => events.messages.find((m) => m.topic === cfg.topics.public && m.key === id && m.value['type'] === 'DossierDueSoon'),
      'due soon on the public topic',
      { timeoutMs: 10_000 },
    );
    const dueSoon = parsePublicEvent(message.value);
    expect(new Date(dueSoon.occurredAt).getTime()).toBe(receivedAt.getTime());
    expect(new Date(dueSoon.occurredAt).getTime()).toBeLessThanOrEqual(new Date((dueSoon.payload as { detectedAt: string }).detectedAt).getTime());
    const received = parsePublicEvent(
      toPublicEvent(receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt, dueAt: new Date(receivedAt.getTime() + 20 * H) })),
    );
    // the alert does not change the counters, and it folds in any order
    expect(reduceEventsToLeaves([received, dueSoon])).toEqual(reduceEventsToLeaves([received]));
    expect(reduceEventsToLeaves([dueSoon, received])).toEqual(reduceEventsToLeaves([received]));
  });

  it('should refuse a transfer to the agency that already holds the dossier (409 agencyId), changing and publishing nothing', async () => {
    const id = await receive(); // named agency at receipt: AGENCY; the first transfer to it starts processing
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).status).toBe(200);
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const same = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY, officerId: 'off-7' });
    expect(same.status).toBe(409);
    expect(same.headers.get('content-type')).toContain('application/problem+json');
    expect(same.body).toMatchObject({ code: 'ALREADY_AT_AGENCY', currentStatus: 'IN_PROCESS', action: 'transfer', errors: [{ field: 'agencyId', message: expect.stringContaining(AGENCY) }] });
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    // a real move, and back, are transfers
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: '01.SNV' })).body).toMatchObject({ status: 'IN_PROCESS', agencyId: '01.SNV' });
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: '01.SNV' })).status).toBe(409);
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).body).toMatchObject({ agencyId: AGENCY });
    await eventually(() => published(id).filter((t) => t === 'DossierTransferred').length === 3, 'three real transfers published');
    await new Promise((r) => setTimeout(r, 300));
    expect(published(id).filter((t) => t === 'DossierTransferred')).toHaveLength(3);
  });

  it('should refuse an inter-agency step with the agency that holds the dossier (409 agencyId), publishing nothing', async () => {
    const id = await receive();
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).status).toBe(200);
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const self = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: AGENCY, dueAt: toVnIsoString(new Date(stepDue())) });
    expect(self.status).toBe(409);
    expect(self.headers.get('content-type')).toContain('application/problem+json');
    expect(self.body).toMatchObject({ code: 'STEP_WITH_HOLDING_AGENCY', errors: [{ field: 'agencyId', message: expect.stringContaining(AGENCY) }] });
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('InterAgencyStepStarted');
    const other = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SNV', dueAt: toVnIsoString(new Date(stepDue())) });
    expect(other.status).toBe(200);
  });

  it('should refuse an apology appointment beyond one more time limit of the procedure (422 newDueAt), e.g. a typo year, and accept one within it', async () => {
    const id = await receive(); // 3 working days
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const calendar = new LegalCalendar();
    const base = Math.max(new Date(before.dueAt).getTime(), clock.now().getTime());
    const latest = calendar.closingInstant(toVnDate(new DeadlineCalculator(calendar).computeDueDate({ receivedAt: base, limit: { value: 3, unit: 'WORKING_DAYS' } }).currentDueAtMs));
    const typo = await api.post(`/dossiers/${id}/apologies`, agencyOfficer, { reason: 'Chậm xác minh', newDueAt: '2206-12-29T09:00:00+07:00' }); // typo of the year, a working morning
    expect(typo.status).toBe(422);
    expect(typo.headers.get('content-type')).toContain('application/problem+json');
    expect(typo.body.errors).toEqual([expect.objectContaining({ field: 'newDueAt', message: expect.stringContaining(toVnIsoString(new Date(latest)).slice(0, 16)) })]);
    const dayAfter = calendar.openingInstant(calendar.addWorkingDays(toVnDate(latest), 1)) + H;
    expect((await api.post(`/dossiers/${id}/apologies`, agencyOfficer, { reason: 'Chậm xác minh', newDueAt: new Date(dayAfter).toISOString() })).status).toBe(422);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('ApologyIssued');
    const ok = await api.post(`/dossiers/${id}/apologies`, agencyOfficer, { reason: 'Chậm xác minh', newDueAt: new Date(latest).toISOString() });
    expect(ok.status).toBe(200);
    expect(new Date(ok.body.dueAt).getTime()).toBe(latest);
    await eventually(() => published(id).includes('ApologyIssued'), 'apology published');
  });

  it('should name the field at fault in errors[] of every 409', async () => {
    const id = await receive();
    const invalid = await api.post(`/dossiers/${id}/supplement-receipts`, officer, {});
    expect(invalid.status).toBe(409);
    expect(invalid.body).toMatchObject({ currentStatus: 'RECEIVED', errors: [{ field: 'status', message: expect.stringContaining('RECEIVED') }] });
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).status).toBe(200);
    const step = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SYT', dueAt: stepDue() });
    expect(step.status).toBe(200);
    const reopened = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SYT', dueAt: stepDue() });
    expect(reopened.status).toBe(409);
    expect(reopened.body).toMatchObject({ code: 'INTER_AGENCY_STEP_ALREADY_OPEN', errors: [{ field: 'agencyId' }] });
    const stepId = (await api.get(`/dossiers/${id}`, officer)).body.interAgencySteps[0].stepId as string;
    expect((await api.post(`/dossiers/${id}/inter-agency-steps/${stepId}/complete`, agencyOfficer, {})).status).toBe(200);
    const again = await api.post(`/dossiers/${id}/inter-agency-steps/${stepId}/complete`, agencyOfficer, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INTER_AGENCY_STEP_NOT_OPEN', errors: [{ field: 'stepId', message: expect.stringContaining(stepId) }] });
    expect((await api.post(`/dossiers/${id}/withdrawals`, agencyOfficer, { requestRef: 'R-9' })).status).toBe(200);
    const assign = await api.post(`/dossiers/${id}/assign`, agencyOfficer, { officerId: 'off-3' });
    expect(assign.status).toBe(409);
    expect(assign.headers.get('content-type')).toContain('application/problem+json');
    expect(assign.body).toMatchObject({ currentStatus: 'WITHDRAWN', action: 'assign', errors: [{ field: 'status', message: expect.stringContaining('WITHDRAWN') }] });
  });

  it('should refuse an unknown agency (422 agencyId; an electronic agency identifier only for a step) and a step due date not after the receipt and now (422 dueAt / stepDueAt), publishing nothing', async () => {
    const id = await receive();
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const bogus = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: 'ZZZ-bogus' });
    expect(bogus.status).toBe(422);
    expect(bogus.headers.get('content-type')).toContain('application/problem+json');
    expect(bogus.body.errors).toEqual([expect.objectContaining({ field: 'agencyId' })]);
    // an agency outside the catalogue may be consulted (below), never transferred to
    const external = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: '000.00.15.H56' });
    expect(external.status).toBe(422);
    expect(external.body.errors).toEqual([expect.objectContaining({ field: 'agencyId' })]);
    const pastStepDue = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY, stepDueAt: '2020-01-01T00:00:00Z' });
    expect(pastStepDue.status).toBe(422);
    expect(pastStepDue.body.errors).toEqual([expect.objectContaining({ field: 'stepDueAt' })]);
    const unknownStep = await api.post(`/dossiers/${id}/inter-agency-steps`, officer, { agencyId: 'nonexistent', dueAt: stepDue() });
    expect(unknownStep.status).toBe(422);
    expect(unknownStep.body.errors).toEqual([expect.objectContaining({ field: 'agencyId' })]);
    const oldStep = await api.post(`/dossiers/${id}/inter-agency-steps`, officer, { agencyId: '01.SNV', dueAt: '2020-01-01T00:00:00Z' });
    expect(oldStep.status).toBe(422);
    expect(oldStep.body.errors).toEqual([expect.objectContaining({ field: 'dueAt' })]);
    const pastStep = await api.post(`/dossiers/${id}/inter-agency-steps`, officer, { agencyId: '01.SNV', dueAt: new Date(clock.now().getTime() - 1000).toISOString() });
    expect(pastStep.status).toBe(422);
    expect(pastStep.body.errors).toEqual([expect.objectContaining({ field: 'dueAt' })]);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    // a tax office by its electronic agency identifier (QĐ 20/2020): accepted for an inter-agency step (ADR 0306)
    const ok = await api.post(`/dossiers/${id}/inter-agency-steps`, officer, { agencyId: '000.00.15.H56', dueAt: stepDue() });
    expect(ok.status).toBe(200);
    await eventually(() => published(id, cfg.topics.public).includes('InterAgencyStepStarted'), 'step published');
    expect(published(id)).toEqual(['DossierReceived', 'InterAgencyStepStarted']);
    expect(published(id, cfg.topics.public)).not.toContain('DossierTransferred');
  });

  it('should refuse an apology whose new appointment is on a day off or out of hours (422 newDueAt), but accept one after the due date', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const saturday = await api.post(`/dossiers/${id}/apologies`, officer, { reason: 'Chậm', newDueAt: '2026-12-26T09:00:00+07:00' });
    expect(saturday.status).toBe(422);
    expect(saturday.headers.get('content-type')).toContain('application/problem+json');
    expect(saturday.body.errors).toEqual([expect.objectContaining({ field: 'newDueAt' })]);
    const night = await api.post(`/dossiers/${id}/apologies`, officer, { reason: 'Chậm', newDueAt: '2026-12-28T20:00:00+07:00' });
    expect(night.status).toBe(422);
    expect(night.body.errors).toEqual([expect.objectContaining({ field: 'newDueAt' })]);
    // the close of the working day after the appointment in force: within one more time limit (ADR 0309)
    const calendar = new LegalCalendar();
    const close = calendar.closingInstant(calendar.addWorkingDays(toVnDate(Date.parse((await api.get(`/dossiers/${id}`, officer)).body.dueAt)), 1));
    const monday = await api.post(`/dossiers/${id}/apologies`, officer, { reason: 'Chậm', newDueAt: toVnIsoString(new Date(close)) });
    expect(monday.status).toBe(200);
    expect(monday.body.dueAt).toBe(toVnIsoString(new Date(close)));

    // after the due date: still allowed (ADR 0306); the legal due date, and so the late classification, stays
    const late = await receive({ dueInHours: 1 });
    await api.post(`/dossiers/${late}/transfer`, officer, { agencyId: AGENCY });
    clock.advance(2 * H);
    const legal = (await api.get(`/dossiers/${late}`, officer)).body.originalDueAt as string;
    const nextMorning = calendar.openingInstant(calendar.addWorkingDays(toVnDate(clock.now().getTime()), 1)) + 2 * H;
    const expired = await api.post(`/dossiers/${late}/apologies`, officer, { reason: 'Chậm', newDueAt: toVnIsoString(new Date(nextMorning)) });
    expect(expired.status).toBe(200);
    expect(expired.body).toMatchObject({ dueAt: toVnIsoString(new Date(nextMorning)), originalDueAt: legal });
    expect(new Date(legal).getTime()).toBeLessThan(clock.now().getTime());
  });

  it('should show every instant of its answers in Asia/Ho_Chi_Minh (+07:00) and keep the event payloads as they were', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const step = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SNV', dueAt: stepDue() });
    expect(step.body.receivedAt).toBe(toVnIsoString(clock.now()));
    await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Chờ' });
    clock.advance(H);
    await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, {});
    const view = (await api.get(`/dossiers/${id}`, officer)).body;
    const vnIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/;
    for (const v of [view.receivedAt, view.dueAt, view.originalDueAt, view.interAgencySteps[0].startedAt, view.interAgencySteps[0].dueAt, view.pauses[0].startedAt, view.pauses[0].endedAt, ...view.dueDateHistory.map((c: { changedAt: string }) => c.changedAt)]) {
      expect(v).toMatch(vnIso);
    }
    const queue = (await api.get(`/work-queue?agencyId=${AGENCY}`, agencyOfficer)).body;
    expect(queue.asOf).toMatch(vnIso);
    const started = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'InterAgencyStepStarted'), 'step event');
    expect((started.value['payload'] as { stepDueAt: string }).stepDueAt).toBe(view.interAgencySteps[0].dueAt);
  });

  it('should record an exempt financial obligation without a payment wait: status IN_PROCESS, clock running', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const r = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 50000 }], exempt: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'IN_PROCESS', pausedAt: null, pauseKind: null, dueAt: before.dueAt });
    expect((await api.get(`/dossiers/${id}`, officer)).body.pauses).toEqual([]);
    const ev = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'FinancialObligationRequested'), 'obligation published');
    expect(ev.value['payload']).toMatchObject({ exempt: true, totalAmount: 50000 });
    // a charged obligation still waits for the payment
    const charged = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP2', name: 'Phí', amount: 20000 }] });
    expect(charged.body.status).toBe('AWAITING_PAYMENT');
  });

  it('should refuse a financial obligation whose amount is not the sum of its lines, a repeated fee code or an unbounded amount, and change nothing', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const line = { code: 'LP_CT', name: 'Lệ phí chứng thực', amount: 2000 };
    const mismatch = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [line], amount: 0 });
    expect(mismatch.status).toBe(422);
    expect(mismatch.headers.get('content-type')).toContain('application/problem+json');
    expect(mismatch.body.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
    const repeated = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [line, { ...line, amount: 1 }] });
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([expect.objectContaining({ field: 'feeLines[1].code' })]);
    const unbounded = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ ...line, amount: 9e19 }] });
    expect(unbounded.status).toBe(400);
    expect(unbounded.body.errors).toEqual([expect.objectContaining({ field: 'feeLines[0].amount' })]);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    const ok = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [line], amount: 2000 });
    expect(ok.status).toBe(200);
    const ev = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'FinancialObligationRequested'), 'obligation published');
    expect(ev.value['payload']).toMatchObject({ totalAmount: 2000 });
    expect(published(id).filter((t) => t === 'FinancialObligationRequested')).toHaveLength(1);
  });

  it('should refuse a withdrawal reference that is free text, an id/phone number or longer than the contract allows (400 requestRef), and keep the reason off the public topic', async () => {
    const id = await receive();
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    // also an ID/phone number inside a code-looking reference
    for (const requestRef of ['Bà Nguyễn Thị Lan 0912345678', '001099012345', 'A'.repeat(65), 'Lan-0912345678', 'CCCD-001099012345']) {
      const r = await api.post(`/dossiers/${id}/withdrawals`, officer, { requestRef });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('requestRef');
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    const reason = 'Bà Nguyễn Thị Lan chuyển công tác';
    const ok = await api.post(`/dossiers/${id}/withdrawals`, officer, { requestRef: '15/2025/ĐRHS', reason });
    expect(ok.body.status).toBe('WITHDRAWN');
    const pub = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.public && m.key === id && m.value['type'] === 'DossierWithdrawn'), 'public DossierWithdrawn');
    expect(pub.value['payload']).toMatchObject({ requestRef: '15/2025/ĐRHS' });
    expect(JSON.stringify(pub.value)).not.toContain('Nguyễn');
    const audit: { details: { reason?: string } }[] = await ds.query(`SELECT details FROM processing.audit_log WHERE target = $1 AND action = 'dossier.withdraw'`, [id]);
    expect(audit[0]?.details.reason).toBe(reason);
  });

  it('should answer problem+json naming the field and change nothing: malformed step id (404 stepId), past applicant deadline (422), form body (415), malformed URL (400 path)', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const step = await api.post(`/dossiers/${id}/inter-agency-steps/not-a-uuid/complete`, agencyOfficer, {});
    expect(step.status).toBe(404);
    expect(step.headers.get('content-type')).toContain('application/problem+json');
    expect(step.body.errors).toEqual([expect.objectContaining({ field: 'stepId' })]);
    const past = await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Bổ sung bản sao', applicantDeadline: toVnIsoString(new Date(clock.now().getTime() - H)) });
    expect(past.status).toBe(422);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'applicantDeadline' })]);
    const base = await app.getUrl();
    const form = await fetch(`${base}/dossiers/${id}/refusals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agencyOfficer}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': randomUUID() },
      body: 'reason=abc',
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toContain('application/problem+json');
    expect(((await form.json()) as { errors: { field: string }[] }).errors).toEqual([expect.objectContaining({ field: 'content-type' })]);
    const badUrl = await fetch(`${base}/dossiers/%E0%A4%A`, { headers: { authorization: `Bearer ${officer}` } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers.get('content-type')).toContain('application/problem+json');
    expect(((await badUrl.json()) as { errors: { field: string }[] }).errors).toEqual([expect.objectContaining({ field: 'path' })]);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('DossierRefused');
  });

  it('should answer 400 naming the field for a NUL character in free text and 404 for one in the dossier id, not 500, changing nothing', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const nul = 'Xác minh\u0000';
    const cases: [string, object, string][] = [
      ['suspensions', { reason: nul }, 'reason'],
      ['refusals', { reason: nul }, 'reason'],
      ['supplement-requests', { content: nul }, 'content'],
      ['apologies', { reason: nul, newDueAt: '2026-11-27T09:00:00+07:00' }, 'reason'],
      ['withdrawals', { requestRef: 'RUT-1', reason: nul }, 'reason'],
      ['inter-agency-steps', { agencyId: AGENCY, dueAt: toVnIsoString(new Date(stepDue())), description: nul }, 'description'],
      ['financial-obligations', { feeLines: [{ code: 'LP1', name: nul, amount: 1000 }] }, 'feeLines[0].name'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api.post(`/dossiers/${id}/${path}`, agencyOfficer, body);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    for (const r of [await api.get('/dossiers/%00', officer), await api.post('/dossiers/%00/refusals', officer, { reason: 'x' })]) {
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
  });

  it('should answer 400 naming the field for free text holding a lone UTF-16 surrogate (unstorable as JSON), not 500, and take emoji as they are', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const broken = 'Thiếu bản sao CCCD \ud83d'; // half of an emoji: valid JSON (`"\\ud83d"`), not a character
    const cases: [string, object, string][] = [
      ['supplement-requests', { content: broken }, 'content'],
      ['suspensions', { reason: `\udc00${broken}` }, 'reason'],
      ['refusals', { reason: broken }, 'reason'],
      ['withdrawals', { requestRef: 'RUT-2', reason: broken }, 'reason'],
      ['financial-obligations', { feeLines: [{ code: 'LP1', name: broken, amount: 1000 }] }, 'feeLines[0].name'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api.post(`/dossiers/${id}/${path}`, agencyOfficer, body);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('SupplementRequested');
    const emoji = await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Thiếu bản sao CCCD 🙏📄' });
    expect(emoji.status).toBe(200);
    await eventually(
      () => events.messages.some((m) => m.topic === cfg.topics.lifecycle && m.key === id && (m.value['payload'] as { content?: string }).content === 'Thiếu bản sao CCCD 🙏📄'),
      'emoji published intact',
    );
  });

  it('should answer 400 naming the field for blank free text and for personal numbers written in groups in published fields, changing nothing', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const cases: [string, object, string][] = [
      // a blank reason on an official form (Mẫu 05 refusal, supplement request) is no reason
      ['suspensions', { reason: '   ' }, 'reason'],
      ['refusals', { reason: ' \t\n ' }, 'reason'],
      ['supplement-requests', { content: '\u00a0 ' }, 'content'],
      // published on the public topic: an ID number, a phone, a name where a reference number belongs
      ['withdrawals', { requestRef: '001-077-005-555' }, 'requestRef'],
      ['withdrawals', { requestRef: 'Hoàng-Văn-Nam' }, 'requestRef'],
      ['financial-obligations', { feeLines: [{ code: '001.166.007.777', name: 'Lệ phí hộ tịch', amount: 8000 }] }, 'feeLines[0].code'],
      ['financial-obligations', { feeLines: [{ code: 'LP1', name: 'Lệ phí của bà Thu, SĐT 0966.777.888', amount: 8000 }] }, 'feeLines[0].name'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api.post(`/dossiers/${id}/${path}`, agencyOfficer, body);
      expect({ path, field, status: r.status }).toEqual({ path, field, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('FinancialObligationRequested');
    // an amount in a fee's name is not a phone number
    const fee = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP-2026/01', name: 'Phí thẩm định (100.000.000 đồng)', amount: 8000 }] });
    expect(fee.status).toBe(200);
  });

  it('should answer 400 naming the field for a leap-second timestamp (RFC 3339-valid, no JavaScript instant), not 500, changing nothing', async () => {
    const id = await receive();
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const leap = '2026-12-31T23:59:60Z';
    const cases: [string, object, string][] = [
      ['transfer', { agencyId: AGENCY, stepDueAt: leap }, 'stepDueAt'],
      ['supplement-requests', { content: 'Bổ sung bản sao', applicantDeadline: leap }, 'applicantDeadline'],
      ['inter-agency-steps', { agencyId: '01.SNV', dueAt: leap }, 'dueAt'],
      ['apologies', { reason: 'Chậm', newDueAt: leap }, 'newDueAt'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api.post(`/dossiers/${id}/${path}`, agencyOfficer, body);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).toEqual(['DossierReceived']);
  });

  it('should shift the due date by the working time of a suspension spanning the Tết closure, and count a make-up Saturday as a working day', async () => {
    const saved = clock.now();
    try {
      // received Thu 12/2/2026 09:00 (3 working days: Fri 13/2, then Tết 14–22/2 closed, Mon 23/2, Tue 24/2 09:00)
      clock.set('2026-02-12T02:00:00Z');
      const tet = await receive({ dueInHours: 12 * 24 }); // intake's appointment: Tue 24/2 09:00
      await api.post(`/dossiers/${tet}/transfer`, officer, { agencyId: AGENCY });
      clock.set('2026-02-13T03:00:00Z'); // Fri 10:00: suspended
      expect((await api.post(`/dossiers/${tet}/suspensions`, agencyOfficer, { reason: 'Chờ xác minh' })).status).toBe(200);
      clock.set('2026-02-23T03:00:00Z'); // Mon 10:00 after Tết: 5 h on Friday + 3 h on Monday = one working day paused
      const resumed = await api.post(`/dossiers/${tet}/resumptions`, agencyOfficer, {});
      expect(resumed.body).toMatchObject({ status: 'IN_PROCESS', dueAt: '2026-02-25T09:00:00.000+07:00' });

      // received Fri 9/1/2026 09:00 under PAUSE, due Tue 13/1 09:00 (Sat 10/1 (1), Mon 12/1 (2), Tue 13/1 (3));
      // Sat 10/1/2026 is a make-up working day (swap for Fri 2/1)
      clock.set('2026-01-09T02:00:00Z');
      const swap = await receive({ policy: 'PAUSE', dueInHours: 4 * 24 });
      await api.post(`/dossiers/${swap}/transfer`, officer, { agencyId: AGENCY });
      clock.set('2026-01-09T03:00:00Z'); // Fri 10:00
      expect((await api.post(`/dossiers/${swap}/supplement-requests`, agencyOfficer, { content: 'Bổ sung bản sao' })).status).toBe(200);
      clock.set('2026-01-12T03:00:00Z'); // Mon 10:00: 5 h on Friday + 8 h on the make-up Saturday + 3 h on Monday = 2 working days
      const got = await api.post(`/dossiers/${swap}/supplement-receipts`, agencyOfficer, {});
      expect(got.body).toMatchObject({ status: 'IN_PROCESS', dueAt: '2026-01-15T09:00:00.000+07:00' });
    } finally {
      clock.set(saved.toISOString());
    }
  });

  it('should keep an imported appointment as the base: a suspension only extends it, and ProcessingResumed carries newDueAt', async () => {
    // black-box: imported 01.00004-261102-0201 (received 2/11, appointment 15/12 10:00), transfer, suspend, resume →
    // due and originalDueAt went back to receipt + 5 working days (9/11 08:00), and it was then counted "resolved late"
    const calendar = new LegalCalendar();
    const id = dossierCode(UNIT);
    const now = clock.now();
    const appointment = new Date(calendar.addWorkingMillis(now.getTime(), 15 * 8 * H)); // weeks later than the calendar's
    const ev = receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: new Date(now.getTime() - 21 * 24 * H), dueAt: appointment });
    await produce(producer, cfg.topics.lifecycle, [createEvent('DossierReceived', { ...ev.payload, timeLimit: { value: 5, unit: 'WORKING_DAYS' } }, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: ev.occurredAt ? new Date(ev.occurredAt) : now, imported: true })]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    const due = toVnIsoString(appointment);
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).status).toBe(200);
    expect((await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Chờ' })).status).toBe(200);
    clock.advance(700); // a sub-second suspension moves nothing (whole working days paused, rounded down)
    const resumed = await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, {});
    expect(resumed.body).toMatchObject({ status: 'IN_PROCESS', dueAt: due, originalDueAt: due });
    // two whole working days paused (and a few hours, dropped): both dates move two working days later
    expect((await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Chờ' })).status).toBe(200);
    const t = clock.now().getTime();
    clock.set(new Date(calendar.addWorkingMillis(t, 2 * 8 * H + 3 * H)).toISOString());
    const later = toVnIsoString(new Date(calendar.addWorkingMillis(appointment.getTime(), 2 * 8 * H)));
    const again = await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, {});
    expect(again.body).toMatchObject({ status: 'IN_PROCESS', dueAt: later, originalDueAt: later });
    const resumptions = await eventually(() => {
      const r = events.messages.filter((m) => m.topic === cfg.topics.public && m.key === id && m.value['type'] === 'ProcessingResumed');
      return r.length === 2 ? r : null;
    }, 'both resumptions published');
    expect(resumptions.map((m) => (m.value['payload'] as { newDueAt?: string }).newDueAt).map((v) => (v ? Date.parse(v) : v))).toEqual([Date.parse(due), Date.parse(later)]);
    const internal = events.messages.filter((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'ProcessingResumed');
    expect(internal.map((m) => Date.parse((m.value['payload'] as { newDueAt: string }).newDueAt))).toEqual([Date.parse(due), Date.parse(later)]);
  });

  it('should publish ProcessingResumed with newDueAt null for a dossier without an appointment', async () => {
    const id = dossierCode(UNIT);
    await produce(producer, cfg.topics.lifecycle, [receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: clock.now(), dueAt: null })]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Chờ' });
    expect((await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, {})).body).toMatchObject({ status: 'IN_PROCESS', dueAt: null });
    const ev = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'ProcessingResumed'), 'resumption published');
    expect(ev.value['payload']).toMatchObject({ newDueAt: null });
  });

  it('should neither restart nor pause the clock of an imported dossier for a supplementation requested after its appointment', async () => {
    // black-box: imported appointment 3/11 10:00; supplement requested and received on 25/11 moved it to 9/11
    const id = dossierCode(UNIT);
    const now = clock.now();
    const expired = new Date(new LegalCalendar().addWorkingMillis(now.getTime() - 20 * 24 * H, 0));
    await produce(producer, cfg.topics.lifecycle, [receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: new Date(now.getTime() - 30 * 24 * H), dueAt: expired, policy: 'RESTART' })]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    expect((await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Bổ sung bản sao' })).status).toBe(200);
    clock.advance(24 * H);
    const got = await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, {});
    expect(got.body).toMatchObject({ status: 'IN_PROCESS', dueAt: toVnIsoString(expired), originalDueAt: toVnIsoString(expired) });
    expect((await api.get(`/dossiers/${id}`, officer)).body.dueDateHistory).toEqual([]);
    const received = await eventually(() => events.messages.find((m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'SupplementReceived'), 'receipt published');
    expect(Date.parse((received.value['payload'] as { newDueAt: string }).newDueAt)).toBe(expired.getTime());
  });

  it('should refuse an inter-agency step (or transfer step) due date on a day off or out of hours: 422 naming dueAt / stepDueAt, nothing changes', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    // the next day off (a Saturday, 28/11/2026 in the black-box report) at 10:00 and a working day's evening, both ahead
    const calendar = new LegalCalendar();
    let day = toVnDate(clock.now().getTime() + 24 * H);
    while (calendar.isWorkingDay(day)) day = toVnDate(Date.parse(`${day}T12:00:00+07:00`) + 24 * H);
    const evening = `${calendar.nextWorkingDay(toVnDate(clock.now().getTime()))}T20:00:00+07:00`;
    for (const dueAt of [`${day}T10:00:00+07:00`, evening]) {
      const r = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SNV', dueAt });
      expect({ dueAt, status: r.status }).toEqual({ dueAt, status: 422 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'dueAt', message: expect.stringContaining('working hours of a working day') })]);
    }
    const transfer = await api.post(`/dossiers/${id}/transfer`, agencyOfficer, { agencyId: '01.SNV', stepDueAt: `${day}T10:00:00+07:00` });
    expect(transfer.status).toBe(422);
    expect(transfer.body.errors).toEqual([expect.objectContaining({ field: 'stepDueAt' })]);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('InterAgencyStepStarted');
    expect((await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '01.SNV', dueAt: stepDue() })).status).toBe(200);
  });

  it('should answer 400 naming the filter for a work-queue officerId or agencyId that cannot be an id (NUL, free text), not 500', async () => {
    const admin = tokenFor({ unitId: UNIT, officerId: 'admin-1', roles: ['admin'] });
    const cases: [string, string][] = [
      ['officerId=%00', 'officerId'],
      ['officerId=abc%00', 'officerId'],
      [`officerId=${'x'.repeat(65)}`, 'officerId'],
      ['agencyId=%00', 'agencyId'],
      ['agencyId=01.STP%00', 'agencyId'],
    ];
    for (const [query, field] of cases) {
      const r = await api.get(`/work-queue?${query}`, admin);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await api.get(`/work-queue?officerId=off-2&agencyId=${AGENCY}`, agencyOfficer)).status).toBe(200);
    expect((await api.get('/work-queue?officerId=me', officer)).status).toBe(200);
  });

  it('should keep the appointment of a dossier whose contract-valid time limit the calendar cannot count, instead of 500 / a stalled consumer', async () => {
    const id = dossierCode(UNIT);
    const now = clock.now();
    const received = receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: now, dueAt: new Date(now.getTime() + 72 * H) });
    const odd = createEvent('DossierReceived', { ...received.payload, timeLimit: { value: 1.5, unit: 'CALENDAR_DAYS' } }, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: now });
    await produce(producer, cfg.topics.lifecycle, [odd]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const due = (await api.get(`/dossiers/${id}`, officer)).body.dueAt;
    expect((await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Bổ sung bản sao' })).status).toBe(200);
    clock.advance(H);
    const got = await api.post(`/dossiers/${id}/supplement-receipts`, agencyOfficer, {});
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'IN_PROCESS', dueAt: due });
    // a payment published by result-service resumes it through the consumer, which keeps going
    expect((await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 1000 }] })).body.status).toBe('AWAITING_PAYMENT');
    await produce(producer, cfg.topics.lifecycle, [
      createEvent('PaymentCompleted', { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948', paidAt: toVnIsoString(clock.now()), method: 'CASH', paidOnline: false, amount: 1000 }, { producer: 'result-service', correlationId: randomUUID(), occurredAt: clock.now() }),
    ]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).body.status === 'IN_PROCESS', 'payment applied');
    expect(await receive()).toBeTruthy(); // later events are still consumed
  });

  it('should resume a dossier whose apology was accepted against an imported appointment earlier than the calendar’s (no 500, no stalled consumer)', async () => {
    // the old system's appointment (1 h after receipt) is earlier than the calendar's 3 working days
    const id = dossierCode(UNIT);
    const now = clock.now();
    await produce(producer, cfg.topics.lifecycle, [receivedEvent({ dossierId: id, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: now, dueAt: new Date(now.getTime() + H) })]);
    await eventually(async () => (await api.get(`/dossiers/${id}`, officer)).status === 200, `dossier ${id} consumed`);
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const newDueAt = toVnIsoString(new Date(new LegalCalendar().nextWorkingInstant(now.getTime() + 2 * H)));
    expect((await api.post(`/dossiers/${id}/apologies`, agencyOfficer, { reason: 'Chờ xác minh', newDueAt })).status).toBe(200);
    expect((await api.post(`/dossiers/${id}/suspensions`, agencyOfficer, { reason: 'Xác minh' })).status).toBe(200);
    clock.advance(H / 2);
    const resumed = await api.post(`/dossiers/${id}/resumptions`, agencyOfficer, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('IN_PROCESS');
    // the same through the consumer: an imported suspension/resumption pair
    await produce(producer, cfg.topics.lifecycle, [
      createEvent('ProcessingSuspended', { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948', at: toVnIsoString(clock.now()), reason: 'x' }, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: clock.now() }),
      createEvent('ProcessingResumed', { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948', at: toVnIsoString(clock.now()), reason: 'x' }, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: clock.now() }),
    ]);
    expect(await receive()).toBeTruthy(); // later events are still consumed
  });

  it('should follow an imported resumption dated before its suspension (pause closed at its start) and keep consuming', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const t = clock.now().getTime();
    const imported = (type: 'ProcessingSuspended' | 'ProcessingResumed', at: number) =>
      createEvent(type, { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948', at: toVnIsoString(new Date(at)), reason: 'x' }, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: new Date(at), imported: true });
    await produce(producer, cfg.topics.lifecycle, [imported('ProcessingSuspended', t), imported('ProcessingResumed', t - H)]);
    await eventually(async () => {
      const b = (await api.get(`/dossiers/${id}`, officer)).body;
      return b.status === 'IN_PROCESS' && b.pauses.length === 1 && b.pauses[0].endedAt !== null;
    }, 'imported resumption applied');
    expect(await receive()).toBeTruthy(); // later events are still consumed
  });

  // black-box round 8: an imported SupplementReceived stated newDueAt 22/10, processing computed 27/10 by its own rule
  // and statistics followed 22/10: the work queue and the gauges disagreed. The stated date is followed.
  it("should follow an imported end of a pause that states the legal due date after it (newDueAt), as intake and statistics do", async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body as { dueAt: string };
    const t = clock.now().getTime();
    const stated = new Date(Date.parse(before.dueAt) + 26 * H); // not what the pause rule gives for a one-hour pause
    const meta = (at: number) => ({ producer: 'intake-service', correlationId: randomUUID(), occurredAt: new Date(at), imported: true });
    const base = { dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948' };
    await produce(producer, cfg.topics.lifecycle, [
      createEvent('ProcessingSuspended', { ...base, at: toVnIsoString(new Date(t)), reason: 'x' }, meta(t)),
      createEvent('ProcessingResumed', { ...base, at: toVnIsoString(new Date(t + H)), reason: 'resumed', newDueAt: toVnIsoString(stated) }, meta(t + H)),
    ]);
    const after = await eventually(async () => {
      const b = (await api.get(`/dossiers/${id}`, officer)).body;
      return b.status === 'IN_PROCESS' && b.pauses.length === 1 && b.pauses[0].endedAt !== null ? b : undefined;
    }, 'imported resumption applied');
    expect({ dueAt: after.dueAt, originalDueAt: after.originalDueAt }).toEqual({ dueAt: toVnIsoString(stated), originalDueAt: toVnIsoString(stated) });
  });

  it('should refuse a fee line name carrying a phone/ID number or an e-mail (published on the public topic): 400 feeLines[i].name', async () => {
    const id = await receive();
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    for (const name of ['Lệ phí cho ông Trần Văn B 0912345678', 'Lệ phí CCCD 001099012345', 'Phí gửi lan@example.vn']) {
      const r = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 1000 }, { code: 'LP2', name, amount: 1000 }] });
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('feeLines[1].name');
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    const ok = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí chứng thực 2.000 đ/trang', amount: 2000 }] });
    expect(ok.status).toBe(200);
  });

  // black-box round 8: the applicant's name, address and e-mail (full-width ＠, "(at)") in a fee line, and their phone
  // split by `/` in a withdrawal reference, were published; intake refused the same values. Processing keeps keyed
  // marks of the applicant from the internal DossierReceived and refuses them in every published field.
  it("should refuse the applicant's own name, address, e-mail or phone in a fee line or a withdrawal reference (400 naming the field), however written", async () => {
    const applicant = { fullName: 'Trần Văn Bình', idNumber: '001099012345', phone: '0987654321', email: 'binh.tran@gmail.com', address: 'Số 5 ngõ 10 Phố Huế' };
    const id = await receive({ applicant });
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    expect(JSON.stringify(before)).not.toContain('binh'); // the marks are not the data, and the view shows neither
    const names = ['Lệ phí Trần Văn Bình', 'Phí Số 5 ngõ 10 Phố Huế', 'Phí binh.tran＠gmail.com', 'Phí binh.tran(at)gmail.com', 'Lệ phí Bình Trần Văn'];
    for (const name of names) {
      const r = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 1000 }, { code: 'LP2', name, amount: 1000 }] });
      expect([name, r.status, r.body.errors?.map((e: { field: string }) => e.field)]).toEqual([name, 400, ['feeLines[1].name']]);
    }
    const code = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'Tran_Van_Binh', name: 'Lệ phí', amount: 1000 }] });
    expect([code.status, code.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['feeLines[0].code']]);
    for (const requestRef of ['RUT/0987/654/321', 'Binh.Tran.Van.29']) {
      const r = await api.post(`/dossiers/${id}/withdrawals`, agencyOfficer, { requestRef });
      expect([requestRef, r.status, r.body.errors?.map((e: { field: string }) => e.field)]).toEqual([requestRef, 400, ['requestRef']]);
    }
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    const ok = await api.post(`/dossiers/${id}/financial-obligations`, agencyOfficer, { feeLines: [{ code: 'LP1', name: 'Lệ phí cấp bản sao', amount: 1000 }] });
    expect(ok.status).toBe(200);
  });

  it("should refuse a transfer to another province's unit (422 agencyId) but allow consulting it in an inter-agency step", async () => {
    const id = await receive(); // received by 01.00004 (Hà Nội)
    const before = (await api.get(`/dossiers/${id}`, officer)).body;
    const away = await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: '79.STP' }); // Sở Tư pháp TP Hồ Chí Minh
    expect(away.status).toBe(422);
    expect(away.headers.get('content-type')).toContain('application/problem+json');
    expect(away.body.errors).toEqual([expect.objectContaining({ field: 'agencyId' })]);
    expect((await api.get(`/dossiers/${id}`, officer)).body).toEqual(before);
    expect(published(id)).not.toContain('DossierTransferred');
    expect((await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY })).status).toBe(200);
    const consult = await api.post(`/dossiers/${id}/inter-agency-steps`, agencyOfficer, { agencyId: '79.STP', dueAt: stepDue() });
    expect(consult.status).toBe(200);
  });

  it('should follow an imported history (refused, paused) instead of taking the dossier for an open, running one: no deadline alerts, no second refusal', async () => {
    const now = clock.now();
    const imported = <T extends Parameters<typeof createEvent>[0]>(type: T, payload: Parameters<typeof createEvent<T>>[1], at: Date) =>
      createEvent(type, payload, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: at, imported: true });
    const past = (h: number) => new Date(now.getTime() - h * H);
    const base = (id: string) => ({ dossierId: id, receivingUnitId: UNIT, procedureCode: '1.000948' });
    const [refused, paused, open] = [dossierCode(UNIT), dossierCode(UNIT), dossierCode(UNIT)];
    await produce(producer, cfg.topics.lifecycle, [
      receivedEvent({ dossierId: refused, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: past(100), dueAt: past(30) }),
      imported('DossierTransferred', { ...base(refused), agencyCode: AGENCY, transferredAt: toVnIsoString(past(99)) }, past(99)),
      imported('DossierRefused', { ...base(refused), finishedAt: toVnIsoString(past(50)), reason: 'Không đủ điều kiện' }, past(50)),
      receivedEvent({ dossierId: paused, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: past(100), dueAt: past(30) }),
      imported('SupplementRequested', { ...base(paused), requestedAt: toVnIsoString(past(60)), content: 'Bổ sung giấy xác nhận', requestCount: 1 }, past(60)),
      receivedEvent({ dossierId: open, unitId: UNIT, resolvingUnitId: AGENCY, receivedAt: past(100), dueAt: past(30) }),
    ]);
    // the open one (control) is overdue: the watcher ran over all three
    await eventually(() => published(open).includes('DossierOverdue'), 'control dossier overdue');
    const r = (await api.get(`/dossiers/${refused}`, officer)).body;
    expect(r).toMatchObject({ status: 'REFUSED', agencyId: AGENCY, finishedAt: expect.any(String) });
    expect(r.allowedActions).toEqual([]);
    expect((await api.get(`/dossiers/${paused}`, officer)).body).toMatchObject({ status: 'SUPPLEMENT_REQUESTED', pauseKind: 'SUPPLEMENT', supplementCount: 1 });
    expect(published(refused)).not.toContain('DossierOverdue');
    expect(published(paused)).not.toContain('DossierOverdue');
    expect((await api.post(`/dossiers/${refused}/refusals`, agencyOfficer, { reason: 'Lần nữa' })).status).toBe(409);
    const queue = (await api.get(`/work-queue?agencyId=${AGENCY}&limit=500`, agencyOfficer)).body.items.map((i: { dossierId: string }) => i.dossierId);
    expect(queue).not.toContain(refused);
  });

  // black-box round 9: an apology's new appointment less than the due-soon window away raised a DossierDueSoon dated
  // `due − window`, hours BEFORE the apology that caused it. (Runs late in the file: it moves the shared clock to a
  // known Tuesday.)
  it('should date the DossierDueSoon of an apology appointment at the apology, never before it', async () => {
    clock.set(new Date('2027-03-02T03:00:00Z')); // Tuesday 10:00 in Vietnam
    const id = await receive({ dueInHours: 2 });
    await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    clock.advance(3 * H); // 13:00: past the appointment
    const apologyAt = clock.now().getTime();
    const newDueAt = '2027-03-03T09:00:00+07:00'; // Wednesday 09:00: "− 24 h" is Tuesday 09:00, before the apology
    expect((await api.post(`/dossiers/${id}/apologies`, officer, { reason: 'Chậm xác minh', newDueAt })).status).toBe(200);
    const dueSoon = await eventually(
      () =>
        events.messages.find(
          (m) => m.topic === cfg.topics.lifecycle && m.key === id && m.value['type'] === 'DossierDueSoon' && Date.parse(String((m.value['payload'] as { dueAt: string }).dueAt)) === Date.parse(newDueAt),
        ),
      'due soon of the new appointment',
      { timeoutMs: 10_000 },
    );
    expect(Date.parse(String(dueSoon.value['occurredAt']))).toBe(apologyAt);
  });

  // black-box round 10: an overdue dossier showed PAUSED (and counted in time in statistics) once a supplement was
  // requested after its due day; such a request stops no clock (ADR 0101)
  it('should keep in the work queue as OVERDUE a dossier whose supplement was requested after its due day, and PAUSED one requested in time', async () => {
    const late = await receive({ dueInHours: 1 });
    const inTime = await receive({ dueInHours: 200 });
    for (const id of [late, inTime]) await api.post(`/dossiers/${id}/transfer`, officer, { agencyId: AGENCY });
    clock.advance(30 * H); // the next day: `late` is past its due day
    for (const id of [late, inTime]) {
      expect((await api.post(`/dossiers/${id}/supplement-requests`, agencyOfficer, { content: 'Thiếu bản sao CCCD' })).body.status).toBe('SUPPLEMENT_REQUESTED');
    }
    const q = await api.get(`/work-queue?agencyId=${AGENCY}`, agencyOfficer);
    const item = (id: string) => q.body.items.find((i: { dossierId: string }) => i.dossierId === id);
    expect([item(late)?.urgency, item(inTime)?.urgency]).toEqual(['OVERDUE', 'PAUSED']);
  });

  it('should serve health, metrics and the OpenAPI document', async () => {
    const base = await app.getUrl();
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('outbox_published_total');
    expect(metrics).toMatch(/deadline_events_emitted_total\{[^}]*kind="OVERDUE"[^}]*\} [1-9]/);
    const doc = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/dossiers/{id}/transfer', '/work-queue']));
    // response schemas: the view/command answer and problem+json for the errors
    type Op = { responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> };
    const paths = doc.paths as Record<string, Record<string, Op>>;
    const transfer = paths['/dossiers/{id}/transfer']?.['post'];
    expect(Object.keys(transfer?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409', '415', '422']));
    expect(Object.keys(transfer?.responses['200']?.content?.['application/json']?.schema?.properties ?? {})).toEqual(expect.arrayContaining(['dossierId', 'status', 'dueAt', 'events']));
    expect(transfer?.responses['409']?.content?.['application/problem+json']?.schema?.properties).toHaveProperty('allowedActions');
    expect(paths['/dossiers/{id}']?.['get']?.responses['200']?.content?.['application/json']?.schema?.properties).toHaveProperty('dueDateHistory');
    expect(paths['/work-queue']?.['get']?.responses['200']?.content?.['application/json']?.schema?.properties).toHaveProperty('items');
    // what the service answers is documented: 414 for an over-long id, 400 for a malformed URL on GET too; the
    // Idempotency-Key header once (header names are case-insensitive)
    expect(Object.keys(transfer?.responses ?? {})).toContain('414');
    expect(Object.keys(paths['/dossiers/{id}']?.['get']?.responses ?? {})).toEqual(expect.arrayContaining(['400', '404', '414']));
    const headers = ((transfer as unknown as { parameters: { name: string; in: string }[] }).parameters ?? []).filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name.toLowerCase())).toEqual(['idempotency-key']);
    expect((await api.get(`/dossiers/${'x'.repeat(101)}`, officer)).status).toBe(414);
  });
});
