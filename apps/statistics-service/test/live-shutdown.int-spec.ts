import http from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger } from '@onestop/observability';
import { createTestDatabase, createTestTopics, uniqueName, type TestDatabase } from '@onestop/testing';
import { createStatisticsApp } from '../src/bootstrap';
import { isolatedConfig } from './support/harness';

/** A stopping service (SIGTERM → app.close()) must not wait for its live feeds: they end, and the clients reconnect. */
describe('Statistics live feed on shutdown', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('stats_live_stop');
    topics = await createTestTopics(['stats.live.stop'], 1);
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await topics?.delete().catch(() => undefined);
    await db?.drop();
  });

  it('should end every open SSE stream and close within seconds while clients are still connected', async () => {
    const config = { ...isolatedConfig({ topic: topics.names[0]!, databaseUrl: db.url, prefix: `${uniqueName('live-stop')}:` }), consumerEnabled: false };
    app = await createStatisticsApp(config, new JsonLogger('statistics-service', 'error'));
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    // two dashboards, one on the nation, one on a province: the connections stay open (no event is coming)
    const streams = await Promise.all(
      ['VN', '01'].map(
        (unit) =>
          new Promise<{ end: Promise<string> }>((opened, failed) => {
            http
              .get(`${base}/v1/units/${unit}/live`, (res) => {
                expect(res.statusCode).toBe(200);
                res.resume();
                opened({ end: new Promise<string>((done) => (res.on('end', () => done('ended')), res.on('error', () => done('ended')), res.on('close', () => done('ended')))) });
              })
              .on('error', failed);
          }),
      ),
    );
    const stopped = app.close().then(() => 'closed');
    const late = new Promise<string>((r) => setTimeout(() => r('still open after 10 s'), 10_000).unref());
    await expect(Promise.race([stopped, late])).resolves.toBe('closed');
    app = undefined;
    await expect(Promise.race([Promise.all(streams.map((x) => x.end)), late])).resolves.toEqual(['ended', 'ended']);
  });
});
