import { METRICS } from '@onestop/domain';
import { CELL_METRICS_1764200000000 } from '../migrations/1764200000000-CounterCells';
import { counterParams } from './batch-applier';
import { CELL_COLUMNS, CELL_METRICS, metricColumn, metricIndex } from './cell-metrics';

describe('counter cells (ADR 0408)', () => {
  it('should have a column for every metric of the domain, and the migration the same list in the same order', () => {
    expect([...CELL_METRICS].sort()).toEqual([...METRICS].sort());
    expect(new Set(CELL_METRICS).size).toBe(CELL_METRICS.length);
    expect(CELL_METRICS_1764200000000).toEqual([...CELL_METRICS]);
    expect(CELL_METRICS.length).toBeLessThanOrEqual(31); // the touched bits live in a Postgres integer
  });

  it('should name the columns in snake_case, distinct', () => {
    expect(metricColumn('receivedOnline')).toBe('received_online');
    expect(metricColumn('eResultRequired')).toBe('e_result_required');
    expect(metricColumn('supplementRequestedMoreThanOnce')).toBe('supplement_requested_more_than_once');
    expect(new Set(CELL_COLUMNS).size).toBe(CELL_COLUMNS.length);
    for (const c of CELL_COLUMNS) expect(c).toMatch(/^[a-z][a-z_]*$/);
  });

  it('should refuse a metric without a column', () => {
    expect(metricIndex('resolvedLate')).toBe(CELL_METRICS.indexOf('resolvedLate'));
    expect(() => metricIndex('bogusMetric')).toThrow(/bogusMetric.*no column/);
  });

  it('should pivot sorted deltas into one dense row per cell, with touched bits and the changed metrics', () => {
    const w = CELL_METRICS.length;
    const p = counterParams({
      units: ['01', '01', '01', 'VN'],
      periods: ['M2025-11', 'M2025-11', 'M2025-11', 'M2025-11'],
      dimensions: ['*', '*', 'P:1.000948', '*'],
      metrics: ['received', 'receivedOnline', 'received', 'resolvedLate'],
      values: [3, -1, 2, 5],
    })!;
    expect(p.text.map((t) => (Array.isArray(t.value) ? t.value : t.value.split('\u0001')))).toEqual([
      ['01', '01', 'VN'],
      ['M2025-11', 'M2025-11', 'M2025-11'],
      ['*', 'P:1.000948', '*'],
    ]);
    const dense = p.values.split(',').map(Number);
    expect(dense).toHaveLength(3 * w);
    const at = (cell: number, metric: string) => dense[cell * w + CELL_METRICS.indexOf(metric as never)];
    expect([at(0, 'received'), at(0, 'receivedOnline'), at(1, 'received'), at(2, 'resolvedLate')]).toEqual([3, -1, 2, 5]);
    expect(dense.filter((v) => v !== 0)).toHaveLength(4);
    const bit = (m: string) => 1 << CELL_METRICS.indexOf(m as never);
    expect(p.touched.split(',').map(Number)).toEqual([bit('received') | bit('receivedOnline'), bit('received'), bit('resolvedLate')]);
    expect(p.changed.get(['01', 'M2025-11', '*'].join('\u0001'))).toBe(bit('received') | bit('receivedOnline'));
    expect(counterParams({ units: [], periods: [], dimensions: [], metrics: [], values: [] })).toBeNull();
  });
});
