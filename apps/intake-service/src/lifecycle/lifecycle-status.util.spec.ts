import { createEvent } from '@onestop/contracts';
import { lifecycleSummary, statusAfter } from './lifecycle-status.util';

describe(statusAfter.name, () => {
  it("should not make a withdrawn dossier IN_PROCESS again on a payment that crossed the withdrawal (round 6), nor undo a result", () => {
    expect(statusAfter('PaymentCompleted', 'WITHDRAWN')).toBe('WITHDRAWN');
    expect(statusAfter('ProcessingSuspended', 'RESOLVED')).toBe('RESOLVED');
    expect(statusAfter('PaymentCompleted', 'RESOLVED')).toBe('RESOLVED'); // fees collected when the result is handed over
    expect(statusAfter('DossierResolved', 'WITHDRAWN')).toBe('RESOLVED'); // result-service's outcome wins, as in processing
  });

  it('should take the target status of the domain transition table (facts are not re-judged against the transition rules)', () => {
    expect(statusAfter('DossierTransferred', 'RECEIVED')).toBe('IN_PROCESS');
    expect(statusAfter('SupplementRequested', 'IN_PROCESS')).toBe('SUPPLEMENT_REQUESTED');
    expect(statusAfter('DossierResolved', 'RECEIVED')).toBe('RESOLVED');
    expect(statusAfter('ResultReturned', 'RESOLVED')).toBe('RETURNED');
    expect(statusAfter('DossierWithdrawn', 'SUSPENDED')).toBe('WITHDRAWN');
  });

  it('should not make a dossier AWAITING_PAYMENT on an obligation the applicant is exempt from or that costs nothing (as processing and result)', () => {
    expect(statusAfter('FinancialObligationRequested', 'IN_PROCESS', { exempt: true, totalAmount: 50_000 })).toBe('IN_PROCESS');
    expect(statusAfter('FinancialObligationRequested', 'IN_PROCESS', { exempt: false, totalAmount: 0 })).toBe('IN_PROCESS');
    expect(statusAfter('FinancialObligationRequested', 'IN_PROCESS', { exempt: false, totalAmount: 50_000 })).toBe('AWAITING_PAYMENT');
    expect(statusAfter('PaymentCompleted', 'IN_PROCESS', { paidAt: 'x' })).toBe('IN_PROCESS');
  });

  it('should keep the status for events that do not change it (rating, apology, watcher events)', () => {
    expect(statusAfter('DossierRated', 'RETURNED')).toBe('RETURNED');
    expect(statusAfter('ApologyIssued', 'IN_PROCESS')).toBe('IN_PROCESS');
    expect(statusAfter('DossierOverdue', 'IN_PROCESS')).toBe('IN_PROCESS');
    expect(statusAfter('DossierDueSoon', null)).toBeNull();
  });
});

describe(lifecycleSummary.name, () => {
  it('should keep the public fields only, without the base fields', () => {
    const e = createEvent(
      'SupplementRequested',
      { dossierId: '01.00004-260302-0001', receivingUnitId: '01.00004', procedureCode: '1.001193', requestedAt: '2026-03-03T09:00:00.000+07:00', requestCount: 1, content: 'Bổ sung CCCD của Nguyễn Văn A' },
      { producer: 'processing-service', correlationId: 'c-1', occurredAt: '2026-03-03T09:00:00.000+07:00' },
    );
    expect(lifecycleSummary(e as never)).toEqual({ requestedAt: '2026-03-03T09:00:00.000+07:00', requestCount: 1 });
  });
});
