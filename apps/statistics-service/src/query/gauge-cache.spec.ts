import type { Pool } from 'pg';
import { createIndicatorEngine } from '../indicators/engine.factory';
import { type CounterReader } from './counter-reader';
import { type FreshnessService } from './freshness.service';
import { IndicatorsService } from './indicators.service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The open-dossier scan behind the gauges, answered after `scanMs` (a busy Postgres scanning a nation's dossiers). */
function slowScans(scanMs: number): { pool: Pool; scans: () => number } {
  let n = 0;
  const pool = {
    query: async () => {
      n++;
      await sleep(scanMs);
      return { rows: [{ unit: 'VN', total: '3', in_time: '2', overdue: '1', due_soon: '0', paused: '0' }] };
    },
  } as unknown as Pool;
  return { pool, scans: () => n };
}

const service = (pool: Pool) => new IndicatorsService(pool, {} as CounterReader, {} as FreshnessService, createIndicatorEngine(), 24);

describe('IndicatorsService gauges cache', () => {
  it('should keep an expensive scan fresh for 4× its duration instead of rescanning every second', async () => {
    const { pool, scans } = slowScans(700);
    const s = service(pool);
    const first = await s.gauges('VN', ['VN'], '*');
    expect(first.get('VN')).toEqual({ inProgress: 3, inProgressInTime: 2, inProgressOverdue: 1, dueSoon: 0, paused: 0 });
    await sleep(1300); // past the 1 s floor, well inside 4 × 700 ms
    await s.gauges('VN', ['VN'], '*');
    await sleep(50);
    expect(scans()).toBe(1);
  });

  it('should refresh a cheap scan after 1 s, answering the cached value meanwhile (stale-while-revalidate)', async () => {
    const { pool, scans } = slowScans(5);
    const s = service(pool);
    await s.gauges('01', ['01'], '*');
    await sleep(1100);
    const t = Date.now();
    await s.gauges('01', ['01'], '*');
    expect(Date.now() - t).toBeLessThan(5); // answered from the cache, not after the scan
    await sleep(50);
    expect(scans()).toBe(2);
  });
});
