import { DossierStatus as S } from '@onestop/contracts';
import { isSettledStatus, statusAfterConsumedEvent } from './concurrent-status.util';

describe('the status a view takes on a consumed event when commands of two services crossed (ADR 0300 amendment)', () => {
  it('should apply the target status of the transition table in the ordinary case', () => {
    expect(statusAfterConsumedEvent('DossierTransferred', S.Received)).toBe(S.InProcess);
    expect(statusAfterConsumedEvent('SupplementRequested', S.InProcess)).toBe(S.SupplementRequested);
    expect(statusAfterConsumedEvent('PaymentCompleted', S.AwaitingPayment)).toBe(S.InProcess);
    expect(statusAfterConsumedEvent('DossierWithdrawn', S.Suspended)).toBe(S.Withdrawn);
    expect(statusAfterConsumedEvent('DossierResolved', S.InProcess)).toBe(S.Resolved);
    expect(statusAfterConsumedEvent('ResultReturned', S.Resolved)).toBe(S.Returned);
    expect(statusAfterConsumedEvent('DossierReceived', null)).toBe(S.Received);
  });

  it('should keep the status for events that do not change it, and for unknown event types', () => {
    expect(statusAfterConsumedEvent('DossierRated', S.Returned)).toBe(S.Returned);
    expect(statusAfterConsumedEvent('InterAgencyStepStarted', S.InProcess)).toBe(S.InProcess);
    expect(statusAfterConsumedEvent('DossierOverdue', S.Suspended)).toBe(S.Suspended);
    expect(statusAfterConsumedEvent('DossierDueSoon', null)).toBeNull();
  });

  it("should not move a resolved dossier back on a processing event published before the view saw it (round 6: stuck 'IN_PROCESS, no action')", () => {
    for (const late of ['DossierTransferred', 'SupplementRequested', 'ProcessingSuspended', 'FinancialObligationRequested', 'PaymentCompleted', 'DossierWithdrawn', 'DossierRefused']) {
      expect([late, statusAfterConsumedEvent(late, S.Resolved)]).toEqual([late, S.Resolved]);
      expect([late, statusAfterConsumedEvent(late, S.Returned)]).toEqual([late, S.Returned]);
    }
  });

  it("should keep a withdrawn or refused dossier so on a late payment or processing event, and let result-service's outcome win", () => {
    expect(statusAfterConsumedEvent('PaymentCompleted', S.Withdrawn)).toBe(S.Withdrawn);
    expect(statusAfterConsumedEvent('ProcessingResumed', S.Refused)).toBe(S.Refused);
    expect(statusAfterConsumedEvent('DossierResolved', S.Withdrawn)).toBe(S.Resolved);
    expect(statusAfterConsumedEvent('DossierResolved', S.Refused)).toBe(S.Resolved);
    expect(statusAfterConsumedEvent('DossierResolved', S.Returned)).toBe(S.Returned);
    expect([S.Resolved, S.Returned, S.Withdrawn, S.Refused, S.IntakeRejected].every(isSettledStatus)).toBe(true);
    expect([S.InProcess, S.Suspended, S.AwaitingPayment, null].some(isSettledStatus)).toBe(false);
  });
});
