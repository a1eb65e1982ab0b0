import { Pool } from 'pg';
import { endpointsFromEnv, eventually, uniqueName } from '@onestop/testing';
import { CounterCache } from '../src/cache/counter-cache';
import { CounterMirror } from '../src/query/counter-mirror';
import { CounterReader } from '../src/query/counter-reader';
import { LiveFeed } from '../src/query/live-feed';
import { startPrivateRedis } from './support/private-redis';

/**
 * The query path's mirror of hot cells (ADR 0406) on a real Redis (a private redis-server, so killing its
 * subscribers touches no other suite): answers from memory, kept current by the change channel, never trusted
 * across a lost subscription.
 */
describe('CounterReader with the in-memory mirror', () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let cache: CounterCache;
  let feed: LiveFeed;
  let pool: Pool;
  let mirror: CounterMirror;
  let reader: CounterReader;
  const prefix = `${uniqueName('mirror')}:`;
  const cell = { unitId: '01', periodKey: 'M2026-11', dimension: '*' };
  const row = (metric: string, value: number, version: number, periodKey = 'M2026-11') => ({ unitId: '01', periodKey, dimension: '*', metric, value, version });
  const received = async (c = cell) => (await reader.read([c])).counts[0]?.['received'];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cache = await CounterCache.connect(redis.url, prefix);
    pool = new Pool({ connectionString: endpointsFromEnv().databaseUrl, max: 1 }); // fallback only: never queried here
    mirror = new CounterMirror({ freshMs: 60_000, maxAgeMs: 120_000 });
    feed = new LiveFeed(redis.url, cache.channel, mirror, 200);
    await feed.start();
    reader = new CounterReader(pool, cache, (u) => u, mirror);
    await cache.client.set(cache.markerKey, new Date().toISOString());
  });
  afterAll(async () => {
    await feed.stop();
    await cache.close();
    await pool.end();
    await redis.stop();
  });

  it('should answer a cell it has read from memory, then follow the change channel by row version', async () => {
    await cache.writeRows([row('received', 5, 1)]);
    expect(await received()).toBe(5); // first read: Redis, and the cell enters the mirror
    await cache.writeRows([row('received', 999, 2)]); // written without a change message
    expect(await received()).toBe(5); // answered from memory: no Redis read
    await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-11', m: 'received', v: 6, n: 3 }], lastEventAt: null, committedAt: new Date().toISOString() });
    await eventually(async () => (await received()) === 6, 'the published value');
    await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-11', m: 'received', v: 4, n: 2 }], lastEventAt: null, committedAt: new Date().toISOString() });
    await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-11', m: 'resolved', v: 1, n: 1 }], lastEventAt: null, committedAt: new Date().toISOString() });
    await eventually(async () => (await reader.read([cell])).counts[0]?.['resolved'] === 1, 'the later message');
    expect(await received()).toBe(6); // the older version published after it was ignored
    expect(mirror.stats.hits).toBeGreaterThan(0);
  });

  it('should read Redis again once the subscription was lost, and trust the mirror only after resubscribing', async () => {
    await cache.writeRows([row('received', 50, 10)]); // no message: the mirror still says 6
    expect(await received()).toBe(6);
    await cache.client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    await eventually(async () => !mirror.isLive, 'the mirror stops being trusted');
    expect(await received()).toBe(50); // straight from Redis
    await eventually(async () => mirror.isLive, 'resubscribed');
    expect(await received()).toBe(50);
    await cache.writeRows([row('received', 51, 11)]); // as a consumer does: write, then publish
    await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-11', m: 'received', v: 51, n: 11 }], lastEventAt: null, committedAt: new Date().toISOString() });
    await eventually(async () => (await received()) === 51, 'the resubscribed channel feeds the mirror');
  });

  it('should not hear another deployment on the same Redis server (its own database, the same prefix)', async () => {
    // Redis pub/sub ignores the database number: without it in the channel name, a second deployment's changes
    // (here: database 1) reached this mirror and were served as this deployment's figures (black-box round 7).
    const other = await CounterCache.connect(`${redis.url}/1`, prefix);
    try {
      expect(other.channel).not.toBe(cache.channel);
      const own = { unitId: '01', periodKey: 'M2026-09', dimension: '*' };
      await cache.writeRows([row('received', 60, 20, 'M2026-09')]);
      expect(await received(own)).toBe(60);
      await other.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-09', m: 'received', v: 999, n: 99 }], lastEventAt: null, committedAt: new Date().toISOString() });
      // a later message of our own on the same server: once it is applied, the other one would have been too
      await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-09', m: 'resolved', v: 2, n: 21 }], lastEventAt: null, committedAt: new Date().toISOString() });
      await eventually(async () => (await reader.read([own])).counts[0]?.['resolved'] === 2, 'our own later message');
      expect(await received(own)).toBe(60);
    } finally {
      await other.close();
    }
  });

  it('should sum a quarter from mirrored months and leave other dimensions to Redis', async () => {
    await cache.writeRows([row('received', 2, 1, 'M2026-10'), row('received', 3, 1, 'M2026-12')]);
    expect(await received({ ...cell, periodKey: 'Q2026-4' })).toBe(51 + 2 + 3);
    await cache.publish({ rows: [{ u: '01', a: ['VN'], p: 'M2026-12', m: 'received', v: 4, n: 2 }], lastEventAt: null, committedAt: new Date().toISOString() });
    await eventually(async () => (await received({ ...cell, periodKey: 'Q2026-4' })) === 51 + 2 + 4, 'the quarter follows its month');
    await cache.writeRows([{ unitId: '01', periodKey: 'M2026-11', dimension: 'P:1.001193', metric: 'received', value: 7, version: 1 }]);
    expect(await received({ ...cell, dimension: 'P:1.001193' })).toBe(7);
    await cache.writeRows([{ unitId: '01', periodKey: 'M2026-11', dimension: 'P:1.001193', metric: 'received', value: 8, version: 2 }]);
    expect(await received({ ...cell, dimension: 'P:1.001193' })).toBe(8); // not mirrored: every read is Redis's
  });
});
