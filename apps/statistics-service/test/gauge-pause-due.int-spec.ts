import { foldFacts, inProgressBreakdown, periodBounds, type IndicatorEvent } from '@onestop/domain';
import { uniqueName, type TestDatabase } from '@onestop/testing';
import { receivedDossier, startCaughtUpApp, vnIso as vn, type AppendEvent, type CaughtUpApp } from './support/caught-up-app';
import { chainOf, type GeneratedEvent } from './support/event-generator';
import { pgScalar } from './support/harness';

/**
 * In-progress gauges follow the due date shifted by a suspension or a wait for payment (black-box finding,
 * 2026-11-25): ProcessingResumed and PaymentCompleted carry `newDueAt`, the legal due date from then on, and the fact
 * sheets (hence `statistics.open_dossier.due_at` and the gauges) follow it as they follow SupplementReceived. Before
 * the fix a dossier received 3/11, due 10/11 and suspended 4/11–20/11 (processing: due 27/11) stayed due 10/11 and
 * was counted overdue on 25/11.
 */
describe('Statistics in-progress gauges follow the due date shifted by a suspension or a payment (newDueAt)', () => {
  let stack: CaughtUpApp | undefined;
  let db: TestDatabase;
  let base: string;
  const prefix = `${uniqueName('pausedue')}:`;
  const unit = '01.00004'; // Phường Ba Đình, Hà Nội
  const [, commune, province] = chainOf(unit) as [string, string, string];
  const events: GeneratedEvent[] = [];
  const at = (local: string): number => Date.parse(`${local}+07:00`);
  const DAY = 86_400_000;
  const now = Date.now();
  const currentMonth = `M${vn(now).slice(0, 7)}`;

  let seq = 0;
  /** A dossier received at `received`, due `due`, then the given processing / payment events; returns its id. */
  function dossier(received: number, due: number, then: (ev: AppendEvent) => void, at_ = unit): string {
    seq++;
    const dossierId = `${at_}-${vn(received).slice(2, 10).replace(/-/g, '')}-8${String(seq).padStart(3, '0')}`;
    const ev = receivedDossier(events, { unit: at_, dossierId, received, due, supplementPolicy: 'RESTART', feeRequired: true });
    ev('DossierTransferred', received + 3600_000, { agencyCode: at_, transferredAt: vn(received + 3600_000) });
    then(ev);
    return dossierId;
  }

  // November 2025. The tester's case: received 3/11 due 10/11, suspended 4/11–20/11, processing's due 27/11 07:00.
  const suspended = dossier(at('2025-11-03T09:00:00'), at('2025-11-10T17:00:00'), (ev) => {
    ev('ProcessingSuspended', at('2025-11-04T08:00:00'), { at: vn(at('2025-11-04T08:00:00')) });
    ev('ProcessingResumed', at('2025-11-20T08:00:00'), { at: vn(at('2025-11-20T08:00:00')), newDueAt: vn(at('2025-11-27T07:00:00')) });
  });
  // Waited for payment 4/11–12/11: due 26/11 17:00 from the payment on.
  const paid = dossier(at('2025-11-03T09:30:00'), at('2025-11-10T17:00:00'), (ev) => {
    ev('FinancialObligationRequested', at('2025-11-04T09:00:00'), {
      requestedAt: vn(at('2025-11-04T09:00:00')), feeLines: [{ code: 'LP1', name: 'Lệ phí', amount: 50_000, collectedAt: 'RESULT' }], totalAmount: 50_000, exempt: false,
    });
    ev('PaymentCompleted', at('2025-11-12T10:00:00'), {
      paidAt: vn(at('2025-11-12T10:00:00')), method: 'CASH', paidOnline: false, amount: 50_000, newDueAt: vn(at('2025-11-26T17:00:00')),
    });
  });
  // An event written before newDueAt existed: the receipt's due date stays.
  const older = dossier(at('2025-11-03T10:00:00'), at('2025-11-10T17:00:00'), (ev) => {
    ev('ProcessingSuspended', at('2025-11-04T08:00:00'), { at: vn(at('2025-11-04T08:00:00')) });
    ev('ProcessingResumed', at('2025-11-20T08:00:00'), { at: vn(at('2025-11-20T08:00:00')) });
  });
  // Live: due 3 days ago at receipt, resumed yesterday with a due date 5 days ahead.
  const live = dossier(now - 10 * DAY, now - 3 * DAY, (ev) => {
    ev('ProcessingSuspended', now - 9 * DAY, { at: vn(now - 9 * DAY) });
    ev('ProcessingResumed', now - DAY, { at: vn(now - DAY), newDueAt: vn(now + 5 * DAY) });
  });

  // Black-box round 10: a supplement requested after the due day stops no clock (ADR 0101): these stay overdue, in a
  // unit of their own. Due 10/11, supplement requested 14/11 and never received; live: due 3 days ago, requested today.
  const lateUnit = '01.00008';
  dossier(at('2025-11-03T09:00:00'), at('2025-11-10T17:00:00'), (ev) => ev('SupplementRequested', at('2025-11-14T09:00:00'), { requestedAt: vn(at('2025-11-14T09:00:00')), requestCount: 1 }), lateUnit);
  // ... and one requested on its due day: its clock stops (in time)
  dossier(at('2025-11-03T09:30:00'), at('2025-11-10T17:00:00'), (ev) => ev('SupplementRequested', at('2025-11-10T15:00:00'), { requestedAt: vn(at('2025-11-10T15:00:00')), requestCount: 1 }), lateUnit);
  dossier(now - 10 * DAY, now - 3 * DAY, (ev) => ev('SupplementRequested', now - 60_000, { requestedAt: vn(now - 60_000), requestCount: 1 }), lateUnit);

  /** The domain's breakdown of the unit's dossiers evaluated at the last instant before `end`. */
  const oracle = (end: number, of = unit) => inProgressBreakdown(foldFacts(events as unknown as IndicatorEvent[]).values(), of, end);

  beforeAll(async () => {
    stack = await startCaughtUpApp('pausedue', events, prefix);
    base = stack.base;
    db = stack.db;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Gauges = { inProgress: number; inProgressInTime: number; inProgressOverdue: number; dueSoon: number; paused: number | null };
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(base + path);
    expect([path, r.status]).toEqual([path, 200]);
    return ((await r.json()) as { data: T }).data;
  };
  const dueOf = (dossierId: string) =>
    pgScalar(db.url, `SELECT extract(epoch FROM due_at) * 1000 FROM statistics.open_dossier WHERE dossier_id = $1`, [dossierId]);

  it("should store the open dossier's due date from the resumption's or the payment's newDueAt (the receipt's without it)", async () => {
    expect(await dueOf(suspended)).toBe(at('2025-11-27T07:00:00'));
    expect(await dueOf(paid)).toBe(at('2025-11-26T17:00:00'));
    expect(await dueOf(older)).toBe(at('2025-11-10T17:00:00'));
    expect(await dueOf(live)).toBe(now + 5 * DAY);
  });

  it('should count the suspended and the paid dossiers in time on 25/11, and overdue once their shifted due dates pass', async () => {
    for (const [period, inTime, overdue] of [
      ['D2025-11-25', 2, 1], // only the one without newDueAt is overdue (before the fix: all three)
      ['D2025-11-27', 1, 2], // due 27/11 07:00: still in time that day (date comparison); the paid one (26/11) overdue
      ['D2025-11-28', 0, 3],
    ] as const) {
      const domain = oracle(periodBounds(period).end);
      expect([period, domain.inTime, domain.overdue]).toEqual([period, inTime, overdue]);
      for (const id of [unit, commune]) {
        const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${id}/indicators?period=${period}`);
        expect([period, id, gauges]).toEqual([period, id, expect.objectContaining({ inProgress: 3, inProgressInTime: domain.inTime, inProgressOverdue: domain.overdue, dueSoon: domain.dueSoon })]);
      }
      // the province also holds the dossiers of the late-supplement unit (last test)
      const other = oracle(periodBounds(period).end, lateUnit);
      const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${province}/indicators?period=${period}`);
      expect([period, gauges]).toEqual([period, expect.objectContaining({ inProgress: 3 + other.inProgress, inProgressInTime: domain.inTime + other.inTime, inProgressOverdue: domain.overdue + other.overdue })]);
    }
  });

  it('should count live a dossier resumed with a due date ahead as in time, though its receipt due date has passed', async () => {
    const domain = oracle(Date.now() + 1);
    expect(domain).toMatchObject({ inProgress: 4, inTime: 1, overdue: 3, paused: 0 });
    const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${unit}/indicators?period=${currentMonth}`);
    expect(gauges).toMatchObject({ inProgress: 4, inProgressInTime: 1, inProgressOverdue: 3, paused: 0 });
  });

  it('should keep a dossier overdue when its supplement was requested after the due day, at the end of a period and live', async () => {
    const ended = oracle(periodBounds('D2025-11-25').end, lateUnit);
    expect(ended).toMatchObject({ inProgress: 2, inTime: 1, overdue: 1 }); // requested 14/11: overdue; on 10/11: in time
    const past = await get<{ gauges: Gauges }>(`/v1/units/${lateUnit}/indicators?period=D2025-11-25`);
    expect(past.gauges).toMatchObject({ inProgress: 2, inProgressInTime: 1, inProgressOverdue: 1 });
    const live = oracle(Date.now() + 1, lateUnit);
    expect(live).toMatchObject({ inProgress: 3, inTime: 1, overdue: 2, paused: 1 });
    const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${lateUnit}/indicators?period=${currentMonth}`);
    expect(gauges).toMatchObject({ inProgress: 3, inProgressInTime: 1, inProgressOverdue: 2, paused: 1 });
  });
});
