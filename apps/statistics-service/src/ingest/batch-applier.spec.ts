import fc from 'fast-check';
import { reduceEventsToLeaves, type IndicatorEvent } from '@onestop/domain';
import { chainOf, generateDossiers, interleave, oneStopUnits } from '../../test/support/event-generator';
import { createIndicatorEngine } from '../indicators/engine.factory';
import { type Facts, type PublicEvent } from '../indicators/indicator-engine';
import { BatchApplier } from './batch-applier';

describe(BatchApplier.name, () => {
  const engine = createIndicatorEngine();
  const applier = new BatchApplier(undefined as never, engine, 'g');
  const units = oneStopUnits(['01'], 2);

  it('should roll a leaf cell up to the province and VN (the commune = its one-stop unit, not stored): days and months for *, months for P: and S:', () => {
    const { deltas, edges } = applier.rollUp([{ unitId: units[0]!, day: '2025-11-03', metric: 'received', procedureCode: '1.000948', sectorCode: 'G09-TP01', value: 1 }]);
    expect(deltas.size).toBe(3 * (2 + 1 + 1));
    const [, commune, province] = chainOf(units[0]!) as [string, string, string];
    expect(commune).toMatch(/^\d{5}$/);
    expect(province).toBe('01');
    expect([...deltas.keys()].filter((k) => k.startsWith(commune + '\u0001'))).toEqual([]);
    expect(deltas.get(['VN', 'M2025-11', '*', 'received'].join('\u0001'))).toBe(1);
    expect(deltas.get([units[0], 'M2025-11', 'P:1.000948', 'received'].join('\u0001'))).toBe(1);
    expect(deltas.get([province, 'M2025-11', 'S:G09-TP01', 'received'].join('\u0001'))).toBe(1);
    expect(deltas.get([units[0], 'D2025-11-03', '*', 'received'].join('\u0001'))).toBe(1);
    expect(deltas.has(['VN', 'Y2025', '*', 'received'].join('\u0001'))).toBe(false);
    expect(deltas.has([units[0], 'D2025-11-03', 'P:1.000948', 'received'].join('\u0001'))).toBe(false);
    expect([...edges].map((e) => e.split('\u0001'))).toEqual(expect.arrayContaining([[commune, units[0]], [province, commune], ['VN', province]]));
  });

  it('should roll a provincial centre up to its province directly (also before it existed), and an unknown unit to VN', () => {
    const centre = units.find((u) => u.endsWith('.TTPV'))!;
    expect(centre).toBe('01.TTPV');
    expect(engine.ancestorsAt(centre, '2025-11-03')).toEqual(['01', 'VN']);
    expect(engine.ancestorsAt('99.NOPE', '2025-11-03')).toEqual(['VN']);
    // before the centre existed, its 2025 chain (history on the 2025 map, ADR 0206)
    expect(engine.ancestorsAt(centre, '2025-03-01')).toEqual(['01', 'VN']);
  });

  it('should reach the same counters for any interleaving and duplication of the dossiers (fact-sheet diffs)', () => {
    const dossiers = generateDossiers({ dossiers: 40, units, seed: 3 });
    const truth = reduceEventsToLeaves(dossiers.flat() as unknown as IndicatorEvent[]); // the domain itself, not the adapter
    const sum = (cells: { unitId: string; day: string; metric: string; value: number }[]) => {
      const m = new Map<string, number>();
      for (const c of cells) m.set(`${c.unitId}|${c.day}|${c.metric}`, (m.get(`${c.unitId}|${c.day}|${c.metric}`) ?? 0) + c.value);
      for (const [k, v] of m) if (v === 0) m.delete(k);
      return m;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.nat(400), { maxLength: 60 }), (seed, dupIdx) => {
        const order = interleave(dossiers, seed) as unknown as PublicEvent[];
        // a redelivered copy always comes after the original (the log keeps a dossier's order)
        const withDup = [...order];
        for (const i of dupIdx) {
          const original = order[i % order.length]!;
          const at = withDup.indexOf(original) + 1;
          withDup.splice(at + (i % (withDup.length - at + 1)), 0, original);
        }
        // replay the consumer's logic: first occurrence of an id only, per-dossier facts, diff of contributions
        const seen = new Set<string>();
        const facts = new Map<string, Facts>();
        const cells = [];
        for (const e of withDup) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          const before = facts.get(e.payload.dossierId);
          const after = engine.applyToFacts(before, e);
          facts.set(e.payload.dossierId, after);
          cells.push(...engine.diffContributions(engine.leafContributions(before), engine.leafContributions(after)));
        }
        expect(sum(cells)).toEqual(sum(truth));
      }),
      { numRuns: 50 },
    );
  });
});
