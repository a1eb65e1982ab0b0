import http, { type Server, type ServerResponse } from 'node:http';
import { type Browser } from 'playwright-core';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { close, launchChromium, listen } from './support/servers';

/**
 * The live status of the page follows the statistics service's SSE heartbeats (ADR 0414), through the dashboard's
 * proxy: a stream that stops sending both changes and heartbeats for ~2 announced intervals is shown as stale and
 * reconnected; one that keeps beating stays "receiving updates".
 */



/** What the stand-in's heartbeats say of ingest (ADR 0414 amendment); undefined: nothing, like an older service. */
let ingest: Record<string, unknown> | undefined;
const beat = (retry = false) => `event: heartbeat\n${retry ? 'retry: 3000\n' : ''}data: ${JSON.stringify({ at: new Date().toISOString(), intervalSeconds: 1, ...(ingest ? { ingest } : {}) })}\n\n`;

describe('Dashboard live status follows the SSE heartbeat (Chromium, stand-in upstream)', () => {
  let upstream: Server | undefined;
  let dash: Server | undefined;
  let browser: Browser | undefined;
  let dashUrl: string;
  /** How the next live streams behave: one heartbeat then silence (a stream cut somewhere), or a heartbeat every second. */
  let mode: 'silent' | 'beating' = 'silent';
  let connections = 0;
  const streams: ServerResponse[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const freshness = { lastEventAt: '2025-11-20T10:00:00.000Z', consumerLag: 0, source: 'redis', asOf: new Date().toISOString() };
      if (url.pathname === '/v1/units/VN/live') {
        connections++;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(beat(true));
        streams.push(res);
        if (mode === 'beating') timers.push(setInterval(() => res.write(beat()), 1000));
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (url.pathname === '/v1/units/VN/indicators') {
        json({ data: { unitId: 'VN', period: 'M2025-11', counts: { received: 1 }, rates: {}, gauges: { inProgress: 0, inProgressInTime: 0, inProgressOverdue: 0, dueSoon: 0, paused: 0 } }, freshness });
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (url.pathname === '/v1/units/VN/children') return json({ data: [], freshness }); // stub answer (not a skipped test)
      if (url.pathname === '/v1/units/VN/rankings') return json({ data: { ranking: [] }, freshness }); // stub answer (not a skipped test)
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end('{"status":404,"title":"Not Found"}');
    });
    const upstreamUrl = await listen(upstream);
    dash = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: upstreamUrl, DASHBOARD_PORT: '0' }), unitsJson: '{"units":{}}' });
    dashUrl = await listen(dash);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    await browser?.close().catch(() => undefined);
    for (const s of streams) s.end();
    await close(dash);
    await close(upstream);
  });

  for (const [lang, stale, open] of [
    ['vi', 'Trực tiếp: không nhận được tín hiệu, đang kết nối lại…', 'Trực tiếp: đang nhận cập nhật'],
    ['en', 'Live: no signal, reconnecting…', 'Live: receiving updates'],
  ] as const) {
    it(`should show a silent stream as stale after ~2 heartbeat intervals, reconnect, and stay live while heartbeats arrive (${lang})`, async () => {
      mode = 'silent';
      const before = connections;
      const page = await browser!.newPage();
      page.setDefaultTimeout(15_000);
      // the page's own clock times its state changes: the test process sees them late on a loaded machine
      await page.addInitScript(() => {
        const log: { state: string; t: number }[] = [];
        (window as unknown as { __liveStates: typeof log }).__liveStates = log;
        new MutationObserver(() => {
          const state = document.getElementById('live-status')?.getAttribute('data-state');
          if (state && log.at(-1)?.state !== state) log.push({ state, t: performance.now() }); // records changes only (page script, not a skipped test)
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      });
      await page.goto(`${dashUrl}/?unit=VN&period=M2025-11${lang === 'en' ? '&lang=en' : ''}`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('#live-status[data-state="open"]');
      expect(await page.locator('#live-status').innerText()).toBe(open);
      // one heartbeat (interval 1 s), then nothing: stale after 2 intervals, not before
      await page.waitForSelector('#live-status[data-state="stale"]');
      const log = await page.evaluate(() => (window as unknown as { __liveStates: { state: string; t: number }[] }).__liveStates);
      const openedAt = log.find((e) => e.state === 'open')?.t;
      const staleAt = log.find((e) => e.state === 'stale')?.t;
      expect(openedAt).toBeDefined();
      expect(staleAt! - openedAt!).toBeGreaterThanOrEqual(1500);
      expect(await page.locator('#live-status').innerText()).toBe(stale);
      // the page reconnects by itself; this stream beats every second: live again, and it stays live
      mode = 'beating';
      await page.waitForSelector('#live-status[data-state="open"]');
      expect(connections - before).toBeGreaterThanOrEqual(2);
      const states: string[] = [];
      for (let i = 0; i < 7; i++) {
        await new Promise((r) => setTimeout(r, 500));
        states.push(String(await page.getAttribute('#live-status', 'data-state')));
      }
      expect(states).toEqual(Array(7).fill('open'));
      await page.close();
    });
  }

  for (const [lang, degraded, open] of [
    ['vi', 'Trực tiếp: đã kết nối, nhưng dịch vụ thống kê không nhận được sự kiện mới từ ', 'Trực tiếp: đang nhận cập nhật'],
    ['en', 'Live: connected, but the statistics service has received no events since ', 'Live: receiving updates'],
  ] as const) {
    it(`should say the figures may be behind while heartbeats report ingest stopped, and live again once it recovers (${lang})`, async () => {
      mode = 'beating';
      // the statistics service lost its broker: the stream beats, the counters do not move
      ingest = { degraded: true, state: 'running', brokerReachable: false, lastFetchAt: '2025-11-20T03:04:05.000Z' };
      const page = await browser!.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await page.goto(`${dashUrl}/?unit=VN&period=M2025-11${lang === 'en' ? '&lang=en' : ''}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('#live-status[data-state="degraded"]');
        const text = await page.locator('#live-status').innerText();
        expect(text.startsWith(degraded)).toBe(true);
        expect(text).toContain('10:04'); // the last answered fetch, in Vietnam's time (03:04 UTC)
        // the broker is back: the next heartbeats say so, and the page is live again without a reconnect
        ingest = { degraded: false, state: 'running', brokerReachable: true, lastFetchAt: new Date().toISOString() };
        await page.waitForSelector('#live-status[data-state="open"]');
        expect(await page.locator('#live-status').innerText()).toBe(open);
      } finally {
        ingest = undefined;
        await page.close();
      }
    });
  }
});
