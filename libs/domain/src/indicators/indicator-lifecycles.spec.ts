import {
  applyToFacts,
  foldFacts,
  type DossierFacts,
  type IndicatorEvent,
} from './dossier-facts.util';
import { DossierStory, vn } from './dossier-story.factory';
import {
  contributions,
  leafContributions,
  type IndicatorOptions,
} from './indicator-contributions.util';
import { Metric } from './indicator-metrics.constant';
import { countersOf } from './indicator-rates.util';
import { reduceEvents } from './indicator-reducer.util';
import { classifyResolution } from '../deadlines/timeliness.util';

const UNIT = '000.00.15.H56';

function factsOf(events: readonly IndicatorEvent[]): DossierFacts {
  const facts = foldFacts(events).values().next().value;
  if (facts === undefined) throw new Error('no facts');
  return facts;
}

/** Metric → period key (day) it is counted on, for the whole-unit dimension. */
function metricDays(
  events: readonly IndicatorEvent[],
  options: IndicatorOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of leafContributions(factsOf(events), options)) out[cell.metric] = cell.day;
  return out;
}

describe('indicator reducer: hand-made lifecycles', () => {
  it('should count an early resolution on the finish day and the receipt on the receipt day', () => {
    const events = new DossierStory(`${UNIT}-251117-0001`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .transferred(vn('2025-11-17 09:00'))
      .resolved(vn('2025-11-20 10:00'))
      .returned(vn('2025-11-20 15:00'))
      .build();
    expect(metricDays(events)).toEqual({
      received: '2025-11-17',
      receivedDirect: '2025-11-17',
      resolved: '2025-11-20',
      resolvedEarly: '2025-11-20',
      returned: '2025-11-20',
    });
    const table = reduceEvents(events);
    expect(countersOf(table, UNIT, 'M2025-11')).toEqual({
      received: 1,
      receivedDirect: 1,
      resolved: 1,
      resolvedEarly: 1,
      returned: 1,
    });
    expect(countersOf(table, UNIT, 'Q2025-4', 'P:1.009994')['resolvedEarly']).toBe(1);
    expect(countersOf(table, UNIT, 'Y2025', 'S:G10-XD05')['received']).toBe(1);
  });

  it('should count on time when finished on the due date, even after the due hour', () => {
    const events = new DossierStory(`${UNIT}-251117-0002`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 08:00') })
      .resolved(vn('2025-11-21 16:59'))
      .build();
    expect(metricDays(events)[Metric.ResolvedOnTime]).toBe('2025-11-21');
  });

  it('should count on time when there is no appointment', () => {
    const events = new DossierStory(`${UNIT}-251117-0003`)
      .received(vn('2025-11-17 08:15'), { dueAt: null })
      .resolved(vn('2026-02-01 10:00'))
      .build();
    expect(metricDays(events)[Metric.ResolvedOnTime]).toBe('2026-02-01');
  });

  it('should keep a late dossier late after an apology, unless the current-appointment basis is chosen', () => {
    const events = new DossierStory(`${UNIT}-251117-0004`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .apology(vn('2025-11-20 16:00'), vn('2025-11-28 17:00'))
      .resolved(vn('2025-11-25 09:00'))
      .build();
    expect(metricDays(events)).toHaveProperty(Metric.ResolvedLate, '2025-11-25');
    expect(factsOf(events).dueAt).toBe(vn('2025-11-28 17:00'));
    expect(factsOf(events).originalDueAt).toBe(vn('2025-11-21 17:00'));
    expect(metricDays(events, { timeliness: { basis: 'CURRENT' } })).toHaveProperty(
      Metric.ResolvedEarly,
    );
  });

  it('should re-base the legal due date when a supplement is received', () => {
    const events = new DossierStory(`${UNIT}-251117-0005`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .supplementRequested(vn('2025-11-18 10:00'))
      .supplementReceived(vn('2025-11-24 08:00'), vn('2025-12-01 17:00'))
      .resolved(vn('2025-11-28 10:00'))
      .build();
    expect(metricDays(events)).toHaveProperty(Metric.ResolvedEarly, '2025-11-28');
  });

  it('should classify a resolution against the due date shifted by a suspension and a payment wait', () => {
    // Received 3/11 due 10/11; suspended 4–12/11 (due 19/11), then waited for payment 13–17/11 (due 21/11).
    const paused = (seq: number): DossierStory =>
      new DossierStory(`${UNIT}-251103-00${seq}`)
        .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
        .suspended(vn('2025-11-04 08:00'))
        .resumed(vn('2025-11-12 08:00'), vn('2025-11-19 17:00'))
        .feeRequested(vn('2025-11-13 08:00'), 50_000)
        .paid(vn('2025-11-17 08:00'), false, 50_000, vn('2025-11-21 17:00'));
    // Before the resolution, the dossier is judged against the shifted legal date, whatever the arrival order.
    const open = factsOf([...paused(30).build()].reverse());
    expect(open).toMatchObject({ originalDueAt: vn('2025-11-21 17:00'), dueAt: vn('2025-11-21 17:00') });
    const verdict = (finishedAt: string): string =>
      classifyResolution({ finishedAt, originalDueAt: open.originalDueAt, currentDueAt: open.dueAt })
        .timeliness;
    expect(verdict(vn('2025-11-20 10:00'))).toBe('EARLY');
    expect(verdict(vn('2025-11-21 16:00'))).toBe('ON_TIME');
    expect(verdict(vn('2025-11-24 10:00'))).toBe('LATE');
    // The result carries the due dates of result-service's view (same pauses): the counters agree.
    for (const [seq, day, metric] of [
      [31, '2025-11-20', Metric.ResolvedEarly],
      [32, '2025-11-21', Metric.ResolvedOnTime],
      [33, '2025-11-24', Metric.ResolvedLate],
    ] as const) {
      const events = paused(seq).resolved(vn(`${day} 10:00`)).build();
      expect(metricDays(events)).toHaveProperty(metric, day);
      expect(metricDays([...events].reverse())).toHaveProperty(metric, day);
    }
  });

  it('should flag more than one supplement request, and make it late only under the F766 policy', () => {
    const events = new DossierStory(`${UNIT}-251117-0006`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .supplementRequested(vn('2025-11-18 10:00'))
      .supplementReceived(vn('2025-11-19 08:00'), vn('2025-11-26 17:00'))
      .supplementRequested(vn('2025-11-20 10:00'))
      .supplementReceived(vn('2025-11-21 08:00'), vn('2025-11-28 17:00'))
      .resolved(vn('2025-11-24 10:00'))
      .build();
    expect(metricDays(events)).toMatchObject({
      [Metric.SupplementRequestedMoreThanOnce]: '2025-11-17',
      [Metric.ResolvedEarly]: '2025-11-24',
    });
    expect(metricDays(events, { timeliness: { multipleSupplementsAreLate: true } })).toHaveProperty(
      Metric.ResolvedLate,
    );
  });

  it('should count a withdrawal and no resolution', () => {
    const events = new DossierStory(`${UNIT}-251117-0007`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .withdrawn(vn('2025-11-19 14:00'))
      .build();
    expect(metricDays(events)).toEqual({
      received: '2025-11-17',
      receivedDirect: '2025-11-17',
      withdrawn: '2025-11-19',
    });
  });

  it('should count a refusal and no resolution', () => {
    const events = new DossierStory(`${UNIT}-251117-0008`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') })
      .transferred(vn('2025-11-17 09:00'))
      .refused(vn('2025-11-20 11:00'))
      .build();
    expect(metricDays(events)).toEqual({
      received: '2025-11-17',
      receivedDirect: '2025-11-17',
      refused: '2025-11-20',
    });
  });

  it("should count a resolution that crossed a refusal or a withdrawal as resolved, whatever their order (result's outcome wins, ADR 0300)", () => {
    // black-box round 6: both commands answered 200; every service showed RESOLVED, the statistics counted the last event
    for (const [name, late] of [
      ['refused after', (s: DossierStory) => s.resolved(vn('2025-11-19 10:00')).refused(vn('2025-11-19 10:01'))],
      ['refused before', (s: DossierStory) => s.refused(vn('2025-11-19 10:00')).resolved(vn('2025-11-19 10:01'))],
      ['withdrawn after', (s: DossierStory) => s.resolved(vn('2025-11-19 10:00')).withdrawn(vn('2025-11-19 10:01'))],
    ] as const) {
      const events = late(new DossierStory(`${UNIT}-251117-0011`).received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00') }).transferred(vn('2025-11-17 09:00'))).build();
      const facts = factsOf(events);
      expect([name, facts.outcome, facts.status]).toEqual([name, 'RESOLVED', 'RESOLVED']);
      const days = metricDays(events);
      expect([name, days['resolved'], days['refused'], days['withdrawn']]).toEqual([name, '2025-11-19', undefined, undefined]);
    }
  });

  it('should count an intake rejection of an online submission and not count it as received', () => {
    const events = new DossierStory(`${UNIT}-251117-0009`)
      .submitted(vn('2025-11-16 21:00'), 'ONLINE')
      .intakeRejected(vn('2025-11-17 09:00'))
      .build();
    expect(metricDays(events)).toEqual({ intakeRejected: '2025-11-17' });
    expect(factsOf(events).status).toBe('INTAKE_REJECTED');
  });

  it('should count an online, digitised, reused, VNeID dossier paid online with an e-result', () => {
    const events = new DossierStory(`${UNIT}-251117-0010`)
      .submitted(vn('2025-11-16 21:00'), 'ONLINE')
      .received(vn('2025-11-17 08:15'), {
        channel: 'ONLINE',
        dueAt: vn('2025-11-21 17:00'),
        components: [{ digitised: true, reused: false, fromCitizenRepository: false }],
        vneid: true,
        feeRequired: true,
        paperResultRequired: true,
      })
      .dataReused(vn('2025-11-17 08:20'), 'CITIZEN_REPOSITORY')
      .feeRequested(vn('2025-11-17 08:30'), 75_000)
      .paid(vn('2025-11-17 08:40'), true, 75_000)
      .resolved(vn('2025-11-21 10:00'), { eResultIssued: true })
      .rated(vn('2025-11-22 09:00'), 'VERY_SATISFIED')
      .build();
    expect(metricDays(events)).toEqual({
      received: '2025-11-17',
      receivedOnline: '2025-11-17',
      digitised: '2025-11-17',
      reused: '2025-11-17',
      fromRepository: '2025-11-17',
      vneidVerified: '2025-11-17',
      feeBearing: '2025-11-17',
      paidOnline: '2025-11-17',
      resolved: '2025-11-21',
      resolvedOnTime: '2025-11-21',
      eResultRequired: '2025-11-21',
      eResult: '2025-11-21',
      ratingVerySatisfied: '2025-11-22',
    });
  });

  it('should count a dossier digitised after receipt in the receipt cohort', () => {
    const story = new DossierStory(`${UNIT}-251130-0011`).received(vn('2025-11-30 16:00'), {
      channel: 'POSTAL',
    });
    const before = leafContributions(factsOf(story.build()));
    const after = leafContributions(factsOf(story.digitised(vn('2025-12-02 09:00')).build()));
    expect(before.map((c) => c.metric)).toEqual(['received', 'receivedPostal']);
    expect(after.find((c) => c.metric === Metric.Digitised)?.day).toBe('2025-11-30');
  });

  it('should not count exempt or zero fees as fee-bearing, and count intake fee flags without an obligation', () => {
    const exempt = new DossierStory(`${UNIT}-251117-0012`)
      .received(vn('2025-11-17 08:15'), { feeRequired: true })
      .feeRequested(vn('2025-11-17 08:20'), 50_000, true)
      .build();
    const intakeOnly = new DossierStory(`${UNIT}-251117-0013`)
      .received(vn('2025-11-17 08:15'), { feeRequired: true })
      .paid(vn('2025-11-17 08:30'), false)
      .build();
    expect(metricDays(exempt)).not.toHaveProperty(Metric.FeeBearing);
    expect(metricDays(intakeOnly)).toHaveProperty(Metric.FeeBearing);
    expect(metricDays(intakeOnly)).not.toHaveProperty(Metric.PaidOnline);
  });

  it('should count neither fee-bearing nor paid online when the payment is zero because the charged lines are exempt, in any order', () => {
    // Lines 2000 + 0, the 2000 line exempted at payment: amount 0. An event from before the result-service fix
    // still says paidOnline: true; the amount is what the reducer trusts (domain.md §1.5, indicator 3.6).
    const events = new DossierStory(`${UNIT}-251117-0020`)
      .received(vn('2025-11-17 08:15'), { feeRequired: true })
      .feeRequested(vn('2025-11-17 08:20'), 2_000)
      .paid(vn('2025-11-17 08:30'), true, 0)
      .build();
    expect(factsOf(events)).toMatchObject({ feeCharged: false, paidOnline: false });
    expect(metricDays(events)).not.toHaveProperty(Metric.FeeBearing);
    expect(metricDays(events)).not.toHaveProperty(Metric.PaidOnline);
    expect(factsOf([...events].reverse())).toEqual(factsOf(events));
    const counters = countersOf(reduceEvents(events), UNIT, 'M2025-11');
    expect(counters['feeBearing'] ?? 0).toBe(0);
    expect(counters['paidOnline'] ?? 0).toBe(0);
  });

  it('should take a zero-amount settlement out of the intake fee flag when no obligation event is seen', () => {
    const events = new DossierStory(`${UNIT}-251117-0021`)
      .received(vn('2025-11-17 08:15'), { feeRequired: true })
      .paid(vn('2025-11-17 08:30'), false, 0)
      .build();
    expect(metricDays(events)).not.toHaveProperty(Metric.FeeBearing);
  });

  it('should keep a dossier fee-bearing and paid online once an amount was paid online, whatever settles later', () => {
    const events = new DossierStory(`${UNIT}-251117-0022`)
      .received(vn('2025-11-17 08:15'), { feeRequired: true })
      .feeRequested(vn('2025-11-17 08:20'), 2_000)
      .paid(vn('2025-11-17 08:30'), true, 2_000)
      .feeRequested(vn('2025-11-18 08:20'), 5_000, true)
      .paid(vn('2025-11-18 08:30'), false, 0)
      .build();
    expect(metricDays(events)).toMatchObject({
      feeBearing: '2025-11-17',
      paidOnline: '2025-11-17',
    });
    expect(metricDays([...events].reverse())).toEqual(metricDays(events));
  });

  it('should count a charged obligation not yet paid as fee-bearing, and not an exempt one', () => {
    const charged = new DossierStory(`${UNIT}-251117-0023`)
      .received(vn('2025-11-17 08:15'), { feeRequired: false })
      .feeRequested(vn('2025-11-17 08:20'), 2_000)
      .build();
    const both = new DossierStory(`${UNIT}-251117-0024`)
      .received(vn('2025-11-17 08:15'), { feeRequired: false })
      .feeRequested(vn('2025-11-17 08:20'), 2_000, true)
      .feeRequested(vn('2025-11-17 09:20'), 3_000)
      .build();
    expect(metricDays(charged)).toHaveProperty(Metric.FeeBearing);
    expect(metricDays(charged)).not.toHaveProperty(Metric.PaidOnline);
    expect(metricDays(both)).toHaveProperty(Metric.FeeBearing);
    expect(metricDays([...both].reverse())).toHaveProperty(Metric.FeeBearing);
  });

  it('should bucket by the Vietnam date, not the UTC date', () => {
    const events = new DossierStory(`${UNIT}-260101-0014`)
      .received('2025-12-31T17:30:00Z', { dueAt: null })
      .build();
    const keys = contributions(factsOf(events))
      .filter((c) => c.metric === Metric.Received && c.dimension === '*')
      .map((c) => c.periodKey);
    expect(keys).toEqual(['D2026-01-01', 'M2026-01', 'Q2026-1', 'Y2026']);
  });

  it('should move a rating when the citizen rates again later, whatever the arrival order', () => {
    const story = new DossierStory(`${UNIT}-251117-0015`)
      .received(vn('2025-11-17 08:15'))
      .resolved(vn('2025-11-18 08:15'))
      .rated(vn('2025-11-18 09:00'), 'DISSATISFIED')
      .rated(vn('2025-12-01 09:00'), 'SATISFIED');
    const events = story.build();
    expect(metricDays([...events].reverse())).toMatchObject({ ratingSatisfied: '2025-12-01' });
    expect(metricDays(events)).not.toHaveProperty(Metric.RatingDissatisfied);
  });

  it('should reach the same facts when the result arrives before the receipt', () => {
    const events = new DossierStory(`${UNIT}-251117-0016`)
      .received(vn('2025-11-17 08:15'), { dueAt: vn('2025-11-21 17:00'), channel: 'ONLINE' })
      .transferred(vn('2025-11-17 09:00'))
      .resolved(vn('2025-11-24 10:00'))
      .returned(vn('2025-11-24 15:00'))
      .build();
    const reversed = [...events].reverse();
    expect(factsOf(reversed)).toEqual(factsOf(events));
    expect(factsOf(events).status).toBe('RETURNED');
    // Before the receipt is known the resolution already counts, classified with the due dates it carries.
    const resultOnly = leafContributions(applyToFacts(undefined, events[2]!)).map((c) => c.metric);
    expect(resultOnly).toEqual(['resolved', 'resolvedLate']);
  });

  it('should keep a later phase over an earlier one even when its clock is behind', () => {
    const events = new DossierStory(`${UNIT}-251117-0017`)
      .received(vn('2025-11-17 08:15'))
      .resolved(vn('2025-11-18 08:00'))
      .supplementRequested(vn('2025-11-18 08:05')) // a skewed processing-service clock
      .build();
    expect(factsOf(events).status).toBe('RESOLVED');
  });

  it('should refuse to merge an event of another dossier', () => {
    const a = new DossierStory(`${UNIT}-251117-0018`).received(vn('2025-11-17 08:15')).build();
    const b = new DossierStory(`${UNIT}-251117-0019`).received(vn('2025-11-17 08:15')).build();
    expect(() => applyToFacts(factsOf(a), b[0]!)).toThrow(RangeError);
  });
});
