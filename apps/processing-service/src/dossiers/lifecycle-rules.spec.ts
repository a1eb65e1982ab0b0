import { DossierStatus } from '@onestop/contracts';
import { DeadlineCalculator, DossierStateMachine, InvalidTransitionException, InvalidTransitionExceptionCode, LegalCalendar, toVnDate } from '@onestop/domain';
import { loadProcessingConfig } from '../config/processing.config';
import { LifecycleRules, PROCESSING_ACTIONS } from './lifecycle-rules';

describe('LifecycleRules.latestApologyDueAt (ADR 0309)', () => {
  const rules = new LifecycleRules(loadProcessingConfig({}));
  const calendar = new LegalCalendar();
  const at = (iso: string) => new Date(iso);
  const vnIso = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().replace('Z', '+07:00');

  it('should allow one more time limit counted from the appointment in force, to the close of that working day', () => {
    // due Mon 30/11/2026 10:00, 3 working days → Thu 3/12 10:00 → 17:00 that day
    const latest = rules.latestApologyDueAt({ due_at: at('2026-11-30T10:00:00+07:00'), time_limit: { value: 3, unit: 'WORKING_DAYS' } }, at('2026-11-25T09:00:00+07:00'));
    expect(vnIso(latest)).toBe('2026-12-03T17:00:00.000+07:00');
  });

  it('should count from now when the appointment has passed, across the Tết closure', () => {
    // now Fri 13/2/2026 10:00, appointment long past; Tết closure 14/2–22/2/2026: 2 working days → Tue 24/2
    const latest = rules.latestApologyDueAt({ due_at: at('2026-01-05T10:00:00+07:00'), time_limit: { value: 2, unit: 'WORKING_DAYS' } }, at('2026-02-13T10:00:00+07:00'));
    expect(vnIso(latest)).toBe('2026-02-24T17:00:00.000+07:00');
    expect(calendar.isWorkingDay(toVnDate(latest.getTime()))).toBe(true);
  });

  it('should bound by one year a dossier without a time limit, or with one the calendar cannot count', () => {
    const due = at('2026-11-30T10:00:00+07:00');
    const now = at('2026-11-25T09:00:00+07:00');
    expect(rules.latestApologyDueAt({ due_at: due, time_limit: null }, now).toISOString()).toBe('2027-11-30T03:00:00.000Z');
    expect(rules.latestApologyDueAt({ due_at: due, time_limit: { value: 1.5, unit: 'CALENDAR_DAYS' } }, now).toISOString()).toBe('2027-11-30T03:00:00.000Z');
    expect(rules.latestApologyDueAt({ due_at: null, time_limit: null }, now).toISOString()).toBe('2027-11-25T02:00:00.000Z');
  });

  it('should never allow more than one year, even for a longer time limit', () => {
    const latest = rules.latestApologyDueAt({ due_at: at('2026-11-30T10:00:00+07:00'), time_limit: { value: 18, unit: 'MONTHS' } }, at('2026-11-25T09:00:00+07:00'));
    expect(latest.toISOString()).toBe('2027-11-30T03:00:00.000Z');
  });
});

describe('LifecycleRules.afterPause (ADR 0301, amendment 2026-11-25): a pause only extends the due dates of record', () => {
  const rules = new LifecycleRules(loadProcessingConfig({}));
  const calendar = new LegalCalendar();
  const at = (iso: string) => new Date(iso);
  const vnIso = (d: Date | null) => (d ? new Date(d.getTime() + 7 * 3_600_000).toISOString().replace('Z', '+07:00') : null);
  const WD = { value: 5, unit: 'WORKING_DAYS' };
  const imported = (due: string, o: { limit?: { value: number; unit: string } | null; policy?: string; legal?: string } = {}) => ({
    due_at: at(due),
    original_due_at: at(o.legal ?? due),
    time_limit: o.limit === undefined ? WD : o.limit,
    supplement_policy: o.policy ?? 'RESTART',
  });
  const after = (d: ReturnType<typeof imported>, kind: string, start: string, end: string) => {
    const r = rules.afterPause(d, { kind, start: at(start), end: at(end) });
    return { dueAt: vnIso(r.dueAt), originalDueAt: vnIso(r.originalDueAt) };
  };

  it('should keep an imported appointment later than the calendar would give (a short suspension moves nothing)', () => {
    // black-box: 01.00004-261102-0201, received 2/11 08:00, appointment 15/12 10:00; suspended and resumed on 25/11
    const d = imported('2026-12-15T10:00:00+07:00');
    expect(after(d, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-25T09:00:05+07:00')).toEqual({
      dueAt: '2026-12-15T10:00:00.000+07:00',
      originalDueAt: '2026-12-15T10:00:00.000+07:00',
    });
  });

  it('should extend the appointment of record by the whole working days paused (rounded down), for every pause kind', () => {
    // Wed 25/11 09:00 → Fri 27/11 12:00: 8 h + 8 h + 4 h = 2 whole working days (+ 4 h, dropped)
    const d = imported('2026-12-15T10:00:00+07:00');
    for (const kind of ['SUSPENSION', 'PAYMENT']) {
      expect(after(d, kind, '2026-11-25T09:00:00+07:00', '2026-11-27T12:00:00+07:00')).toEqual({ dueAt: '2026-12-17T10:00:00.000+07:00', originalDueAt: '2026-12-17T10:00:00.000+07:00' });
    }
    expect(after({ ...d, supplement_policy: 'PAUSE' }, 'SUPPLEMENT', '2026-11-25T09:00:00+07:00', '2026-11-27T12:00:00+07:00').dueAt).toBe('2026-12-17T10:00:00.000+07:00');
  });

  it('should not let a sub-second (or any shorter than a working day) suspension move the date a whole day', () => {
    // black-box: a 0.7 s suspension moved Thu 26/11 17:00 to Fri 27/11 07:00:00.73
    const d = imported('2026-11-26T17:00:00+07:00', { limit: { value: 3, unit: 'WORKING_DAYS' } });
    expect(after(d, 'SUSPENSION', '2026-11-26T10:00:00+07:00', '2026-11-26T10:00:00.700+07:00').dueAt).toBe('2026-11-26T17:00:00.000+07:00');
    expect(after(d, 'SUSPENSION', '2026-11-26T08:00:00+07:00', '2026-11-26T16:59:00+07:00').dueAt).toBe('2026-11-26T17:00:00.000+07:00');
    // exactly one working day (Thu 08:00 → Fri 08:00): the next working day, at the same session end
    expect(after(d, 'SUSPENSION', '2026-11-26T08:00:00+07:00', '2026-11-27T08:00:00+07:00').dueAt).toBe('2026-11-27T17:00:00.000+07:00');
  });

  it('should never move a date for a pause that starts after it (the dossier was already late)', () => {
    const d = imported('2026-11-03T10:00:00+07:00');
    expect(after(d, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-30T09:00:00+07:00').dueAt).toBe('2026-11-03T10:00:00.000+07:00');
  });

  it('should neither restart nor pause the clock for a supplementation requested after the legal due date, imported or not', () => {
    // black-box: appointment 3/11 10:00, supplement requested and received on 25–26/11 moved it to 9/11
    for (const policy of ['RESTART', 'PAUSE']) {
      const d = imported('2026-11-03T10:00:00+07:00', { policy });
      expect(after(d, 'SUPPLEMENT', '2026-11-25T09:00:00+07:00', '2026-11-26T09:00:00+07:00')).toEqual({ dueAt: '2026-11-03T10:00:00.000+07:00', originalDueAt: '2026-11-03T10:00:00.000+07:00' });
    }
    // an apology's later appointment does not make the request timely: the legal date counts
    const apologised = imported('2026-11-30T10:00:00+07:00', { legal: '2026-11-03T10:00:00+07:00' });
    expect(after(apologised, 'SUPPLEMENT', '2026-11-25T09:00:00+07:00', '2026-11-27T09:00:00+07:00').dueAt).toBe('2026-11-30T10:00:00.000+07:00');
  });

  it('should restart the full limit from the supplement receipt under RESTART, never before the shifted date of record', () => {
    const limit = { value: 3, unit: 'WORKING_DAYS' };
    const restart = vnIso(new Date(new DeadlineCalculator(calendar).computeDueDate({ receivedAt: at('2026-11-27T09:00:00+07:00').getTime(), limit: limit as never }).currentDueAtMs));
    expect(restart).toBe('2026-12-02T09:00:00.000+07:00');
    const live = imported('2026-11-27T09:00:00+07:00', { limit });
    expect(after(live, 'SUPPLEMENT', '2026-11-25T09:00:00+07:00', '2026-11-27T09:00:00+07:00')).toEqual({ dueAt: restart, originalDueAt: restart });
    // an imported appointment far later than the restart: kept, extended by the 2 working days paused
    const far = imported('2026-12-15T10:00:00+07:00', { limit });
    expect(after(far, 'SUPPLEMENT', '2026-11-25T09:00:00+07:00', '2026-11-27T09:00:00+07:00').dueAt).toBe('2026-12-17T10:00:00.000+07:00');
  });

  it('should count calendar-day limits in whole days (24 h), moved off a day off, and working-hour limits in whole working hours', () => {
    const cal = imported('2026-11-26T17:00:00+07:00', { limit: { value: 10, unit: 'CALENDAR_DAYS' } });
    expect(after(cal, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-26T08:59:00+07:00').dueAt).toBe('2026-11-26T17:00:00.000+07:00'); // < 24 h
    expect(after(cal, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-26T20:59:00+07:00').dueAt).toBe('2026-11-27T17:00:00.000+07:00'); // 35 h 59: one day
    expect(after(cal, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-27T09:00:00+07:00').dueAt).toBe('2026-11-30T17:00:00.000+07:00'); // Sat 28/11 → Mon 30/11
    const hours = imported('2026-11-26T15:00:00+07:00', { limit: { value: 4, unit: 'WORKING_HOURS' } });
    expect(after(hours, 'SUSPENSION', '2026-11-26T09:00:00+07:00', '2026-11-26T10:59:00+07:00').dueAt).toBe('2026-11-26T16:00:00.000+07:00'); // 1 h 59: one hour
  });

  it('should keep the appointment never before the legal date and a dossier without appointment without one', () => {
    const d = imported('2026-12-15T10:00:00+07:00', { legal: '2026-12-10T10:00:00+07:00' });
    // both move by the one working day paused, each from its own base
    expect(after(d, 'SUSPENSION', '2026-11-25T09:00:00+07:00', '2026-11-26T09:00:00+07:00')).toEqual({ dueAt: '2026-12-16T10:00:00.000+07:00', originalDueAt: '2026-12-11T10:00:00.000+07:00' });
    expect(rules.afterPause({ due_at: null, original_due_at: null, time_limit: null, supplement_policy: 'RESTART' }, { kind: 'SUSPENSION', start: at('2026-11-25T09:00:00+07:00'), end: at('2026-11-30T09:00:00+07:00') })).toEqual({ dueAt: null, originalDueAt: null });
  });
});

describe('LifecycleRules.allowedActions: processing-service lists only its own actions', () => {
  const rules = new LifecycleRules(loadProcessingConfig({}));

  it('should offer nothing on a resolved or returned dossier (rating, returning and digitising belong to the other services)', () => {
    // the domain table allows rate / returnResult / digitiseComponent / reuseData here; none is a processing endpoint
    expect(rules.allowedActions('RETURNED')).toEqual([]);
    expect(rules.allowedActions('RESOLVED')).toEqual([]);
  });

  it('should offer completing an inter-agency step only while one is open, when the open steps are known', () => {
    expect(rules.allowedActions('IN_PROCESS', 0)).not.toContain('completeInterAgencyStep');
    expect(rules.allowedActions('IN_PROCESS', 1)).toContain('completeInterAgencyStep');
    expect(rules.allowedActions('IN_PROCESS', 0)).toContain('startInterAgencyStep');
  });

  it('should offer the processing commands of a working status, without result-service or intake actions', () => {
    const actions = rules.allowedActions('IN_PROCESS');
    expect(actions).toEqual(expect.arrayContaining(['requestSupplement', 'suspend', 'issueApology', 'refuse', 'withdraw', 'transfer']));
    for (const other of ['resolve', 'completePayment', 'returnResult', 'rate', 'digitiseComponent', 'reuseData', 'receive']) expect(actions).not.toContain(other);
    expect(actions.every((a) => (PROCESSING_ACTIONS as readonly string[]).includes(a))).toBe(true);
  });

  it('should answer a refused command with its own actions only, and say where the others are', () => {
    const machine = new DossierStateMachine();
    const refused = new InvalidTransitionException(InvalidTransitionExceptionCode.ActionNotAllowed, DossierStatus.Returned, 'suspend', machine.allowedActions(DossierStatus.Returned));
    const problem = LifecycleRules.toProblem(refused);
    const body = { status: problem.status, detail: problem.detail, ...problem.extensions };
    expect(body).toMatchObject({ status: 409, currentStatus: 'RETURNED', action: 'suspend', allowedActions: [] });
    expect(String(body['detail'])).toMatch(/Allowed actions: none in processing-service \(rate: result-service\)$/);
    const resolved = LifecycleRules.toProblem(
      new InvalidTransitionException(InvalidTransitionExceptionCode.ActionNotAllowed, DossierStatus.Resolved, 'suspend', machine.allowedActions(DossierStatus.Resolved)),
    );
    expect(resolved.detail).toMatch(/Allowed actions: none in processing-service \(returnResult, rate: result-service; digitiseComponent, reuseData: intake-service\)$/);
  });
});
