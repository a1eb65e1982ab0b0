import { ProblemException } from '@onestop/http';
import { ResultRules } from './result-rules';
import type { ResultDossierRow } from './result-dossier.repository';

const dossier = (over: Partial<ResultDossierRow> = {}): ResultDossierRow => ({
  id: '01.00004-261123-0001',
  procedure_code: '1.001193',
  unit_id: '01.00004',
  agency_id: '01.00004',
  status: 'IN_PROCESS',
  received_at: new Date('2026-11-23T02:00:00Z'),
  due_at: new Date('2026-11-26T02:00:00Z'),
  original_due_at: new Date('2026-11-26T02:00:00Z'),
  time_limit: { value: 3, unit: 'WORKING_DAYS' },
  supplement_policy: 'RESTART',
  paper_result_required: true,
  fee_required: false,
  clock_history: { pauses: [], apologies: [] },
  applicant_marks: null,
  updated_at: new Date('2026-11-23T02:00:00Z'),
  ...over,
});

describe(ResultRules.name, () => {
  const rules = new ResultRules();
  /** The problem `run` refuses with; throws "no refusal" when it does not refuse (helper, never skips: not a skipped test). */
  const refusal = (run: () => void): ProblemException => {
    try {
      run();
    } catch (err) {
      if (err instanceof ProblemException) return err;
      throw err;
    }
    throw new Error('no refusal');
  };

  it('should allow resolving when the dossier is in process', () => {
    expect(() => rules.check(dossier(), { type: 'resolve' })).not.toThrow();
  });

  it('should answer a 409 problem listing the allowed actions when returning a result that does not exist', () => {
    let caught: unknown;
    try {
      rules.check(dossier(), { type: 'returnResult' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProblemException);
    const p = caught as ProblemException;
    expect(p.status).toBe(409);
    expect(p.extensions).toMatchObject({ currentStatus: 'IN_PROCESS', action: 'returnResult' });
    expect(p.extensions['allowedActions']).toContain('resolve');
  });

  it('should refuse a second rating when the dossier is already rated', () => {
    expect(() => rules.check(dossier({ status: 'RETURNED' }), { type: 'rate', rating: 'SATISFIED' }, { rating: 'DISSATISFIED' })).toThrow(ProblemException);
  });

  it("should offer only result-service's own actions when the status also allows processing's", () => {
    expect(rules.allowedActions('IN_PROCESS')).toEqual(['resolve']);
    expect(rules.allowedActions('RECEIVED')).toEqual([]);
    expect(rules.allowedActions('AWAITING_PAYMENT')).toEqual(['completePayment']);
    expect(rules.allowedActions('RESOLVED')).toEqual(['returnResult', 'rate']);
    expect(rules.allowedActions('RESOLVED', { rating: 'SATISFIED' })).toEqual(['returnResult']);
  });

  it('should refuse resolving with a 409 naming interAgencySteps when an inter-agency step is open', () => {
    const ctx = { openInterAgencySteps: ['000.00.21.H56'] };
    expect(rules.allowedActions('IN_PROCESS', ctx)).toEqual([]);
    let caught: unknown;
    try {
      rules.check(dossier(), { type: 'resolve' }, ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProblemException);
    const p = caught as ProblemException;
    expect(p.status).toBe(409);
    expect(p.extensions).toMatchObject({ code: 'INTER_AGENCY_STEPS_PENDING', action: 'resolve', allowedActions: [] });
    expect(p.errors).toEqual([{ field: 'interAgencySteps', message: expect.stringContaining('000.00.21.H56') }]);
  });

  it('should say what must happen first when nothing is allowed here yet (a RECEIVED dossier), naming the status field', () => {
    const p = refusal(() => rules.check(dossier({ status: 'RECEIVED' }), { type: 'resolve' }));
    expect(p.status).toBe(409);
    expect(p.extensions).toMatchObject({ currentStatus: 'RECEIVED', action: 'resolve', allowedActions: [] });
    expect(p.detail).not.toMatch(/Allowed actions: none$/);
    expect(p.detail).toContain('resolve needs the dossier IN_PROCESS');
    expect(p.detail).toContain('processing-service must first take it into processing');
    expect(p.errors).toEqual([{ field: 'status', message: 'dossier is RECEIVED; resolve is not allowed (it needs IN_PROCESS)' }]);
    // a suspended dossier waits for processing's resumption; a refused one has nothing left to do
    expect(refusal(() => rules.check(dossier({ status: 'SUSPENDED' }), { type: 'resolve' })).detail).toContain('processing-service must first resume processing');
    expect(refusal(() => rules.check(dossier({ status: 'REFUSED' }), { type: 'returnResult' })).detail).toMatch(
      /Allowed actions: none: nothing is left to do on a REFUSED dossier$/,
    );
    // open inter-agency steps: which ones must be completed
    expect(refusal(() => rules.check(dossier(), { type: 'resolve' }, { openInterAgencySteps: ['000.00.21.H56'] })).detail).toMatch(
      /Allowed actions: none until processing-service completes the open inter-agency steps \(000\.00\.21\.H56\)$/,
    );
  });

  it('should shift the due dates by whole working days of a closed pause, never earlier, as processing does (ADR 0301)', () => {
    const d = dossier();
    // two whole working days paused (Mon 23/11 10:00 → Wed 25/11 10:00): both dates two working days later
    const paused = rules.afterPause(d, 'PAYMENT', new Date('2026-11-23T10:00:00+07:00'), new Date('2026-11-25T10:00:00+07:00'));
    expect(paused!.originalDueAt.getTime()).toBeGreaterThan(d.original_due_at!.getTime());
    // a second's pause moves nothing (timeliness is judged by date: it must not gain a day)
    const blink = rules.afterPause(d, 'PAYMENT', new Date('2026-11-23T16:59:59+07:00'), new Date('2026-11-23T17:00:00.700+07:00'));
    expect(blink!.dueAt.getTime()).toBe(d.due_at!.getTime());
    // an imported appointment far later than receipt + limit is the base: a pause never moves it earlier
    const imported = dossier({ due_at: new Date('2026-12-15T10:00:00+07:00'), original_due_at: new Date('2026-12-15T10:00:00+07:00') });
    const kept = rules.afterPause(imported, 'SUSPENSION', new Date('2026-11-23T10:00:00+07:00'), new Date('2026-11-23T10:00:01+07:00'));
    expect(kept!.dueAt.toISOString()).toBe(new Date('2026-12-15T10:00:00+07:00').toISOString());
  });

  it('should have no due date when the dossier has no appointment', () => {
    expect(rules.afterPause(dossier({ due_at: null, original_due_at: null }), 'PAYMENT', new Date('2026-11-23T10:00:00+07:00'), new Date('2026-11-25T10:00:00+07:00'))).toBeNull();
  });
});
