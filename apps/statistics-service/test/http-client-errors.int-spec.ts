import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger } from '@onestop/observability';
import { createTestDatabase, createTestTopics, rawHttpRequest, uniqueName, type TestDatabase } from '@onestop/testing';
import { createStatisticsApp } from '../src/bootstrap';
import { isolatedConfig } from './support/harness';


/** Requests Node's HTTP parser refuses never reach a route: they must still leave as problem+json, like every error. */
describe('Statistics HTTP edge: parser-level client errors (real socket)', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase('stats_client_errors');
    topics = await createTestTopics(['stats.client.errors'], 1);
    const config = { ...isolatedConfig({ topic: topics.names[0]!, databaseUrl: db.url, prefix: `${uniqueName('client-errors')}:` }), consumerEnabled: false };
    app = await createStatisticsApp(config, new JsonLogger('statistics-service', 'error'));
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
  });
  afterAll(async () => {
    await app?.close();
    await topics?.delete().catch(() => undefined);
    await db?.drop();
  });

  it('should answer a 20 KB header with 431 problem+json naming the headers', async () => {
    const res = await rawHttpRequest(port, `GET /health/live HTTP/1.1\r\nHost: statistics\r\nCookie: s=${'x'.repeat(20 * 1024)}\r\n\r\n`);
    expect(res).toMatchObject({ status: 431, contentType: 'application/problem+json', closed: true });
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, title: 'Request header fields too large', errors: [{ field: 'headers' }] });
  });

  it('should answer an unknown method in the request line (BREW) with 400 problem+json naming the request line', async () => {
    const res = await rawHttpRequest(port, 'BREW /x HTTP/1.1\r\nHost: statistics\r\n\r\n');
    expect(res).toMatchObject({ status: 400, contentType: 'application/problem+json', closed: true });
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, title: 'Malformed request', errors: [{ field: 'request-line' }] });
  });

  it('should still answer a well-formed request on the same server', async () => {
    const res = await rawHttpRequest(port, 'GET /health/live HTTP/1.1\r\nHost: statistics\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
  });
});
