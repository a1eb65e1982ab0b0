import http, { type Server, type ServerResponse } from 'node:http';
import { type Browser } from 'playwright-core';
import { eventually } from '@onestop/testing';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { close, launchChromium, listen } from './support/servers';

/**
 * Live-update throttling in Chromium: a stand-in statistics upstream bursts 60 SSE change messages in ~0.6 s; the
 * page must apply them at most 10 times per second, end on the last value, and re-fetch at most once per second.
 */



describe('Dashboard live updates are throttled (Chromium, stand-in upstream)', () => {
  let upstream: Server | undefined;
  let dash: Server | undefined;
  let browser: Browser | undefined;
  let dashUrl: string;
  let received = 0;
  let indicatorFetches = 0;
  const streams: ServerResponse[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const freshness = { lastEventAt: '2025-11-20T10:00:00.000Z', consumerLag: 0, source: 'redis', asOf: new Date().toISOString() };
      if (url.pathname === '/v1/units/VN/live') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': connected\n\n');
        streams.push(res);
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (url.pathname === '/v1/units/VN/indicators') {
        indicatorFetches++;
        json({ data: { unitId: 'VN', period: 'M2025-11', counts: { received, receivedOnline: received }, rates: {}, gauges: { inProgress: 0, inProgressInTime: 0, inProgressOverdue: 0, dueSoon: 0, paused: 0 } }, freshness });
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (url.pathname === '/v1/units/VN/children') return json({ data: [], freshness });
      if (url.pathname === '/v1/units/VN/rankings') return json({ data: { ranking: [] }, freshness });
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end('{"status":404,"title":"Not Found"}');
    });
    const upstreamUrl = await listen(upstream);
    dash = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: upstreamUrl, DASHBOARD_PORT: '0' }), unitsJson: '{"units":{}}' });
    dashUrl = await listen(dash);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const s of streams) s.end();
    await close(dash);
    await close(upstream);
  });

  it('should apply a burst of 60 changes in at most 10 renders per second and end on the last value', async () => {
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${dashUrl}/?unit=VN&period=M2025-11`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    await page.waitForSelector('#live-status[data-state="open"]');
    await eventually(() => streams.length > 0, 'the page subscribed to the live feed', { timeoutMs: 5000 });
    const stream = streams[streams.length - 1]!;
    const fetchesBefore = indicatorFetches;

    const started = Date.now();
    for (let v = 1; v <= 60; v++) {
      received = v;
      const changes = [{ unitId: 'VN', period: 'M2025-11', metric: 'received', value: v, lastEventAt: '2025-11-20T10:00:00.000Z', committedAt: new Date().toISOString() }];
      stream.write(`event: indicators\ndata: ${JSON.stringify({ changes })}\n\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const burstMs = Date.now() - started;

    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '60');
    const renders = Number(await page.getAttribute('body', 'data-live-updates'));
    expect(renders).toBeGreaterThanOrEqual(1);
    // ≤ 10 per second over the burst (+1 for the trailing flush)
    expect(renders).toBeLessThanOrEqual(Math.ceil(burstMs / 100) + 1);
    expect(renders).toBeLessThan(60);

    // full re-fetches: at most one per second, plus the first "settle" re-fetch 1.5 s after the last change
    // (waits are minimums: on a loaded machine the browser's timers fire late, so the lower bounds are awaited)
    await new Promise((r) => setTimeout(r, 2500));
    await eventually(() => indicatorFetches - fetchesBefore >= 2, 'a re-fetch and the settle re-fetch', { timeoutMs: 5000 });
    const refetches = indicatorFetches - fetchesBefore;
    expect(refetches).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(await page.locator('#indicators [data-metric="received"]').innerText()).toBe('60');

    // and a second settle re-fetch 6.5 s after the last change, past the service's 5 s stale-gauge bound
    const afterFirstSettle = indicatorFetches;
    await new Promise((r) => setTimeout(r, 6500 - (Date.now() - started - burstMs) + 1000));
    await eventually(() => indicatorFetches - afterFirstSettle >= 1, 'the second settle re-fetch', { timeoutMs: 5000 });
    expect(indicatorFetches - afterFirstSettle).toBeLessThanOrEqual(2);
    await page.close();
  });
});
