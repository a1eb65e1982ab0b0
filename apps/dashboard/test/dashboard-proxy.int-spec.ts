import http, { type Server } from 'node:http';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { CONTENT_SECURITY_POLICY, createDashboardServer } from '../src/server/dashboard.server';
import { close, listen } from './support/servers';

/**
 * The dashboard server in-process: static files, /units.json, security headers and the /api proxy against
 * a stand-in upstream (a plain node:http server: answers, SSE that streams slowly, or a closed port).
 */


function dashboardFor(statisticsUrl: string, unitsJson = '{"version":"units.v1","units":{"VN":{"n":"Việt Nam","p":null,"l":"nation"}}}'): Server {
  const config = loadDashboardConfig({ STATISTICS_URL: statisticsUrl, DASHBOARD_PORT: '0', DASHBOARD_UPSTREAM_TIMEOUT_MS: '2000' });
  return createDashboardServer({ config, unitsJson });
}

describe('Dashboard server and /api proxy', () => {
  let upstream: Server | undefined;
  let upstreamUrl: string;
  let dash: Server | undefined;
  let dashUrl: string;
  let releaseSse: (() => void) | undefined;
  const upstreamRequests: string[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      upstreamRequests.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/v1/units/VN/live')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('event: indicators\ndata: {"changes":[{"unitId":"VN","metric":"received","value":1}]}\n\n');
        // the second event comes only when the test says so: the first must reach the browser before it
        releaseSse = () => {
          releaseSse = undefined;
          res.write('event: indicators\ndata: {"changes":[{"unitId":"VN","metric":"received","value":2}]}\n\n');
          res.end();
        };
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (req.url?.startsWith('/v1/units/VN/indicators')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-consumer-lag': '0', 'set-cookie': 'secret=1' });
        res.end(JSON.stringify({ data: { unitId: 'VN', counts: { received: 7 } }, freshness: { consumerLag: 0 } }));
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (req.url?.startsWith('/v1/units/slow')) return; // the slow stub never answers (not a skipped test)
      if (req.url?.startsWith('/v1/units/ZZ/')) {
        // the statistics service's problem names ITS path (no /api prefix), with extensions
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'https://onestop-pulse.example/problems/not-found', title: 'Not found', status: 404, instance: req.url, errors: [{ field: 'unitId' }] }));
        return; // stub upstream: this request is answered (not a skipped test)
      }
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
    });
    upstreamUrl = await listen(upstream);
    dash = dashboardFor(upstreamUrl);
    dashUrl = await listen(dash);
  });

  afterAll(async () => {
    releaseSse?.();
    await close(dash);
    await close(upstream);
  });

  it('should proxy only to the statistics service: a path that reads as another host (//host, /\\host) goes to the service as a path', async () => {
    const otherRequests: string[] = [];
    const other = http.createServer((req, res) => {
      otherRequests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('internal secret');
    });
    const otherUrl = await listen(other);
    const host = new URL(otherUrl).host;
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${dashUrl}${path}`, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    try {
      const seen = upstreamRequests.length;
      for (const path of [`/api//${host}/secret`, `/api/\\${host}/secret`, `/api///${host}/secret?x=1`]) {
        const r = await raw(path);
        expect([path, r.body]).not.toEqual([path, 'internal secret']);
        expect([path, r.status]).toEqual([path, 404]); // the statistics service's answer: no such path
      }
      expect(otherRequests).toEqual([]);
      // each went to the statistics service, as a path
      expect(upstreamRequests.slice(seen)).toEqual([`GET //${host}/secret`, `GET //${host}/secret`, `GET ///${host}/secret?x=1`]);
    } finally {
      await close(other);
    }
  });

  it('should serve the page with its content types and security headers (CSP default-src self)', async () => {
    const page = await fetch(`${dashUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'self'")).toBe(true);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<html lang="vi">');
    for (const [file, type] of [
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/i18n.js', 'text/javascript; charset=utf-8'],
      ['/period.js', 'text/javascript; charset=utf-8'],
      ['/styles.css', 'text/css; charset=utf-8'],
    ]) {
      const r = await fetch(dashUrl + file!);
      expect([file, r.status, r.headers.get('content-type')]).toEqual([file, 200, type]);
    }
    const units = await fetch(`${dashUrl}/units.json`);
    expect(units.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await units.json()).toMatchObject({ units: { VN: { n: 'Việt Nam' } } });
  });

  it('should answer unknown paths, traversal attempts and writes with problem+json', async () => {
    for (const path of ['/nope.html', '/../package.json', '/%2e%2e/%2e%2e/package.json', '/%E0%A4%A', '/README.md']) {
      const r = await fetch(dashUrl + path);
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 404, 'application/problem+json; charset=utf-8']);
      expect(await r.json()).toMatchObject({ status: 404, title: 'Not found', type: 'https://onestop-pulse.example/problems/not-found' });
    }
    const post = await fetch(`${dashUrl}/api/v1/units/VN/indicators`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(upstreamRequests.some((r) => r.startsWith('POST'))).toBe(false);
  });

  it('should proxy /api/* to the statistics service without the /api prefix, forwarding only safe headers', async () => {
    const r = await fetch(`${dashUrl}/api/v1/units/VN/indicators?period=M2025-11`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('x-consumer-lag')).toBe('0');
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await r.json()).toMatchObject({ data: { counts: { received: 7 } } });
    expect(upstreamRequests).toContain('GET /v1/units/VN/indicators?period=M2025-11');

    const missing = await fetch(`${dashUrl}/api/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it("should answer a proxied problem+json with instance = the path the browser requested (with /api), keeping the service's fields", async () => {
    const r = await fetch(`${dashUrl}/api/v1/units/ZZ/indicators?period=M2025-11`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const text = await r.text();
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({
      type: 'https://onestop-pulse.example/problems/not-found',
      title: 'Not found',
      status: 404,
      instance: '/api/v1/units/ZZ/indicators?period=M2025-11',
      errors: [{ field: 'unitId' }],
    });
    expect(upstreamRequests).toContain('GET /v1/units/ZZ/indicators?period=M2025-11');
    const plain = await fetch(`${dashUrl}/api/v1/nothing`);
    expect(await plain.json()).toMatchObject({ status: 404, instance: '/api/v1/nothing' });
  });

  it('should stream SSE through the proxy without buffering', async () => {
    const controller = new AbortController();
    const r = await fetch(`${dashUrl}/api/v1/units/VN/live?period=M2025-11`, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(r.headers.get('cache-control')).toBe('no-cache, no-transform');
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    const readUntil = async (needle: string, received: string): Promise<string> => {
      let text = received;
      const deadline = Date.now() + 5000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no "${needle}" within 5 s; got ${JSON.stringify(text)}`);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`stream stalled before "${needle}"`)), 5000);
        });
        const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error(`stream ended before "${needle}"`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    };
    // the first event arrives while the upstream response is still open
    const first = await readUntil('"value":1', '');
    expect(first).toContain('event: indicators');
    expect(first).not.toContain('"value":2');
    const release = releaseSse;
    expect(release).toBeDefined();
    release!();
    const both = await readUntil('"value":2', first);
    expect(both).toContain('"value":2');
    await reader.cancel().catch(() => undefined);
    controller.abort();
  });

  it('should answer 502 problem+json when the statistics service is down', async () => {
    const closed = http.createServer();
    const deadUrl = await listen(closed);
    await close(closed); // nothing listens on that port any more
    const down = dashboardFor(deadUrl);
    const downUrl = await listen(down);
    try {
      const r = await fetch(`${downUrl}/api/v1/units/VN/indicators?period=M2025-11`);
      expect(r.status).toBe(502);
      expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      const body = (await r.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        type: 'https://onestop-pulse.example/problems/bad-gateway', // the services' problem type base (@onestop/http)
        status: 502,
        title: 'Bad Gateway',
        instance: '/api/v1/units/VN/indicators?period=M2025-11',
      });
      expect(String(body['detail'])).toContain('ECONNREFUSED');
    } finally {
      await close(down);
    }
  });

  it('should answer 502 problem+json when the statistics service does not answer in time', async () => {
    const started = Date.now();
    const r = await fetch(`${dashUrl}/api/v1/units/slow/indicators?period=M2025-11`);
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await r.json()).toMatchObject({ status: 502 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
