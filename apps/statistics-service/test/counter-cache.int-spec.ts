import { endpointsFromEnv, uniqueName } from '@onestop/testing';
import { CounterCache, type CounterRow } from '../src/cache/counter-cache';

/** Redis writes of absolute values (ADR 0400 CAS, ADR 0405 chunks and lanes) against the real Redis. */
describe('CounterCache.writeRows', () => {
  let cache: CounterCache;
  const prefix = `${uniqueName('cas')}:`;

  beforeAll(async () => {
    cache = await CounterCache.connect(endpointsFromEnv().redisUrl, prefix);
  });
  afterAll(async () => {
    for await (const keys of cache.client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length) await cache.client.del(keys);
    await cache.close();
  });

  const rows = (n: number, version: number, value: (i: number) => number): CounterRow[] =>
    Array.from({ length: n }, (_, i) => ({ unitId: `U${i % 97}`, periodKey: `M2026-${String((i % 12) + 1).padStart(2, '0')}`, dimension: '*', metric: `m${i}`, value: value(i), version }));

  it('should write every row of a catch-up-sized group (many chunks over several lanes) and report the ready marker', async () => {
    expect(await cache.writeRows(rows(12_345, 3, (i) => i))).toBe(false); // no marker yet
    await cache.client.set(cache.markerKey, 'now');
    expect(await cache.writeRows(rows(1, 3, () => 0))).toBe(true);
    let fields = 0;
    let sum = 0;
    for await (const keys of cache.client.scanIterator({ MATCH: `${prefix}c:*`, COUNT: 1000 })) {
      for (const k of keys) {
        for (const [f, v] of Object.entries(await cache.client.hGetAll(k))) {
          if (f.endsWith('#v')) continue;
          fields++;
          sum += Number(v);
        }
      }
    }
    expect(fields).toBe(12_345);
    expect(sum).toBe((12_344 * 12_345) / 2);
  });

  it('should never let an older version overwrite a newer value, whatever the order of the lanes', async () => {
    await cache.writeRows(rows(3_000, 10, () => 100));
    await cache.writeRows(rows(3_000, 9, () => 1)); // stale writer (e.g. a rebuild racing a batch)
    await cache.writeRows(rows(3_000, 11, (i) => (i % 2 === 0 ? 200 : 100)));
    const h = await cache.client.hGetAll(cache.counterKey('U0', 'M2026-01', '*'));
    expect(h['m0']).toBe('200');
    expect(h['m0#v']).toBe('11');
    const odd = await cache.client.hGetAll(cache.counterKey('U1', 'M2026-02', '*'));
    expect(odd['m1']).toBe('100');
  });
});
