import fc from 'fast-check';
import { oneStopUnits } from '../../test/support/event-generator';
import { createIndicatorEngine } from '../indicators/engine.factory';
import { type IndicatorEngine, type LeafContribution } from '../indicators/indicator-engine';
import { SEP, deltasByKey, rollUp, rollUpByStrings, sortDeltas } from './roll-up';

// rollUp (dense numeric ids, one expansion per distinct procedure × sector × day × metric) must give exactly the
// reference's result (string keys, every collapsed leaf expanded): the same deltas in the same order, edges and
// ancestors, also for a unit whose chain changes inside the batch and when it has to fall back to the reference.

describe(rollUp.name, () => {
  const engine = createIndicatorEngine();
  const ancestors = (unitId: string, day: string): string[] => engine.ancestorsAt(unitId, day);
  const units = oneStopUnits(['01', '79'], 3);
  // 01.TTPV is in force from 2025-07-01 (before: rolled up to VN), so its chain changes across that day
  const leafArb = fc.record({
    unitId: fc.constantFrom(...units, '99.NOPE'),
    day: fc.constantFrom('2025-06-30', '2025-07-01', '2025-11-03', '2025-11-30', '2025-12-01'),
    metric: fc.constantFrom('received', 'resolved', 'resolvedLate', 'ratingSatisfied'),
    procedureCode: fc.constantFrom('1.000948', '2.000635', '1.0009'),
    sectorCode: fc.constantFrom('G09-TP01', 'G01-DD02', ''),
    value: fc.constantFrom(-1, 1, 1, 2),
  });
  const reference = (leaf: LeafContribution[], e: Pick<IndicatorEngine, 'expand' | 'storedUnitOf'> = engine) =>
    sortDeltas(rollUpByStrings(leaf, e, ancestors));

  it('should give the reference roll-up exactly (deltas and their order, edges, ancestors)', () => {
    fc.assert(
      fc.property(fc.array(leafArb, { maxLength: 120 }), (leaf) => {
        const got = rollUp(leaf, engine, ancestors);
        const want = reference(leaf);
        expect(got.deltas).toEqual(want.deltas);
        expect([...got.edges]).toEqual([...want.edges]);
        expect([...got.ancestorsOf]).toEqual([...want.ancestorsOf]);
      }),
      { numRuns: 300 },
    );
  });

  it('should expand each distinct procedure × sector × day × metric once, not every collapsed leaf', () => {
    let expanded = 0;
    const counting = { expand: (l: readonly LeafContribution[]) => ((expanded += l.length), engine.expand(l)), storedUnitOf: (u: string) => engine.storedUnitOf(u) };
    const leaf = units.map((unitId) => ({ unitId, day: '2025-11-03', metric: 'received', procedureCode: '1.000948', sectorCode: 'G09-TP01', value: 1 }));
    const got = rollUp(leaf, counting, ancestors);
    expect(expanded).toBe(1);
    expect(got.deltas).toEqual(reference(leaf).deltas);
  });

  it('should fall back to the reference when a string holds the key separator or expand breaks its contract', () => {
    const odd: LeafContribution[] = [
      { unitId: units[0]!, day: '2025-11-03', metric: 'received', procedureCode: `1.0${SEP}9`, sectorCode: 'G09-TP01', value: 1 },
      { unitId: units[1]!, day: '2025-11-03', metric: 'received', procedureCode: '1.0', sectorCode: `9${SEP}G09-TP01`, value: 1 },
    ];
    expect(rollUp(odd, engine, ancestors).deltas).toEqual(reference(odd).deltas);
    // an expansion that scales the value: the numeric path cannot reuse it, the reference decides
    const doubling = { expand: (l: readonly LeafContribution[]) => engine.expand(l).map((c) => ({ ...c, value: 2 * c.value })), storedUnitOf: (u: string) => engine.storedUnitOf(u) };
    const leaf: LeafContribution[] = [{ unitId: units[0]!, day: '2025-11-03', metric: 'received', procedureCode: '1.000948', sectorCode: 'G09-TP01', value: 3 }];
    expect(rollUp(leaf, doubling, ancestors).deltas).toEqual(reference(leaf, doubling).deltas);
    expect(deltasByKey(rollUp(leaf, doubling, ancestors).deltas).get([units[0], 'M2025-11', '*', 'received'].join(SEP))).toBe(6);
  });
});
