import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger } from '@onestop/observability';
import { createTestDatabase, createTestTopics, uniqueName, type TestDatabase } from '@onestop/testing';
import { createStatisticsApp } from '../src/bootstrap';
import { loadStatisticsConfig } from '../src/config/statistics.config';
import { envOf, isolatedConfig } from './support/harness';
import { parseEvents, readStream } from './support/sse';

/** An idle live feed (no counter changes) must still send something, or proxies cut it and clients cannot tell it is alive. */
describe('Statistics live feed heartbeat', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('stats_live_beat');
    topics = await createTestTopics(['stats.live.beat'], 1);
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await topics?.delete().catch(() => undefined);
    await db?.drop();
  });

  const start = async (heartbeatSeconds: string): Promise<string> => {
    const base = isolatedConfig({ topic: topics.names[0]!, databaseUrl: db.url, prefix: `${uniqueName('live-beat')}:` });
    const config = { ...loadStatisticsConfig(envOf(base, { STATS_SSE_HEARTBEAT_SECONDS: heartbeatSeconds })), consumerEnabled: false };
    const app = await createStatisticsApp(config, new JsonLogger('statistics-service', 'error'));
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  };

  it('should send a retry hint and a heartbeat event at once, then one every STATS_SSE_HEARTBEAT_SECONDS while no counter changes', async () => {
    const base = await start('1');
    const started = Date.now();
    const r = await readStream(`${base}/v1/units/01/live?period=M2025-11`, 3500);
    expect([r.status, r.type]).toEqual([200, expect.stringContaining('text/event-stream')]);
    const events = parseEvents(r.text);
    const beats = events.filter((e) => e.event === 'heartbeat');
    // one on connect, then one per second: at least 3 within 3.5 s, and no change events (nothing was counted)
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.event === 'indicators')).toEqual([]);
    expect(events[0]).toMatchObject({ event: 'heartbeat', retry: '3000' });
    for (const b of beats) {
      const data = JSON.parse(b.data ?? '{}') as { at: string; intervalSeconds: number };
      expect(data.intervalSeconds).toBe(1);
      expect(data).not.toHaveProperty('ingest'); // a replica without a consumer says nothing of ingest
      expect(Date.parse(data.at)).toBeGreaterThanOrEqual(started - 1000);
    }
  });

  it('should send only the retry hint, as a comment, with STATS_SSE_HEARTBEAT_SECONDS=0', async () => {
    const base = await start('0');
    const r = await readStream(`${base}/v1/units/VN/live`, 2500);
    expect(r.status).toBe(200);
    const events = parseEvents(r.text);
    expect(events.filter((e) => e.event === 'heartbeat')).toEqual([]);
    expect(events[0]).toMatchObject({ retry: '3000', comments: ['live feed'] });
  });

  it('should end a stream with its heartbeats when the service stops', async () => {
    const base = await start('1');
    const app = apps[apps.length - 1]!;
    let opened: () => void = () => undefined;
    const firstData = new Promise<void>((r) => (opened = r));
    const ended = readStream(`${base}/v1/units/VN/live`, 15_000, () => opened());
    await firstData; // the stream is open and has sent its first event: stop the service now
    const t0 = Date.now();
    await app.close();
    const r = await ended;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(parseEvents(r.text)[0]).toMatchObject({ event: 'heartbeat' });
  });
});
