import { randomUUID } from 'node:crypto';
import { toVnIsoString, type DossierEventV1 } from '@onestop/contracts';
import { DeadlineCalculator, LegalCalendar, SAMPLE_PROCEDURES, classifyResolution, toVnDate, type TimeLimit } from '@onestop/domain';
import { eventually } from '@onestop/testing';
import { Client, readLifecycle, token, type Json } from './support/api';
import { startStack, type Stack } from './support/stack';

const UNIT = '01.00004';
/** A commune-level sample procedure of the domain catalogue with the given supplement policy and a limit of days. */
function sampleProcedure(policy: 'RESTART' | 'PAUSE'): { code: string; components: string[] } {
  const p = SAMPLE_PROCEDURES.find(
    (x) => x.supplementPolicy === policy && x.competentLevel === 'COMMUNE' && x.timeLimit.unit === 'WORKING_DAYS' && x.timeLimit.value >= 3,
  );
  if (!p) throw new Error(`no commune-level ${policy} procedure in the domain sample catalogue`);
  return { code: p.code, components: [...p.requiredComponentCodes] };
}
const RESTART_PROCEDURE = sampleProcedure('RESTART');
const PAUSE_PROCEDURE = sampleProcedure('PAUSE');
const H = 3_600_000;
const WATCHER = new Set(['DossierDueSoon', 'DossierOverdue']);

/**
 * Whole dossier lifecycles driven over HTTP through intake, processing and result (child processes), read
 * back from the internal Kafka topic: every event present, valid, once, and in order per dossier.
 */
describe('dossier lifecycle end to end (intake → processing → result)', () => {
  let stack: Stack;
  let reader: Awaited<ReturnType<typeof readLifecycle>>;
  let intake: Client;
  let processing: Client;
  let result: Client;
  const calendar = new LegalCalendar();
  const calculator = new DeadlineCalculator(calendar);

  beforeAll(async () => {
    stack = await startStack();
    reader = await readLifecycle(stack.topics.internal);
    const bearer = token(UNIT, 'mot-cua-01');
    intake = new Client(stack.urls['intake-service'], bearer);
    processing = new Client(stack.urls['processing-service'], bearer);
    result = new Client(stack.urls['result-service'], bearer);
  }, 180_000);

  afterAll(async () => {
    await reader?.stop();
    await stack?.stop();
  });

  function applicant() {
    return { type: 'CITIZEN', fullName: 'Trần Văn Bình', idNumber: `0010${String(Date.now()).slice(-8)}`, phone: '0912345678' };
  }

  /** Receives a dossier at the counter and waits until processing and result know it. */
  async function receive(procedure = RESTART_PROCEDURE, receivedAt?: Date): Promise<Json> {
    const d = await intake.ok('/dossiers', {
      channel: 'DIRECT',
      unitCode: UNIT,
      procedureCode: procedure.code,
      applicant: applicant(),
      components: procedure.components.map((code) => ({ code, copies: 1 })),
      ...(receivedAt ? { receivedAt: toVnIsoString(receivedAt) } : {}),
    });
    await processing.await(`/dossiers/${d.code}`, (b) => b.status === 'RECEIVED', `processing knows ${d.code}`);
    await result.await(`/dossiers/${d.code}`, (b) => b.status === 'RECEIVED', `result knows ${d.code}`);
    return d;
  }

  const inResult = (code: string, status: string) => result.await(`/dossiers/${code}`, (b) => b.status === status, `result sees ${code} ${status}`);
  const inProcessing = (code: string, status: string) => processing.await(`/dossiers/${code}`, (b) => b.status === status, `processing sees ${code} ${status}`);

  const eventsOf = (code: string): DossierEventV1[] =>
    reader.events
      .filter((e) => e.event.key === code)
      .sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1))
      .map((e) => e.event);

  /**
   * The dossier's events, read back from Kafka: the command-driven ones exactly `expected` in order, the
   * watcher's exactly `watcher` (each once, after the receipt); no event id twice; one partition.
   */
  async function expectEvents(code: string, expected: string[], watcher: string[] = []): Promise<DossierEventV1[]> {
    const all = await eventually(
      () => {
        const evs = eventsOf(code);
        const main = evs.filter((e) => !WATCHER.has(e.type)).map((e) => e.type);
        const timers = evs.filter((e) => WATCHER.has(e.type)).map((e) => e.type);
        return JSON.stringify(main) === JSON.stringify(expected) && JSON.stringify(timers) === JSON.stringify(watcher) ? evs : null;
      },
      `events of ${code}: ${expected.join(', ')}`,
      { timeoutMs: 20_000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n got: ${eventsOf(code).map((e) => `${e.type}(${e.producer})`).join(', ')}`);
    });
    await new Promise((r) => setTimeout(r, 400)); // nothing more (no duplicates) arrives afterwards
    const final = eventsOf(code);
    expect(final.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(new Set(final.map((e) => e.id)).size).toBe(final.length);
    expect(new Set(reader.events.filter((e) => e.event.key === code).map((e) => e.partition)).size).toBe(1);
    if (watcher.length > 0) expect(final[0]?.type).toBe('DossierReceived');
    return final;
  }

  const payloadOf = (evs: DossierEventV1[], type: string) => evs.find((e) => e.type === type)?.payload as Json;

  it('should resolve early: received at the counter, transferred, electronic result, returned online, rated', async () => {
    const d = await receive();
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT, officerId: 'cv-01' });
    await inResult(d.code, 'IN_PROCESS');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'ELECTRONIC', legallyValid: true, fileUrl: 'https://kq.example.vn/a.pdf', resultCode: 'KQ-1' });
    await inProcessing(d.code, 'RESOLVED');
    await result.ok(`/dossiers/${d.code}/return`, { mode: 'ONLINE' });
    await result.ok(`/dossiers/${d.code}/rating`, { rating: 'VERY_SATISFIED' });
    const evs = await expectEvents(d.code, ['DossierReceived', 'DossierTransferred', 'DossierResolved', 'ResultReturned', 'DossierRated']);
    const resolved = payloadOf(evs, 'DossierResolved');
    expect(classifyResolution({ finishedAt: resolved.finishedAt, originalDueAt: resolved.originalDueAt }).timeliness).toBe('EARLY');
    expect(resolved.eResult).toEqual({ issued: true, legallyValid: true, link: 'https://kq.example.vn/a.pdf' });
  });

  it('should resolve on time: due later today, due-soon emitted once by the watcher', async () => {
    const probe = await receive();
    const limit = probe.timeLimit as TimeLimit;
    const now = Date.now();
    const today = toVnDate(now);
    let receivedAt: number | null = null;
    for (let t = now - 15 * 60_000; t > now - 60 * 24 * H && receivedAt == null; t -= 15 * 60_000) {
      const due = calculator.computeDueDate({ receivedAt: t, limit }).originalDueAtMs;
      if (toVnDate(due) === today && due > now + 5 * 60_000) receivedAt = t;
    }
    if (receivedAt == null) {
      // No due time can fall later today (a day off, or after office hours): an on-time case cannot be built now. The
      // branch asserts why and ends; the on-time rule itself is covered by the domain and statistics suites at any hour.
      const nextWorking = calendar.nextWorkingInstant(now + 5 * 60_000);
      expect(toVnDate(nextWorking) !== today || !calendar.isWorkingDay(today)).toBe(true);
      return;
    }
    const d = await receive(RESTART_PROCEDURE, new Date(receivedAt));
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    await inResult(d.code, 'IN_PROCESS');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'PAPER', resultCode: 'GP-2' });
    await result.ok(`/dossiers/${d.code}/return`, { mode: 'COUNTER' });
    const evs = await expectEvents(d.code, ['DossierReceived', 'DossierTransferred', 'DossierResolved', 'ResultReturned'], ['DossierDueSoon']);
    const resolved = payloadOf(evs, 'DossierResolved');
    expect(classifyResolution({ finishedAt: resolved.finishedAt, originalDueAt: resolved.originalDueAt }).timeliness).toBe('ON_TIME');
  });

  it('should resolve late with an apology: the watcher emits due-soon and overdue once, the apology moves only the appointment', async () => {
    const d = await receive(RESTART_PROCEDURE, new Date(Date.now() - 45 * 24 * H));
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    // Both thresholds are already past: the watcher fires them at its next tick (≤ 200 ms here). Apologise only
    // once it has, as an official would on an overdue dossier; sooner, the new appointment would cancel them.
    await eventually(
      () => (['DossierDueSoon', 'DossierOverdue'].every((t) => eventsOf(d.code).some((e) => e.type === t)) ? true : null),
      `watcher events of ${d.code}`,
      { timeoutMs: 20_000 },
    );
    // a new appointment must be at the close of a working day (ADR 0306): three working days ahead, 17:00
    const newDueAt = new Date(calendar.closingInstant(calendar.addWorkingDays(toVnDate(Date.now()), 3))).toISOString();
    await processing.ok(`/dossiers/${d.code}/apologies`, { reason: 'Chờ ý kiến cơ quan liên quan', newDueAt });
    await result.await(`/dossiers/${d.code}`, (b) => b.status === 'IN_PROCESS' && new Date(b.dueAt).getTime() === new Date(newDueAt).getTime(), 'apology seen by result');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'PAPER' });
    await result.ok(`/dossiers/${d.code}/return`, { mode: 'POST', address: '12 Tràng Tiền, Hà Nội', trackingCode: 'EMS-1' });
    const evs = await expectEvents(
      d.code,
      ['DossierReceived', 'DossierTransferred', 'ApologyIssued', 'DossierResolved', 'ResultReturned'],
      ['DossierDueSoon', 'DossierOverdue'],
    );
    const resolved = payloadOf(evs, 'DossierResolved');
    expect(new Date(resolved.dueAt).getTime()).toBe(new Date(newDueAt).getTime());
    expect(classifyResolution({ finishedAt: resolved.finishedAt, originalDueAt: resolved.originalDueAt }).timeliness).toBe('LATE');
    expect(classifyResolution({ finishedAt: resolved.finishedAt, originalDueAt: resolved.originalDueAt, currentDueAt: resolved.dueAt }, { basis: 'CURRENT' }).timeliness).not.toBe('LATE');
  });

  it('should restart the clock after a supplement under RESTART', async () => {
    const d = await receive(RESTART_PROCEDURE);
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    await processing.ok(`/dossiers/${d.code}/supplement-requests`, { content: 'Bổ sung bản sao giấy khai sinh' });
    await inResult(d.code, 'SUPPLEMENT_REQUESTED');
    expect((await result.post(`/dossiers/${d.code}/result`, { kind: 'PAPER' })).status).toBe(409);
    const got = await processing.ok(`/dossiers/${d.code}/supplement-receipts`, {});
    await inResult(d.code, 'IN_PROCESS');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'PAPER' });
    const evs = await expectEvents(d.code, ['DossierReceived', 'DossierTransferred', 'SupplementRequested', 'SupplementReceived', 'DossierResolved']);
    const sr = payloadOf(evs, 'SupplementReceived');
    expect(sr.policy).toBe('RESTART');
    expect(new Date(sr.newDueAt).getTime()).toBe(new Date(got.dueAt).getTime());
    expect(new Date(sr.newDueAt).getTime()).toBeGreaterThanOrEqual(new Date(sr.previousDueAt).getTime());
    expect(new Date(payloadOf(evs, 'DossierResolved').originalDueAt).getTime()).toBe(new Date(sr.newDueAt).getTime());
  });

  it('should pause the clock during a supplement under PAUSE', async () => {
    const d = await receive(PAUSE_PROCEDURE);
    await processing.ok(`/dossiers/${d.code}/supplement-requests`, { content: 'Bổ sung sơ đồ thửa đất' });
    const got = await processing.ok(`/dossiers/${d.code}/supplement-receipts`, {});
    expect(got.supplementPolicy).toBe('PAUSE');
    await inResult(d.code, 'IN_PROCESS');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'PAPER' });
    const evs = await expectEvents(d.code, ['DossierReceived', 'SupplementRequested', 'SupplementReceived', 'DossierResolved']);
    const sr = payloadOf(evs, 'SupplementReceived');
    expect(sr.policy).toBe('PAUSE');
    expect(new Date(sr.newDueAt).getTime()).toBeGreaterThanOrEqual(new Date(sr.previousDueAt).getTime());
  });

  it('should withdraw at the applicant request, after which no result can be issued', async () => {
    const d = await receive();
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    await processing.ok(`/dossiers/${d.code}/withdrawals`, { requestRef: `RUT-1-${randomUUID().slice(0, 8)}` /* a reference number holds a digit */ });
    await inResult(d.code, 'WITHDRAWN');
    const r = await result.post(`/dossiers/${d.code}/result`, { kind: 'PAPER' });
    expect(r.status).toBe(409);
    expect(r.body.allowedActions).toEqual([]);
    await expectEvents(d.code, ['DossierReceived', 'DossierTransferred', 'DossierWithdrawn']);
  });

  it('should refuse with a reason', async () => {
    const d = await receive();
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    await processing.ok(`/dossiers/${d.code}/refusals`, { reason: 'Hồ sơ không đủ điều kiện theo quy định' });
    await inResult(d.code, 'REFUSED');
    const evs = await expectEvents(d.code, ['DossierReceived', 'DossierTransferred', 'DossierRefused']);
    expect(payloadOf(evs, 'DossierRefused').reason).toContain('không đủ điều kiện');
  });

  it('should run an inter-agency procedure with a financial obligation paid online at result-service', async () => {
    const d = await receive();
    await processing.ok(`/dossiers/${d.code}/transfer`, { agencyId: UNIT });
    const step = await processing.ok(`/dossiers/${d.code}/inter-agency-steps`, {
      agencyId: '000.00.00.G09', // an agency outside the one-stop catalogue, by its QĐ 20/2020 identifier
      // a step is due within working hours of a working day (ADR 0301 amendment): 12 working hours from now, whatever
      // the hour the suite runs at (now + 48 h failed after 15:00 Vietnam time)
      dueAt: new Date(new LegalCalendar().addWorkingMillis(Date.now(), 12 * H)).toISOString(),
      description: 'Xác minh nhân thân',
    });
    const stepId = (await processing.get(`/dossiers/${d.code}`)).body.interAgencySteps[0].stepId;
    expect(step.status).toBe('IN_PROCESS');
    await processing.ok(`/dossiers/${d.code}/inter-agency-steps/${stepId}/complete`, { outcome: 'Đạt' });
    await processing.ok(`/dossiers/${d.code}/financial-obligations`, { feeLines: [{ code: 'LP01', name: 'Lệ phí', amount: 30000 }] });
    await inResult(d.code, 'AWAITING_PAYMENT');
    const paid = await result.ok(`/dossiers/${d.code}/payments`, { method: 'ONLINE', gateway: 'NATIONAL_PORTAL' });
    expect(paid.payments[0]).toMatchObject({ amount: 30000, paidOnline: true });
    await inProcessing(d.code, 'IN_PROCESS');
    await result.ok(`/dossiers/${d.code}/result`, { kind: 'ELECTRONIC', legallyValid: true, fileUrl: 'https://kq.example.vn/b.pdf' });
    await result.ok(`/dossiers/${d.code}/return`, { mode: 'COUNTER' });
    await result.ok(`/dossiers/${d.code}/rating`, { rating: 'SATISFIED', comment: 'Tốt' });
    await expectEvents(d.code, [
      'DossierReceived',
      'DossierTransferred',
      'InterAgencyStepStarted',
      'InterAgencyStepCompleted',
      'FinancialObligationRequested',
      'PaymentCompleted',
      'DossierResolved',
      'ResultReturned',
      'DossierRated',
    ]);
  });

  it('should have published only contract-valid events', () => {
    expect(reader.invalid).toEqual([]);
    expect(reader.events.length).toBeGreaterThan(0);
  });
});
