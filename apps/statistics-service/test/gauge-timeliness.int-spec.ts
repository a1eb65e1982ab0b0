import { foldFacts, inProgressBreakdown, periodBounds, toVnDate, vnStartOfDay, type IndicatorEvent } from '@onestop/domain';
import { uniqueName } from '@onestop/testing';
import { receivedDossier, startCaughtUpApp, vnIso as vn, type CaughtUpApp } from './support/caught-up-app';
import { chainOf, type GeneratedEvent } from './support/event-generator';

/**
 * In-progress gauges follow the domain's timeliness rule (`classifyProgress` / `inProgressBreakdown`, domain §2.5,
 * ADR 0412): overdue = due DATE (Vietnam) before the date of the instant evaluated, and a paused dossier (supplement
 * requested, awaiting payment, suspended) counts in time. Before the fix the service compared instants and ignored
 * pauses: a dossier due on the last day of a month was "overdue" at the end of that month, one due earlier today
 * was "overdue" although resolving it now counts as on time, and a paused dossier past its due date was "overdue".
 */
describe('Statistics in-progress gauges: due dates compared by Vietnam date, paused dossiers in time', () => {
  let stack: CaughtUpApp | undefined;
  let base: string;
  const prefix = `${uniqueName('gauges')}:`;
  const unit = '01.00004'; // Phường Ba Đình, Hà Nội
  const [, commune, province] = chainOf(unit) as [string, string, string];
  const events: GeneratedEvent[] = [];
  const at = (local: string): number => Date.parse(`${local}+07:00`);
  // The expectations hold within one Vietnam day (and month): a suite that would straddle midnight waits it out first.
  const untilMidnight = vnStartOfDay(toVnDate(Date.now())) + 86_400_000 - Date.now();
  // waits, never skips: within 2 minutes of Vietnam midnight the suite starts after it (not a skipped test)
  if (untilMidnight < 120_000) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, untilMidnight + 1000);
  const now = Date.now();
  const today = vnStartOfDay(toVnDate(now));
  const currentMonth = `M${toVnDate(now).slice(0, 7)}`;

  let seq = 0;
  function dossier(received: number, due: number, pausedAt?: number): void {
    seq++;
    const dossierId = `${unit}-${vn(received).slice(2, 10).replace(/-/g, '')}-9${String(seq).padStart(3, '0')}`;
    const ev = receivedDossier(events, { unit, dossierId, received, due, supplementPolicy: 'PAUSE', feeRequired: false });
    if (pausedAt !== undefined) ev('SupplementRequested', pausedAt, { requestedAt: vn(pausedAt), requestCount: 1 });
  }

  // October 2025 (ends Friday 31/10 at 24:00 in Vietnam), all still in progress today:
  dossier(at('2025-10-27T09:00:00'), at('2025-10-31T17:00:00')); // due on the month's last day: in time (and due soon) at its end
  dossier(at('2025-10-01T09:00:00'), at('2025-10-08T17:00:00'), at('2025-10-06T10:00:00')); // paused before its due date: in time
  dossier(at('2025-10-01T09:30:00'), at('2025-10-10T17:00:00')); // due 10/10: overdue at the end of October
  // today (Vietnam): one due earlier today (not overdue yet, due soon), one due yesterday (overdue)
  dossier(now - 2 * 86_400_000, today + Math.floor((now - today) / 2));
  dossier(now - 3 * 86_400_000, today - 3600_000);

  /** The domain's breakdown of the unit's dossiers evaluated at the last instant before `end`. */
  const oracle = (end: number) => inProgressBreakdown(foldFacts(events as unknown as IndicatorEvent[]).values(), unit, end);

  beforeAll(async () => {
    stack = await startCaughtUpApp('gauges', events, prefix);
    base = stack.base;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Gauges = { inProgress: number; inProgressInTime: number; inProgressOverdue: number; dueSoon: number; paused: number | null };
  type ReportRow = { unitId: string; inProgressInTime: number; inProgressOverdue: number };
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(base + path);
    expect([path, r.status]).toEqual([path, 200]);
    return ((await r.json()) as { data: T }).data;
  };

  it("should count, at the end of a past month, a dossier due on the month's last day and a paused one as in time, as the domain does", async () => {
    const domain = oracle(periodBounds('M2025-10').end);
    expect(domain).toMatchObject({ inProgress: 3, inTime: 2, overdue: 1, dueSoon: 1 });
    const expected = { inProgress: 3, inProgressInTime: domain.inTime, inProgressOverdue: domain.overdue, dueSoon: domain.dueSoon, paused: null };
    for (const id of [unit, commune, province]) {
      const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${id}/indicators?period=M2025-10`);
      expect([id, gauges]).toEqual([id, expected]);
    }
    const report = await get<{ rows: ReportRow[] }>(`/v1/units/${province}/report?period=M2025-10`);
    expect(report.rows.find((r) => r.unitId === commune)).toMatchObject({ inProgressInTime: 2, inProgressOverdue: 1 });
    expect(report.rows[0]).toMatchObject({ unitId: province, inProgressInTime: 2, inProgressOverdue: 1 });
    // the dossier due 31/10 is overdue from the next day on
    const november = oracle(periodBounds('D2025-11-01').end);
    const nextDay = await get<{ gauges: Gauges }>(`/v1/units/${commune}/indicators?period=D2025-11-01`);
    expect(nextDay.gauges).toMatchObject({ inProgressInTime: november.inTime, inProgressOverdue: november.overdue });
    expect(nextDay.gauges).toMatchObject({ inProgressInTime: 1, inProgressOverdue: 2 });
  });

  it('should count live a dossier due earlier today as in time and due soon, and a paused one past its due date as in time', async () => {
    const domain = oracle(Date.now() + 1);
    expect(domain).toMatchObject({ inProgress: 5, inTime: 2, overdue: 3, dueSoon: 1, paused: 1 });
    const expected = { inProgress: 5, inProgressInTime: domain.inTime, inProgressOverdue: domain.overdue, dueSoon: domain.dueSoon, paused: domain.paused };
    for (const id of [unit, commune, province]) {
      const { gauges } = await get<{ gauges: Gauges }>(`/v1/units/${id}/indicators?period=${currentMonth}`);
      expect([id, gauges]).toEqual([id, expected]);
    }
    const kids = await get<{ unitId: string; gauges: Gauges }[]>(`/v1/units/${province}/children?period=${currentMonth}`);
    expect(kids.find((k) => k.unitId === commune)?.gauges).toEqual(expected);
    const report = await get<{ rows: ReportRow[] }>(`/v1/units/${province}/report?period=${currentMonth}`);
    expect(report.rows[0]).toMatchObject({ inProgressInTime: 2, inProgressOverdue: 3 });
  });
});
