import fc from 'fast-check';
import {
  applyEventsToFacts,
  applyToFacts,
  foldFacts,
  type DossierFacts,
  type IndicatorEvent,
} from './dossier-facts.util';
import { DossierStory, vnAt } from './dossier-story.factory';
import {
  addToTable,
  contributions,
  diffContributions,
  expandContributions,
  leafContributions,
  parseCounterKey,
  sumLeaves,
  type IndicatorTable,
  type LeafContribution,
} from './indicator-contributions.util';
import {
  applyEvent,
  reduceEvents,
  reduceEventsToLeaves,
  tableFromFacts,
} from './indicator-reducer.util';

// Property-based checks of the exactly-once design: facts are a join-semilattice (every merge is
// commutative, associative and idempotent), so the table is a function of the SET of events. Supported
// orders: any interleaving of dossiers, any order within a dossier (fully shuffled), any duplication.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNITS = ['000.00.15.H56', '000.21.33.H56', 'G09.20'] as const;
const PROCEDURES = ['1.009994', '1.001193', '2.000635.000.00.00.H55'] as const;

const scenarioArb = fc.record({
  unit: fc.constantFrom(...UNITS),
  procedure: fc.constantFrom(...PROCEDURES),
  sector: fc.constantFrom('G10-XD05', 'G09-HT01'),
  channel: fc.constantFrom('DIRECT' as const, 'ONLINE' as const, 'POSTAL' as const),
  submittedFirst: fc.boolean(),
  // Start anywhere in 2025–2026 (crosses months, quarters and the year end), at any minute.
  start: fc.integer({
    min: Date.parse('2025-01-01T00:00:00+07:00'),
    max: Date.parse('2026-12-20T00:00:00+07:00'),
  }),
  intake: fc.constantFrom('received', 'received', 'received', 'rejected', 'submittedOnly'),
  dueInDays: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
  components: fc.array(
    fc.record({
      digitised: fc.boolean(),
      reused: fc.boolean(),
      fromCitizenRepository: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  vneid: fc.boolean(),
  feeRequired: fc.boolean(),
  paperResultRequired: fc.boolean(),
  steps: fc.array(
    fc.constantFrom(
      'transfer',
      'interAgency',
      'supplement',
      'fee',
      'exemptFee',
      'payOnline',
      'payCash',
      'payExempt',
      'suspend',
      'suspendShifted',
      'payShifted',
      'apology',
      'digitise',
      'reusePopulation',
      'reuseRepository',
      'dueSoon',
    ),
    { maxLength: 6 },
  ),
  outcome: fc.constantFrom('resolved', 'resolved', 'refused', 'withdrawn', 'open'),
  eResultIssued: fc.boolean(),
  returned: fc.boolean(),
  ratings: fc.array(
    fc.constantFrom('VERY_SATISFIED' as const, 'SATISFIED' as const, 'DISSATISFIED' as const),
    {
      maxLength: 2,
    },
  ),
  // Gaps between events; 0 gives equal occurredAt values (ties broken by event id).
  gaps: fc.array(fc.constantFrom(0, 60_000, HOUR, 5 * HOUR, DAY, 3 * DAY, 9 * DAY), {
    minLength: 40,
    maxLength: 40,
  }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function storyOf(s: Scenario, index: number): IndicatorEvent[] {
  let t = s.start;
  let gap = 0;
  const next = (): string => {
    t += s.gaps[gap % s.gaps.length] ?? HOUR;
    gap += 1;
    return vnAt(t);
  };
  const day = String(index % 10_000).padStart(4, '0');
  const story = new DossierStory(`${s.unit}-251117-${day}`, {
    unitId: s.unit,
    procedureCode: s.procedure,
    idSeed: index + 1,
  });
  if (s.submittedFirst || s.intake !== 'received') story.submitted(next(), s.channel, s.sector);
  if (s.intake === 'rejected') return story.intakeRejected(next()).build();
  if (s.intake === 'submittedOnly') return story.build();
  const receivedAt = next();
  const due = s.dueInDays === null ? null : vnAt(Date.parse(receivedAt) + s.dueInDays * DAY);
  story.received(receivedAt, {
    channel: s.channel,
    sectorCode: s.sector,
    dueAt: due,
    components: s.components,
    vneid: s.vneid,
    feeRequired: s.feeRequired,
    paperResultRequired: s.paperResultRequired,
  });
  for (const step of s.steps) {
    switch (step) {
      case 'transfer':
        story.transferred(next());
        break;
      case 'interAgency':
        story.interAgencyStep(next(), next());
        break;
      case 'supplement':
        story.supplementRequested(next());
        story.supplementReceived(next(), vnAt(t + 5 * DAY));
        break;
      case 'fee':
        story.feeRequested(next(), 50_000);
        break;
      case 'exemptFee':
        story.feeRequested(next(), 50_000, true);
        break;
      case 'payOnline':
        story.paid(next(), true);
        break;
      case 'payCash':
        story.paid(next(), false);
        break;
      case 'payExempt':
        // every charged line exempt: a zero-amount settlement (still flagged online, as before the fix)
        story.paid(next(), true, 0);
        break;
      case 'suspend':
        story.suspended(next());
        story.resumed(next());
        break;
      case 'suspendShifted':
        // processing's ProcessingResumed with the due date shifted by the pause
        story.suspended(next());
        story.resumed(next(), vnAt(t + 6 * DAY));
        break;
      case 'payShifted':
        story.feeRequested(next(), 50_000);
        story.paid(next(), false, 50_000, vnAt(t + 4 * DAY));
        break;
      case 'apology':
        story.apology(next(), vnAt(t + 7 * DAY));
        break;
      case 'digitise':
        story.digitised(next(), true, false);
        break;
      case 'reusePopulation':
        story.dataReused(next(), 'POPULATION_DATABASE');
        break;
      case 'reuseRepository':
        story.dataReused(next(), 'CITIZEN_REPOSITORY');
        break;
      case 'dueSoon':
        story.dueSoon(next(), vnAt(t + DAY));
        break;
    }
  }
  if (s.outcome === 'open') return story.build();
  if (s.outcome === 'refused') return story.refused(next()).build();
  if (s.outcome === 'withdrawn') return story.withdrawn(next()).build();
  story.resolved(next(), { eResultIssued: s.eResultIssued });
  if (s.returned) story.returned(next());
  for (const rating of s.ratings) story.rated(next(), rating);
  return story.build();
}

/** Several dossiers' lifecycles, each in its own order. */
const dossiersArb = fc
  .array(scenarioArb, { minLength: 1, maxLength: 6 })
  .map((scenarios) => scenarios.map((s, i) => storyOf(s, i)));

/** Each event delivered 1, 2 or 5 times (redeliveries later in the same dossier's stream). */
function withDuplicates(
  events: readonly IndicatorEvent[],
  copies: readonly number[],
  slots: readonly number[],
): IndicatorEvent[] {
  const out = [...events];
  events.forEach((event, i) => {
    const extra = (copies[i % copies.length] ?? 1) - 1;
    for (let k = 0; k < extra; k += 1) {
      const from = out.indexOf(event) + 1;
      const slot = slots[(i * 5 + k) % slots.length] ?? 0;
      out.splice(from + (slot % (out.length - from + 1)), 0, event);
    }
  });
  return out;
}

/** Merges per-dossier streams keeping each stream's order, picking the next stream by `picks`. */
function interleave(
  streams: readonly IndicatorEvent[][],
  picks: readonly number[],
): IndicatorEvent[] {
  const queues = streams.map((stream) => [...stream]);
  const out: IndicatorEvent[] = [];
  let i = 0;
  while (queues.some((q) => q.length > 0)) {
    const live = queues.filter((q) => q.length > 0);
    const queue = live[
      (picks[i % Math.max(picks.length, 1)] ?? 0) % live.length
    ] as IndicatorEvent[];
    out.push(queue.shift() as IndicatorEvent);
    i += 1;
  }
  return out;
}

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ item }) => item);
}

const deliveryArb = fc.record({
  copies: fc.array(fc.constantFrom(1, 1, 1, 2, 5), { minLength: 1, maxLength: 30 }),
  slots: fc.array(fc.nat(50), { minLength: 1, maxLength: 30 }),
  picks: fc.array(fc.nat(10), { minLength: 1, maxLength: 60 }),
  keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
});

const RUNS = { numRuns: 150 };

function negativeCells(table: IndicatorTable): string[] {
  return Object.entries(table)
    .filter(([, value]) => value < 0)
    .map(([key]) => key);
}

describe('indicator reducer properties', () => {
  it('should give the same table under duplicates (some 5×) and any interleaving that keeps each dossier in order', () => {
    fc.assert(
      fc.property(dossiersArb, deliveryArb, (streams, d) => {
        const baseline = reduceEvents(streams.flat());
        const delivered = interleave(
          streams.map((s) => withDuplicates(s, d.copies, d.slots)),
          d.picks,
        );
        expect(reduceEvents(delivered)).toEqual(baseline);
      }),
      RUNS,
    );
  });

  it('should give the same table and the same facts under a full shuffle of duplicated events (any order is supported)', () => {
    fc.assert(
      fc.property(dossiersArb, deliveryArb, (streams, d) => {
        const events = streams.flat();
        const delivered = shuffled(withDuplicates(events, d.copies, d.slots), d.keys);
        expect(reduceEvents(delivered)).toEqual(reduceEvents(events));
        expect(foldFacts(delivered)).toEqual(foldFacts(events));
      }),
      RUNS,
    );
  });

  it('should equal the batch reduce when applying incremental diffs in any order, never going negative', () => {
    fc.assert(
      fc.property(dossiersArb, deliveryArb, (streams, d) => {
        const events = streams.flat();
        const delivered = shuffled(withDuplicates(events, d.copies, d.slots), d.keys);
        const facts = new Map<string, DossierFacts>();
        let table: IndicatorTable = {};
        let leaves: LeafContribution[] = [];
        const seenIds = new Set<string>();
        for (const event of delivered) {
          const before = facts.get(event.payload.dossierId);
          const step = applyEvent(before, event);
          facts.set(event.payload.dossierId, step.facts);
          // A redelivered event never changes anything.
          if (seenIds.has(event.id)) expect(step.changed).toBe(false);
          seenIds.add(event.id);
          // The deltas are exactly the diff of the full contributions.
          expect(step.deltas).toEqual(
            expandContributions(
              diffContributions(leafContributions(before), leafContributions(step.facts)),
            ),
          );
          table = addToTable(table, step.deltas);
          leaves = sumLeaves([...leaves, ...step.leafDeltas]);
          expect(negativeCells(table)).toEqual([]);
          expect(leaves.filter((c) => c.value < 0)).toEqual([]);
        }
        expect(table).toEqual(reduceEvents(events));
        expect(leaves).toEqual(reduceEventsToLeaves(events));
      }),
      { numRuns: 60 },
    );
  });

  it("should give the same fact sheet applying a dossier's events at once (applyEventsToFacts) as one at a time, never modifying its input", () => {
    fc.assert(
      fc.property(dossiersArb, deliveryArb, fc.nat(), (streams, d, cut) => {
        const delivered = shuffled(withDuplicates(streams.flat(), d.copies, d.slots), d.keys);
        const byDossier = new Map<string, IndicatorEvent[]>();
        for (const e of delivered)
          byDossier.set(e.payload.dossierId, [...(byDossier.get(e.payload.dossierId) ?? []), e]);
        for (const events of byDossier.values()) {
          const at = cut % (events.length + 1);
          let base: DossierFacts | undefined;
          for (const e of events.slice(0, at)) base = applyToFacts(base, e);
          const stored = JSON.stringify(base);
          let oneByOne = base;
          for (const e of events.slice(at)) oneByOne = applyToFacts(oneByOne, e);
          const atOnce = applyEventsToFacts(base, events.slice(at));
          // same fields in the same order (the stored form depends on the order of the stamps)
          expect(JSON.stringify(atOnce)).toBe(JSON.stringify(oneByOne));
          expect(JSON.stringify(base)).toBe(stored);
          if (oneByOne === base) expect(atOnce).toBe(base);
          // already merged events change nothing: the very same sheet
          expect(applyEventsToFacts(atOnce, events)).toBe(atOnce);
        }
        expect(applyEventsToFacts(undefined, [])).toBeUndefined();
        const [a, b] = [...byDossier.values()];
        if (a !== undefined && b !== undefined) {
          expect(() => applyEventsToFacts(undefined, [a[0]!, b[0]!])).toThrow(RangeError);
        }
      }),
      RUNS,
    );
  });

  it('should merge each event idempotently (applying twice returns the very same facts)', () => {
    fc.assert(
      fc.property(dossiersArb, fc.nat(), (streams, pick) => {
        const events = streams.flat();
        const event = events[pick % events.length] as IndicatorEvent;
        const base = foldFacts(
          events.filter((e) => e.payload.dossierId === event.payload.dossierId),
        ).get(event.payload.dossierId);
        const once = applyToFacts(base, event);
        expect(applyToFacts(once, event)).toBe(once);
      }),
      RUNS,
    );
  });

  it('should survive a JSON round trip of the facts (the service stores them as jsonb)', () => {
    fc.assert(
      fc.property(dossiersArb, (streams) => {
        for (const events of streams) {
          let stored: DossierFacts | undefined;
          for (const event of events) {
            stored = JSON.parse(JSON.stringify(applyToFacts(stored, event))) as DossierFacts;
          }
          expect(stored).toEqual(foldFacts(events).get(events[0]?.payload.dossierId ?? ''));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('should keep every unit total equal to the sum over its procedures, and every dossier contribution at +1', () => {
    fc.assert(
      fc.property(dossiersArb, (streams) => {
        const facts = [...foldFacts(streams.flat()).values()];
        for (const sheet of facts) {
          for (const cell of contributions(sheet)) expect(cell.value).toBe(1);
        }
        const table = tableFromFacts(facts);
        const byProcedure = new Map<string, number>();
        for (const [key, value] of Object.entries(table)) {
          const cell = parseCounterKey(key);
          if (!cell.dimension.startsWith('P:')) continue;
          const total = `${cell.unitId}|${cell.periodKey}|*|${cell.metric}`;
          byProcedure.set(total, (byProcedure.get(total) ?? 0) + value);
        }
        for (const [key, value] of Object.entries(table)) {
          if (parseCounterKey(key).dimension === '*') expect(byProcedure.get(key)).toBe(value);
        }
      }),
      { numRuns: 60 },
    );
  });
});
