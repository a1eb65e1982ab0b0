import fc from 'fast-check';
import { LegalCalendar } from '../calendar';
import { DeadlineCalculator } from './deadline.calculator';
import { dueDatesAfterPause } from './pause-shift.util';

const calc = new DeadlineCalculator(new LegalCalendar());
const at = (s: string) => Date.parse(s);
const dossier = (due: string, over: Partial<Parameters<typeof dueDatesAfterPause>[1]> = {}) => ({
  dueAt: at(due),
  originalDueAt: at(due),
  timeLimit: { value: 5, unit: 'WORKING_DAYS' },
  supplementPolicy: 'PAUSE',
  ...over,
});

/** The one rule processing and result apply when a pause closes (ADR 0301, amendment 2026-11-25). */
describe('dueDatesAfterPause', () => {
  it('should keep an imported appointment far after receipt + limit as the base, and move it by whole working days only', () => {
    const d = dossier('2026-12-15T10:00:00+07:00');
    // a second's suspension moves nothing: judged by date, it must not gain a day
    expect(dueDatesAfterPause(calc, d, { supplement: false, start: at('2026-11-26T16:59:59+07:00'), end: at('2026-11-26T17:00:00.700+07:00') })).toEqual({
      dueAt: d.dueAt,
      originalDueAt: d.originalDueAt,
    });
    // Wed 25/11 08:00 → Fri 27/11 08:00: two working days (Tue 24/11 is a day off) → Thu 17/12 10:00
    const r = dueDatesAfterPause(calc, d, { supplement: false, start: at('2026-11-25T08:00:00+07:00'), end: at('2026-11-27T08:00:00+07:00') });
    expect(new Date(r.originalDueAt!).toISOString()).toBe(new Date('2026-12-17T10:00:00+07:00').toISOString());
    expect(r.dueAt).toBe(r.originalDueAt);
  });

  it('should move nothing for a supplement requested after the legal due date, nor for a pause starting after it', () => {
    const d = dossier('2026-11-03T10:00:00+07:00', { supplementPolicy: 'RESTART' });
    const late = { start: at('2026-11-20T09:00:00+07:00'), end: at('2026-11-25T09:00:00+07:00') };
    expect(dueDatesAfterPause(calc, d, { supplement: true, ...late })).toEqual({ dueAt: d.dueAt, originalDueAt: d.originalDueAt });
    expect(dueDatesAfterPause(calc, d, { supplement: false, ...late })).toEqual({ dueAt: d.dueAt, originalDueAt: d.originalDueAt });
  });

  it('should restart the limit from the receipt of a supplement in time under RESTART, keeping a later appointment', () => {
    const d = { ...dossier('2026-11-30T17:00:00+07:00', { supplementPolicy: 'RESTART' }), dueAt: at('2026-12-31T17:00:00+07:00') };
    const r = dueDatesAfterPause(calc, d, { supplement: true, start: at('2026-11-24T09:00:00+07:00'), end: at('2026-11-26T09:00:00+07:00') });
    expect(r.originalDueAt!).toBeGreaterThan(d.originalDueAt!);
    // the apology's later appointment is not lost to the restart: it moves by the pause too
    expect(r.dueAt!).toBeGreaterThanOrEqual(d.dueAt!);
    expect(r.dueAt!).toBeGreaterThan(r.originalDueAt!);
  });

  it('should never move a due date earlier and keep the appointment on or after the legal date, whatever the pause', () => {
    const base = at('2026-11-02T08:00:00+07:00');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 * 3600 }),
        fc.integer({ min: 0, max: 40 * 24 * 3600 }),
        fc.integer({ min: 0, max: 20 * 24 * 3600 }),
        fc.boolean(),
        fc.constantFrom('WORKING_DAYS', 'WORKING_HOURS', 'CALENDAR_DAYS'),
        (dueOffset, startOffset, length, supplement, unit) => {
          const due = base + dueOffset * 1000;
          const d = { dueAt: due, originalDueAt: due, timeLimit: { value: 3, unit }, supplementPolicy: 'PAUSE' };
          const start = base + startOffset * 1000;
          const r = dueDatesAfterPause(calc, d, { supplement, start, end: start + length * 1000 });
          return r.originalDueAt! >= due && r.dueAt! >= r.originalDueAt!;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should leave a dossier without an appointment without one', () => {
    expect(dueDatesAfterPause(calc, { dueAt: null, originalDueAt: null, timeLimit: null, supplementPolicy: null }, { supplement: false, start: 0, end: 1e9 })).toEqual({
      dueAt: null,
      originalDueAt: null,
    });
  });
});
