import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FIX, counterBody } from './support/fixtures';
import { call, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';

/** Sends raw bytes on one socket; resolves with what came back once the server closed it (or after 5 s). */
function raw(port: number, request: string): Promise<{ status: number; contentType?: string; body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    const timer = setTimeout(() => done(false), 5000);
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', ...body] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /\r\ncontent-type: *([^\r]+)/i.exec(head)?.[1], body: body.join('\r\n\r\n'), closed });
    };
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('close', () => done(true));
    socket.on('error', reject);
  });
}

describe('intake HTTP edge: client errors and the bearer scheme (real socket)', () => {
  let infra: Infra;
  let app: NestFastifyApplication;
  let url: string;
  let port: number;
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-edge' });

  beforeAll(async () => {
    infra = await provisionInfra('intake_http_edge', { OUTBOX_RELAY_ENABLED: 'false' });
    ({ app, url } = await startApp(infra.config));
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await app?.close();
    await infra?.topics.delete().catch(() => undefined);
    await infra?.db.drop();
  });

  it('should answer a 20 KB cookie with 431 problem+json naming the headers', async () => {
    const res = await raw(port, `GET /health/live HTTP/1.1\r\nHost: intake\r\nCookie: s=${'x'.repeat(20 * 1024)}\r\n\r\n`);
    expect(res).toMatchObject({ status: 431, contentType: 'application/problem+json', closed: true });
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, errors: [{ field: 'headers' }] });
  });

  it('should answer a malformed request line with 400 problem+json', async () => {
    const res = await raw(port, 'GET /health/live HTTP/1.1 extra\r\nHost: intake\r\n\r\n');
    expect(res).toMatchObject({ status: 400, contentType: 'application/problem+json' });
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, errors: [{ field: 'request-line' }] });
  });

  it('should take a dossier from a client sending the scheme in lowercase', async () => {
    const res = await call(url, 'POST', '/dossiers', { body: counterBody(), headers: { authorization: `bearer ${token}` } });
    expect(res.status).toBe(201);
  });
});
