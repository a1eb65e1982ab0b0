import { LegalCalendar, toVnDate } from '@onestop/domain';
import { loadProcessingConfig } from '../config/processing.config';
import { LifecycleRules } from './lifecycle-rules';

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
