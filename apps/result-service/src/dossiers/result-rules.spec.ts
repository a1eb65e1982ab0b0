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
  updated_at: new Date('2026-11-23T02:00:00Z'),
  ...over,
});

describe(ResultRules.name, () => {
  const rules = new ResultRules();

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

  it('should shift the due date by a closed suspension when recomputing', () => {
    const base = rules.recompute(dossier(), new Date('2026-11-23T03:00:00Z'));
    const paused = rules.recompute(
      dossier({ clock_history: { pauses: [{ kind: 'SUSPENSION', start: '2026-11-23T10:00:00+07:00', end: '2026-11-24T10:00:00+07:00' }], apologies: [] } }),
      new Date('2026-11-24T03:00:00Z'),
    );
    expect(base && paused).toBeTruthy();
    expect(paused!.dueAt.getTime()).toBeGreaterThan(base!.dueAt.getTime());
  });

  it('should have no due date when the dossier has no appointment', () => {
    expect(rules.recompute(dossier({ due_at: null }), new Date())).toBeNull();
  });
});
