import fc from 'fast-check';
import { diffContributions, type LeafContribution } from './indicator-contributions.util';

// diffContributions compares cells field by field instead of building their key strings: it must sum, keep the
// same first cell and order exactly like the key strings (`unit|day|metric|procedure|sector`, or
// `unit|period|dimension|metric` for expanded cells), including fields that are prefixes of each other ('01' vs
// '01.00004': '|' sorts after '.') and fields holding '|' (then the key strings decide).

type Cell = Record<string, unknown> & { value: number };

function keyOf(c: Cell): string {
  return 'day' in c
    ? `${String(c['unitId'])}|${String(c['day'])}|${String(c['metric'])}|${String(c['procedureCode'])}|${String(c['sectorCode'])}`
    : `${String(c['unitId'])}|${String(c['periodKey'])}|${String(c['dimension'])}|${String(c['metric'])}`;
}

/** The key-string diff, as the reducer defines it. */
function reference(before: readonly Cell[], after: readonly Cell[]): Cell[] {
  const sums = new Map<string, { cell: Cell; value: number }>();
  const add = (cell: Cell, sign: number): void => {
    const key = keyOf(cell);
    const entry = sums.get(key);
    if (entry === undefined) sums.set(key, { cell, value: sign * cell.value });
    else entry.value += sign * cell.value;
  };
  for (const cell of before) add(cell, -1);
  for (const cell of after) add(cell, 1);
  return [...sums.entries()]
    .filter(([, e]) => e.value !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ ...e.cell, value: e.value }));
}

const text = fc.constantFrom(
  '',
  'A',
  'AB',
  'A.B',
  'A|B',
  'B',
  '01',
  '01.00004',
  '01.0000',
  'z',
  '~',
  '{',
  'x|',
  '|',
);
const value = fc.integer({ min: -3, max: 3 });
const leaf = fc.record({
  unitId: text,
  day: text,
  metric: text,
  procedureCode: text,
  sectorCode: text,
  value,
  tag: fc.nat(9),
});
const period = fc.record({
  unitId: text,
  periodKey: text,
  dimension: text,
  metric: text,
  value,
  tag: fc.nat(9),
});
const cells = fc.oneof(
  fc.array(leaf, { maxLength: 25 }),
  fc.array(period, { maxLength: 25 }),
  fc.array(fc.oneof(leaf, period), { maxLength: 25 }),
);

describe(diffContributions.name, () => {
  it('should sum, keep the first cell of each key and sort exactly like the key strings (prefixes, "|", mixed kinds)', () => {
    fc.assert(
      fc.property(cells, cells, (before, after) => {
        const diff = diffContributions(
          before as unknown as LeafContribution[],
          after as unknown as LeafContribution[],
        );
        expect(diff).toEqual(reference(before, after));
      }),
      { numRuns: 3000 },
    );
  });

  it('should order a unit before a unit its code is a prefix of as the key strings do ("01.00004|" < "01|")', () => {
    const cell = (unitId: string, value: number): LeafContribution =>
      ({
        unitId,
        day: '2025-11-03',
        metric: 'received',
        procedureCode: 'P',
        sectorCode: 'S',
        value,
      }) as LeafContribution;
    expect(
      diffContributions([], [cell('01', 1), cell('01.00004', 1)]).map((c) => c.unitId),
    ).toEqual(['01.00004', '01']);
    expect(diffContributions([cell('01', 1)], [cell('01', 1)])).toEqual([]);
  });
});
