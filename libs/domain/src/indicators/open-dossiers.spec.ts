import { foldFacts, type DossierFacts, type IndicatorEvent } from './dossier-facts.util';
import { DossierStory, vn } from './dossier-story.factory';
import { periodBounds } from './indicator-period.util';
import {
  carriedOver,
  dossierTimeline,
  inProgressBreakdown,
  openDossierStatus,
} from './open-dossiers.util';

const UNIT = '000.00.15.H56';

function factsOf(events: readonly IndicatorEvent[]): DossierFacts {
  const facts = foldFacts(events).values().next().value;
  if (facts === undefined) throw new Error('no facts');
  return facts;
}

const dueFriday = factsOf(
  new DossierStory(`${UNIT}-251117-0001`)
    .received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })
    .build(),
);

describe('openDossierStatus', () => {
  it.each([
    ['well before the due date', '2025-11-18 10:00', 'IN_TIME'],
    ['within 24 h of the due time', '2025-11-20 17:30', 'DUE_SOON'],
    ['on the due date after the due hour (date comparison)', '2025-11-21 20:00', 'DUE_SOON'],
    ['the day after the due date', '2025-11-22 08:00', 'OVERDUE'],
  ])('should say %s', (_label, asOf, timeliness) => {
    expect(openDossierStatus(dueFriday, vn(asOf))).toMatchObject({
      open: true,
      timeliness,
      paused: false,
    });
  });

  it('should not be open before receipt or after the end of processing', () => {
    const finished = factsOf(
      new DossierStory(`${UNIT}-251117-0002`)
        .received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })
        .resolved(vn('2025-11-19 10:00'))
        .build(),
    );
    expect(openDossierStatus(finished, vn('2025-11-17 07:59'))).toEqual({
      open: false,
      reason: 'NOT_RECEIVED',
    });
    expect(openDossierStatus(finished, vn('2025-11-18 10:00'))).toMatchObject({ open: true });
    expect(openDossierStatus(finished, vn('2025-11-19 10:00'))).toEqual({
      open: false,
      reason: 'FINISHED',
    });
  });

  it('should count a paused dossier in time even past its due date', () => {
    const paused = factsOf(
      new DossierStory(`${UNIT}-251117-0003`)
        .received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })
        .supplementRequested(vn('2025-11-18 09:00'))
        .build(),
    );
    expect(openDossierStatus(paused, vn('2025-11-25 08:00'))).toMatchObject({
      timeliness: 'IN_TIME',
      paused: true,
    });
    // Before the pause started the dossier was running.
    expect(openDossierStatus(paused, vn('2025-11-18 08:00'))).toMatchObject({ paused: false });
  });

  // black-box round 10: an overdue dossier counted "in time" as soon as a supplement was requested
  it('should keep a dossier overdue when its pause began after the due day (the pause stops no clock), and say so to the service', () => {
    const late = (id: string, pause: (s: DossierStory) => DossierStory) =>
      factsOf(pause(new DossierStory(`${UNIT}-251117-${id}`).received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })).build());
    for (const f of [late('0011', (s) => s.supplementRequested(vn('2025-11-24 09:00'))), late('0012', (s) => s.suspended(vn('2025-11-24 09:00')))]) {
      expect(openDossierStatus(f, vn('2025-11-25 08:00'))).toMatchObject({ timeliness: 'OVERDUE', paused: false });
      expect(dossierTimeline(f).paused).toBe(false);
      expect(inProgressBreakdown([f], UNIT, vn('2025-11-25 08:00'))).toMatchObject({ overdue: 1, inTime: 0, paused: 0 });
    }
    // a pause that began on the due day itself still stops the clock (the dossier was not late by date yet)
    const onTheDay = late('0013', (s) => s.supplementRequested(vn('2025-11-21 16:00')));
    expect(openDossierStatus(onTheDay, vn('2025-11-25 08:00'))).toMatchObject({ timeliness: 'IN_TIME', paused: true });
    expect(dossierTimeline(onTheDay).paused).toBe(true);
  });

  it('should judge against the legal due date unless the current appointment is asked for', () => {
    const apologised = factsOf(
      new DossierStory(`${UNIT}-251117-0004`)
        .received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })
        .apology(vn('2025-11-20 16:00'), vn('2025-11-28 17:00'))
        .build(),
    );
    expect(openDossierStatus(apologised, vn('2025-11-24 08:00'))).toMatchObject({
      timeliness: 'OVERDUE',
      dueAt: vn('2025-11-21 17:00'),
    });
    expect(
      openDossierStatus(apologised, vn('2025-11-24 08:00'), { basis: 'CURRENT' }),
    ).toMatchObject({
      timeliness: 'IN_TIME',
      dueAt: vn('2025-11-28 17:00'),
    });
  });
});

describe('openDossierStatus after a suspension or a payment wait (newDueAt)', () => {
  // Black-box finding: received 3/11, due 10/11; suspended 4/11–20/11: processing's due date is 27/11 07:00,
  // the statistics kept 10/11 and counted the dossier overdue on 25/11.
  const suspendedStory = (id: string, newDueAt?: string | null): DossierStory =>
    new DossierStory(`${UNIT}-251103-${id}`)
      .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
      .suspended(vn('2025-11-04 08:00'))
      .resumed(vn('2025-11-20 08:00'), newDueAt);

  it('should follow the due date a resumption carries: in time before it, overdue after it', () => {
    const events = suspendedStory('0101', vn('2025-11-27 07:00')).build();
    const facts = factsOf(events);
    expect(facts).toMatchObject({
      originalDueAt: vn('2025-11-27 07:00'),
      dueAt: vn('2025-11-27 07:00'),
      status: 'IN_PROCESS',
    });
    expect(openDossierStatus(facts, vn('2025-11-25 10:00'))).toMatchObject({
      open: true,
      timeliness: 'IN_TIME',
      paused: false,
      dueAt: vn('2025-11-27 07:00'),
    });
    expect(openDossierStatus(facts, vn('2025-11-26 10:00'))).toMatchObject({
      timeliness: 'DUE_SOON',
    });
    expect(openDossierStatus(facts, vn('2025-11-28 08:00'))).toMatchObject({
      timeliness: 'OVERDUE',
    });
    expect(inProgressBreakdown([facts], UNIT, vn('2025-11-25 10:00'))).toEqual({
      inProgress: 1,
      inTime: 1,
      dueSoon: 0,
      overdue: 0,
      paused: 0,
    });
    // the merge is order-insensitive: the same facts whatever the arrival order
    expect(factsOf([...events].reverse())).toEqual(facts);
  });

  it('should follow the due date a payment carries after the wait for payment', () => {
    const events = new DossierStory(`${UNIT}-251103-0102`)
      .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
      .feeRequested(vn('2025-11-04 08:00'), 100_000)
      .paid(vn('2025-11-12 08:00'), true, 100_000, vn('2025-11-18 17:00'))
      .build();
    const facts = factsOf(events);
    expect(facts).toMatchObject({
      originalDueAt: vn('2025-11-18 17:00'),
      dueAt: vn('2025-11-18 17:00'),
    });
    expect(openDossierStatus(facts, vn('2025-11-14 10:00'))).toMatchObject({
      timeliness: 'IN_TIME',
      paused: false,
    });
    expect(openDossierStatus(facts, vn('2025-11-19 08:00'))).toMatchObject({
      timeliness: 'OVERDUE',
    });
    expect(factsOf([...events].reverse())).toEqual(facts);
  });

  it('should keep the receipt due date for a resumption or payment without newDueAt (older events) or with null', () => {
    for (const [id, newDueAt] of [
      ['0103', undefined],
      ['0104', null],
    ] as const) {
      const facts = factsOf(suspendedStory(id, newDueAt).build());
      expect(facts).toMatchObject({
        originalDueAt: vn('2025-11-10 17:00'),
        dueAt: vn('2025-11-10 17:00'),
      });
      expect(openDossierStatus(facts, vn('2025-11-25 10:00'))).toMatchObject({
        timeliness: 'OVERDUE',
      });
    }
    const paidBefore = factsOf(
      new DossierStory(`${UNIT}-251103-0105`)
        .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
        .feeRequested(vn('2025-11-04 08:00'), 100_000)
        .paid(vn('2025-11-12 08:00'), true)
        .build(),
    );
    expect(paidBefore.originalDueAt).toBe(vn('2025-11-10 17:00'));
    expect(openDossierStatus(paidBefore, vn('2025-11-14 10:00'))).toMatchObject({
      timeliness: 'OVERDUE',
    });
  });

  it('should let a later apology move only the appointment, not the legal due date the resumption set', () => {
    const events = suspendedStory('0106', vn('2025-11-27 07:00'))
      .apology(vn('2025-11-26 16:00'), vn('2025-12-03 17:00'))
      .build();
    const facts = factsOf(events);
    expect(facts).toMatchObject({
      originalDueAt: vn('2025-11-27 07:00'),
      dueAt: vn('2025-12-03 17:00'),
    });
    expect(openDossierStatus(facts, vn('2025-12-01 10:00'))).toMatchObject({
      timeliness: 'OVERDUE',
      dueAt: vn('2025-11-27 07:00'),
    });
    expect(
      openDossierStatus(facts, vn('2025-12-01 10:00'), { basis: 'CURRENT' }),
    ).toMatchObject({ timeliness: 'IN_TIME', dueAt: vn('2025-12-03 17:00') });
    expect(factsOf([...events].reverse())).toEqual(facts);
  });
});

describe('inProgressBreakdown', () => {
  it("should count a unit's open dossiers at the end of a period", () => {
    const stories = [
      new DossierStory(`${UNIT}-251103-0001`).received(vn('2025-11-03 08:00'), {
        dueAt: vn('2025-11-10 17:00'),
      }),
      new DossierStory(`${UNIT}-251103-0002`).received(vn('2025-11-03 08:00'), {
        dueAt: vn('2025-12-05 17:00'),
      }),
      new DossierStory(`${UNIT}-251103-0003`).received(vn('2025-11-03 08:00'), {
        dueAt: vn('2025-12-01 08:00'),
      }),
      new DossierStory(`${UNIT}-251103-0004`)
        .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
        .suspended(vn('2025-11-05 08:00')),
      new DossierStory(`${UNIT}-251103-0005`)
        .received(vn('2025-11-03 08:00'), { dueAt: vn('2025-11-10 17:00') })
        .resolved(vn('2025-11-12 08:00')),
      new DossierStory(`${UNIT}-251203-0006`).received(vn('2025-12-03 08:00'), { dueAt: null }),
      new DossierStory('000.00.16.H56-251103-0007').received(vn('2025-11-03 08:00'), {
        dueAt: null,
      }),
    ];
    const facts = stories.map((story) => factsOf(story.build()));
    expect(inProgressBreakdown(facts, UNIT, periodBounds('M2025-11').end)).toEqual({
      inProgress: 4,
      inTime: 3,
      dueSoon: 1,
      overdue: 1,
      paused: 1,
    });
    expect(
      inProgressBreakdown(
        facts,
        UNIT,
        periodBounds('M2025-11').end,
        {},
        { procedureCode: '2.000001' },
      ),
    ).toEqual({
      inProgress: 0,
      inTime: 0,
      dueSoon: 0,
      overdue: 0,
      paused: 0,
    });
  });
});

describe('carriedOver', () => {
  const start = periodBounds('M2025-12').start;

  it.each([
    [
      'received before and still open',
      (s: DossierStory) => s.received(vn('2025-11-20 08:00')),
      true,
    ],
    [
      'received before, finished inside',
      (s: DossierStory) => s.received(vn('2025-11-20 08:00')).resolved(vn('2025-12-02 08:00')),
      true,
    ],
    [
      'received before, finished before',
      (s: DossierStory) => s.received(vn('2025-11-20 08:00')).resolved(vn('2025-11-30 23:59')),
      false,
    ],
    ['received inside the period', (s: DossierStory) => s.received(vn('2025-12-01 00:00')), false],
    ['never received', (s: DossierStory) => s.submitted(vn('2025-11-20 08:00')), false],
  ])('should say %s → %p', (_label, write, expected) => {
    const facts = factsOf(write(new DossierStory(`${UNIT}-251120-0001`)).build());
    expect(carriedOver(facts, start)).toBe(expected);
  });
});

describe('dossierTimeline', () => {
  it('should flatten the facts for the service', () => {
    const facts = factsOf(
      new DossierStory(`${UNIT}-251117-0008`)
        .received(vn('2025-11-17 08:00'), { dueAt: vn('2025-11-21 17:00') })
        .feeRequested(vn('2025-11-17 09:00'), 100_000)
        .build(),
    );
    expect(dossierTimeline(facts)).toEqual({
      unitId: UNIT,
      procedureCode: '1.009994',
      sectorCode: 'G10-XD05',
      receivedAt: vn('2025-11-17 08:00'),
      finishedAt: null,
      dueAt: vn('2025-11-21 17:00'),
      currentDueAt: vn('2025-11-21 17:00'),
      open: true,
      paused: true,
    });
  });
});
