import type { Pool } from 'pg';
import { ProblemException } from '@onestop/http';
import { createIndicatorEngine } from '../indicators/engine.factory';
import { type CellRef, type CounterReader, type Counts } from './counter-reader';
import { type Freshness, type FreshnessService } from './freshness.service';
import { IndicatorsService, gaugesInstant } from './indicators.service';
import { DOCUMENTED_RANKING_METRICS } from './ranking-metrics';
import { UnitLookup } from './unit-lookup';

const FRESHNESS: Freshness = { lastEventAt: null, consumerLag: 0, consumerLagAsOf: null, source: 'redis', asOf: '2025-11-20T03:00:00.000Z' };

/** Hà Nội's children in `statistics.unit_edge`, and each child's counters of the period (none for `00611`). */
const CHILDREN: Record<string, Counts> = {
  '00004': { received: 10, resolved: 4, resolvedEarly: 1, resolvedOnTime: 2, resolvedLate: 1 },
  '00008': { received: 6, resolved: 2, resolvedOnTime: 2 },
  '00611': {},
  '01.TTPV': { received: 3 },
};

/** The unit directory without children: these specs rank exactly the children of `CHILDREN`. */
function noDirectoryChildren(): UnitLookup {
  const units = new UnitLookup(async () => false);
  units.childrenInForce = () => [];
  return units;
}

function service(units: UnitLookup = noDirectoryChildren()): IndicatorsService {
  const pool = {
    query: async (sql: string) => {
      if (sql.includes('FROM statistics.unit_edge WHERE parent_id')) return { rows: Object.keys(CHILDREN).map((child_id) => ({ child_id })) };
      if (sql.includes('FROM statistics.unit_edge WHERE child_id')) return { rows: [{ hit: false }] };
      return { rows: [] }; // open dossiers: no gauges
    },
  } as unknown as Pool;
  const reader = { read: async (cells: CellRef[]) => ({ source: 'redis', counts: cells.map((c) => CHILDREN[c.unitId] ?? {}) }) } as unknown as CounterReader;
  const freshness = { get: async () => FRESHNESS } as unknown as FreshnessService;
  return new IndicatorsService(pool, reader, freshness, createIndicatorEngine(), 24, units);
}

async function problemOf(p: Promise<unknown>): Promise<ProblemException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProblemException);
  return err as ProblemException;
}

describe(IndicatorsService.name, () => {
  it("should list a unit's children in force from the directory and the counted ones, once each, sorted (ADR 0410)", async () => {
    const kids = await service(new UnitLookup(async () => false)).childrenOf('01', 'M2025-11');
    expect(kids).toEqual([...new Set(kids)].sort());
    expect(kids).toEqual(expect.arrayContaining(Object.keys(CHILDREN)));
    expect(kids.length).toBeGreaterThan(100); // Hà Nội's communes without dossiers too
    expect(await service().childrenOf('01', 'M2025-11')).toEqual(Object.keys(CHILDREN).sort());
  });

  describe('ranking', () => {
    it.each(['nope', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('should refuse the metric %s with a 400 naming metric and listing the allowed names', async (metric) => {
      const p = await problemOf(service().ranking('01', 'M2025-11', metric, 'desc', 10));
      expect(p.status).toBe(400);
      expect(p.errors?.[0]?.field).toBe('metric');
      expect(p.extensions['allowedMetrics']).toEqual(expect.arrayContaining(['received', 'onTimeRate', 'inProgressOverdue']));
    });

    it('should accept every documented metric, the same names as the engine serves', async () => {
      const s = service();
      expect([...s.rankingMetrics.keys()]).toEqual(DOCUMENTED_RANKING_METRICS);
      for (const metric of DOCUMENTED_RANKING_METRICS) await expect(s.ranking('01', 'M2025-11', metric, 'desc', 10)).resolves.toBeDefined();
    });

    it('should not rank a child whose rate is undefined, and list it as unranked, when ranking ascending', async () => {
      const { data } = await service().ranking('01', 'M2025-11', 'onTimeRate', 'asc', 3);
      expect(data.ranking).toEqual([
        { rank: 1, unitId: '00004', value: 0.75 },
        { rank: 2, unitId: '00008', value: 1 },
      ]);
      expect(data.unranked).toEqual(['00611', '01.TTPV']);
    });

    it('should give equal values the same rank and leave a gap after the tie (1, 1, 3), a tie listed by unit id', async () => {
      // resolved on time: 00004 → 2, 00008 → 2, 00611 and 01.TTPV → 0
      const ties = await service().ranking('01', 'M2025-11', 'resolvedOnTime', 'desc', 10);
      expect(ties.data.ranking).toEqual([
        { rank: 1, unitId: '00004', value: 2 },
        { rank: 1, unitId: '00008', value: 2 },
        { rank: 3, unitId: '00611', value: 0 },
        { rank: 3, unitId: '01.TTPV', value: 0 },
      ]);
      const cut = await service().ranking('01', 'M2025-11', 'resolvedLate', 'asc', 2);
      expect(cut.data.ranking).toEqual([
        { rank: 1, unitId: '00008', value: 0 },
        { rank: 1, unitId: '00611', value: 0 },
      ]);
    });

    it('should rank every child by a counter, a child without counters as 0', async () => {
      const { data } = await service().ranking('01', 'M2025-11', 'received', 'asc', 10);
      expect(data.ranking.map((r) => [r.unitId, r.value])).toEqual([['00611', 0], ['01.TTPV', 3], ['00008', 6], ['00004', 10]]);
      expect(data.unranked).toEqual([]);
    });
  });

  describe('unknown units', () => {
    it.each(['ZZ', '01.99999', '99999'])('should answer 404 naming unitId for %s on every route', async (unitId) => {
      const s = service();
      for (const p of [
        s.indicators(unitId, 'M2025-11'),
        s.children(unitId, 'M2025-11'),
        s.ranking(unitId, 'M2025-11', 'received', 'desc', 10),
        s.timeseries(unitId, '2025-11-01', '2025-11-30'),
        s.report(unitId, 'M2025-11'),
        s.requireUnit(unitId),
      ]) {
        const problem = await problemOf(p);
        expect(problem.status).toBe(404);
        expect(problem.errors?.[0]?.field).toBe('unitId');
      }
    });

    it('should answer for units of the directory, a pre-2025 one included', async () => {
      const s = service();
      for (const unitId of ['VN', '01', '00004', '01.00004', '01.TTPV', '02', '00004@pre2025']) {
        await expect(s.indicators(unitId, 'M2025-11')).resolves.toMatchObject({ data: { unitId } });
      }
    });

    it('should answer for a unit the directory does not know once the service has counted it', async () => {
      const pool = { query: async () => ({ rows: [{ hit: true }] }) } as unknown as Pool;
      const reader = { read: async (cells: CellRef[]) => ({ source: 'redis', counts: cells.map(() => ({ received: 1 })) }) } as unknown as CounterReader;
      const freshness = { get: async () => FRESHNESS } as unknown as FreshnessService;
      const s = new IndicatorsService(pool, reader, freshness, createIndicatorEngine(), 24, new UnitLookup(async (u) => u === '000.00.15.H56'));
      await expect(s.indicators('000.00.15.H56', 'M2025-11')).resolves.toMatchObject({ data: { counts: { received: 1 } } });
      await expect(problemOf(s.indicators('000.00.15.H57', 'M2025-11'))).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('timeseries', () => {
    it.each([
      ['2026-02-30', '2026-03-05', 'from'],
      ['2026-04-31', '2026-05-02', 'from'],
      ['2026-11-01', '2026-11-31', 'to'],
      ['2026-13-01', '2026-12-31', 'from'],
      ['2026-11-1', '2026-11-30', 'from'],
      ['', '2026-11-30', 'from'],
      ['2026-11-30', '2026-11-01', 'from'],
    ])('should refuse from=%s to=%s with a 400 naming %s, never answer for other days', async (from, to, field) => {
      const p = await problemOf(service().timeseries('01', from, to));
      expect([p.status, p.errors?.map((e) => e.field)]).toEqual([400, [field]]);
    });

    it('should answer one point per day for real dates, 29 February of a leap year included', async () => {
      const { data } = await service().timeseries('01', '2028-02-28', '2028-03-01');
      expect(data.points.map((x) => x.day)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    });
  });

  describe('gauges of a period', () => {
    const NOW = Date.parse('2026-11-24T15:00:00Z');

    it('should evaluate the gauges at the end of a period that has ended, and now for the current or a later one', () => {
      expect(gaugesInstant('M2026-10', NOW)).toEqual({ asOf: new Date('2026-10-31T17:00:00.000Z'), live: false });
      expect(gaugesInstant('D2026-11-23', NOW)).toEqual({ asOf: new Date('2026-11-23T17:00:00.000Z'), live: false });
      expect(gaugesInstant('M2026-11', NOW)).toEqual({ asOf: new Date(NOW), live: true });
      expect(gaugesInstant('Y2027', NOW)).toEqual({ asOf: new Date(NOW), live: true });
    });

    it("should read an ended period's gauges from the fact sheets as of its end (the report's query), with paused unknown", async () => {
      const sql: { text: string; params: unknown[] }[] = [];
      const pool = {
        query: async (text: string, params: unknown[]) => {
          sql.push({ text, params });
          if (text.includes('FROM statistics.dossier_facts')) return { rows: [{ unit: '01', carried: '2', total: '9', in_time: '1', overdue: '8', due_soon: '0' }] };
          return { rows: [{ unit: '01', total: '8', in_time: '8', overdue: '0', due_soon: '0', paused: '0' }] }; // the live open-dossier scan
        },
      } as unknown as Pool;
      const s = new IndicatorsService(pool, {} as CounterReader, {} as FreshnessService, createIndicatorEngine(), 24);
      const past = await s.periodGauges('01', ['01'], '*', 'M2020-01');
      expect(past).toEqual({ asOf: '2020-01-31T17:00:00.000Z', live: false, byUnit: new Map([['01', { inProgress: 9, inProgressInTime: 1, inProgressOverdue: 8, dueSoon: 0, paused: null }]]) });
      expect(sql[0]!.text).toContain('FROM statistics.dossier_facts');
      expect(sql[0]!.params[2]).toEqual(new Date('2020-01-31T17:00:00.000Z'));
      const current = await s.periodGauges('01', ['01'], '*', 'Y2999');
      expect(current.live).toBe(true);
      expect(current.byUnit.get('01')).toEqual({ inProgress: 8, inProgressInTime: 8, inProgressOverdue: 0, dueSoon: 0, paused: 0 });
      expect(sql[1]!.text).toContain('FROM statistics.open_dossier');
    });

    it("should filter a procedure's dossiers by the procedure code stored in the fact sheet", async () => {
      const sql: { text: string; params: unknown[] }[] = [];
      const pool = { query: async (text: string, params: unknown[]) => (sql.push({ text, params }), { rows: [] }) } as unknown as Pool;
      const s = new IndicatorsService(pool, {} as CounterReader, {} as FreshnessService, createIndicatorEngine(), 24);
      await s.periodGauges('01', ['01'], 'P:1.000948', 'M2020-01');
      expect(sql[0]!.text).toContain("WHEN '1' THEN facts->>2");
      expect(sql[0]!.text).toContain("facts->>'procedureCode'");
      expect(sql[0]!.params[7]).toBe('1.000948');
    });
  });
});
