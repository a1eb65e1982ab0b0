import http, { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { buildUnitNames } from '../src/units/unit-names';
import { close, launchChromium, listen } from './support/servers';

/**
 * A deep link to a pre-2025 unit (`?unit=00004@pre2025`, an id the statistics service accepts) shows that unit —
 * the page asks the service for it and heads it with its pre-2025 Vietnamese name from /units.json — instead of
 * falling back to the nation.
 */



describe('Dashboard deep link to a pre-2025 unit (Chromium, stand-in upstream)', () => {
  let upstream: Server | undefined;
  let dash: Server | undefined;
  let browser: Browser | undefined;
  let dashUrl: string;
  /** Unit ids the page asked the stand-in statistics service about (decoded). */
  const asked: string[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const m = /^\/v1\/units\/([^/]+)\/(indicators|children|rankings|live)$/.exec(url.pathname);
      const freshness = { lastEventAt: '2025-11-20T10:00:00.000Z', consumerLag: 0, source: 'redis', asOf: new Date().toISOString() };
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (!m) {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end('{"status":404,"title":"Not Found"}');
        return; // stub upstream: this request is answered (not a skipped test)
      }
      const unitId = decodeURIComponent(m[1]!);
      asked.push(unitId);
      if (m[2] === 'live') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(`event: heartbeat\nretry: 3000\ndata: ${JSON.stringify({ at: new Date().toISOString(), intervalSeconds: 15 })}\n\n`);
        return; // stub upstream: the stream stays open until the page goes (not a skipped test)
      }
      if (m[2] === 'indicators') {
        json({ data: { unitId, period: 'M2025-03', counts: { received: 7 }, rates: {}, gauges: { inProgress: 0, inProgressInTime: 0, inProgressOverdue: 0, dueSoon: 0, paused: 0 } }, freshness });
        return; // stub upstream: this request is answered (not a skipped test)
      }
      if (m[2] === 'children') return json({ data: [], freshness }); // stub answer (not a skipped test)
      return json({ data: { ranking: [] }, freshness }); // stub answer (not a skipped test)
    });
    const upstreamUrl = await listen(upstream);
    dash = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: upstreamUrl, DASHBOARD_PORT: '0' }), unitsJson: JSON.stringify(buildUnitNames('2025-11-24')) });
    dashUrl = await listen(dash);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await close(dash);
    await close(upstream);
  });

  for (const [lang, suffix] of [
    ['vi', ''],
    ['en', '&lang=en'],
  ] as const) {
    it(`should show the pre-2025 unit of the link under its Vietnamese name, not the nation (${lang})`, async () => {
      asked.length = 0;
      const page = await browser!.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await page.goto(`${dashUrl}/?unit=${encodeURIComponent('00004@pre2025')}&period=M2025-03${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => document.querySelector('#unit-heading')?.textContent?.includes('Phường Trúc Bạch'));
        expect(await page.locator('#unit-heading').innerText()).toMatch(/^Phường Trúc Bạch — /);
        expect(new URL(page.url()).searchParams.get('unit')).toBe('00004@pre2025');
        await page.waitForFunction(() => document.querySelector('#breadcrumb [aria-current="page"]')?.textContent === 'Phường Trúc Bạch');
        // the whole path of the pre-2025 map: nation › its pre-2025 province › the commune
        expect(await page.locator('#breadcrumb li').allInnerTexts()).toEqual([lang === 'vi' ? 'Toàn quốc' : 'Whole country', 'Thành phố Hà Nội', 'Phường Trúc Bạch']);
        expect(asked).toContain('00004@pre2025');
        expect(asked).not.toContain('VN');
      } finally {
        await page.close();
      }
    });
  }

  it('should name a bare code only the pre-2025 map had, under its pre-2025 province in the breadcrumb', async () => {
    asked.length = 0;
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    try {
      // 00013 (Phường Quán Thánh) ended in the 2025 reorganisation: no unit in force has that code
      await page.goto(`${dashUrl}/?unit=00013&period=M2025-03`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelector('#breadcrumb [aria-current="page"]')?.textContent === 'Phường Quán Thánh');
      expect(await page.locator('#breadcrumb li').allInnerTexts()).toEqual(['Toàn quốc', 'Thành phố Hà Nội', 'Phường Quán Thánh']);
      expect(await page.locator('#unit-heading').innerText()).toMatch(/^Phường Quán Thánh — /);
    } finally {
      await page.close();
    }
  });
});
