import { type Server } from 'node:http';
import { rawHttpRequest } from '@onestop/testing';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { close, listen } from './support/servers';

/**
 * Every error of the dashboard server is application/problem+json in the services' format (`@onestop/http`):
 * a type under the shared problem base, and `errors[]` naming what is at fault — requests Node's HTTP parser
 * refuses (header overflow, malformed request line) included.
 */


describe('Dashboard server errors as problem+json (real sockets)', () => {
  let dash: Server | undefined;
  let dashUrl: string;
  let port: number;

  beforeAll(async () => {
    // the upstream is never reached by these requests: a closed port is enough
    const config = loadDashboardConfig({ STATISTICS_URL: 'http://127.0.0.1:9', DASHBOARD_PORT: '0' });
    dash = createDashboardServer({ config, unitsJson: '{"version":"units.v1","units":{}}' });
    dashUrl = await listen(dash);
    port = Number(new URL(dashUrl).port);
  });

  afterAll(async () => {
    await close(dash);
  });

  it('should answer a 20 KB header with 431 problem+json naming the headers, then close the connection', async () => {
    const res = await rawHttpRequest(port, `GET / HTTP/1.1\r\nHost: dashboard\r\nCookie: s=${'x'.repeat(20 * 1024)}\r\n\r\n`);
    expect(res).toMatchObject({ status: 431, contentType: 'application/problem+json', closed: true });
    expect(JSON.parse(res.body)).toMatchObject({
      type: 'https://onestop-pulse.example/problems/header-fields-too-large',
      status: 431,
      errors: [{ field: 'headers' }],
    });
  });

  it('should answer a malformed request line (BREW /x HTTP/1.1) with 400 problem+json naming the request line', async () => {
    const res = await rawHttpRequest(port, 'BREW /x HTTP/1.1\r\nHost: dashboard\r\n\r\n');
    expect(res).toMatchObject({ status: 400, contentType: 'application/problem+json', closed: true });
    expect(JSON.parse(res.body)).toMatchObject({ type: 'https://onestop-pulse.example/problems/malformed-request', status: 400, errors: [{ field: 'request-line' }] });
  });

  it('should answer an unknown path with a 404 problem naming the path', async () => {
    const r = await fetch(`${dashUrl}/nope.html?x=1`);
    expect([r.status, r.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    expect(await r.json()).toEqual({
      type: 'https://onestop-pulse.example/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'No such resource: /nope.html',
      instance: '/nope.html',
      errors: [{ field: 'path', message: 'no such resource' }],
    });
  });

  it('should answer a write with a 405 problem naming the method, with the Allow header', async () => {
    const r = await fetch(`${dashUrl}/api/v1/units/VN/indicators`, { method: 'DELETE' });
    expect([r.status, r.headers.get('content-type'), r.headers.get('allow')]).toEqual([405, 'application/problem+json; charset=utf-8', 'GET, HEAD']);
    const body = (await r.json()) as { type: string; title: string; detail: string; instance: string; errors: { field: string; message: string }[] };
    expect(body).toMatchObject({ type: 'https://onestop-pulse.example/problems/method-not-allowed', title: 'Method not allowed', status: 405, instance: '/api/v1/units/VN/indicators' });
    expect(body.detail).toContain('DELETE');
    expect(body.errors).toEqual([{ field: 'method', message: 'DELETE not allowed; use GET, HEAD' }]);
  });

  it('should still serve a well-formed request after refusing malformed ones', async () => {
    const r = await fetch(`${dashUrl}/health`);
    expect([r.status, await r.json()]).toEqual([200, { status: 'ok' }]);
  });
});
