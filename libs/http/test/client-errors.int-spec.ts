import { connect } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, createServiceApp } from '../src';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/** Writes raw bytes on one socket and collects what comes back until the server closes it or `until` matches. */
function rawExchange(port: number, chunks: string[], until?: (received: string) => boolean): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return; // settles once (helper, not a skipped test)
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closed });
    };
    const timer = setTimeout(() => finish(false), 5000);
    socket.on('data', (d) => {
      received += d.toString('utf8');
      if (until?.(received)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (e) => (done ? undefined : reject(e)));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = (head ?? '').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine?.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('client errors of the shared service app (real socket)', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await createServiceApp(PingModule, { service: 'client-errors-test', bodyLimitBytes: 1024, title: 't', description: 'd', logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should answer a 20 KB header with 431 problem+json naming the headers', async () => {
    const { received, closed } = await rawExchange(port, [`GET /ping HTTP/1.1\r\nHost: x\r\nCookie: session=${'a'.repeat(20 * 1024)}\r\n\r\n`]);
    const res = parseResponse(received);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(431);
    expect(problem.errors[0]?.field).toBe('headers');
    expect(closed).toBe(true);
  });

  it('should answer a malformed request line with 400 problem+json naming the request line', async () => {
    const { received } = await rawExchange(port, ['GET /ping HTTP/9.Z\r\nHost: x\r\n\r\n']);
    const res = parseResponse(received);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors[0]?.field).toBe('request-line');
  });

  it('should answer a header name with a space with 400 problem+json naming the headers', async () => {
    const { received } = await rawExchange(port, ['GET /ping HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n']);
    const res = parseResponse(received);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect((JSON.parse(res.body) as { errors: { field: string }[] }).errors[0]?.field).toBe('headers');
  });

  it('should keep a keep-alive connection open across valid requests', async () => {
    const req = 'GET /ping HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    const { received, closed } = await rawExchange(port, [req, req], (r) => r.split('{"pong":true}').length === 3);
    expect(received.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(received).not.toMatch(/connection: close/i);
    expect(closed).toBe(false);
  });
});
