import { createClient } from 'redis';
import { endpointsFromEnv } from '../infra';
import { uniqueName } from '../isolation';

describe('Redis smoke (real server)', () => {
  it('should store, read and expire a value', async () => {
    const client = createClient({ url: endpointsFromEnv().redisUrl, socket: { connectTimeout: 3000, reconnectStrategy: false } });
    await client.connect();
    const key = `${uniqueName('smoke')}:counter`;
    try {
      const info = await client.info('server');
      console.log(`[smoke] Redis ${/redis_version:(\S+)/.exec(info)?.[1]}`);
      await client.hSet(key, { received: '3', online: '2' });
      await client.hIncrBy(key, 'received', 1);
      await client.pExpire(key, 60_000);
      await expect(client.hGetAll(key)).resolves.toEqual({ received: '4', online: '2' });
      expect(await client.pTTL(key)).toBeGreaterThan(0);
    } finally {
      await client.del(key);
      client.destroy();
    }
  });
});
