import { existsSync } from 'node:fs';
import { type Server } from 'node:http';
import { type Browser, type Page } from 'playwright-core';
import { createTestDatabase, dropRedisKeys, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { buildUnitNames } from '../src/units/unit-names';
import { listeningUrl, spawnStatistics, stopChild, type Child } from './support/children';
import { CHROMIUM, close, launchChromium, listen } from './support/servers';

/**
 * What the page says when it cannot show figures, in the UI language, against a REAL statistics service (child
 * process, own database, consumer off: no dossier is needed): an invalid period in the link, an unknown unit, a
 * pre-2025 unit (never counted: history is rolled up onto the 2025 map, ADR 0206) and an unreachable service.
 */
describe('Dashboard messages for invalid links and failed loads (Chromium, real statistics service)', () => {
  const infra = endpointsFromEnv();
  const statsPrefix = `${uniqueName('dash-msg')}:`;
  let db: TestDatabase | undefined;
  let stats: Child | undefined;
  let dash: Server | undefined;
  let down: Server | undefined;
  let dashUrl: string;
  let downUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    await eventually(() => existsSync(CHROMIUM), `${CHROMIUM} installed`, { timeoutMs: 10_000 });
    db = await createTestDatabase('dashboard_msg');
    stats = spawnStatistics(
      { kafkaBrokers: infra.kafkaBrokers, databaseUrl: db.url, redisUrl: infra.redisUrl, topic: uniqueName('dashboard.msg'), groupId: uniqueName('dashboard.msg.statistics'), redisPrefix: statsPrefix },
      { STATS_CONSUMER_ENABLED: 'false' },
    );
    const statsUrl = await listeningUrl(stats, 90_000);
    const unitsJson = JSON.stringify(buildUnitNames());
    dash = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: statsUrl, DASHBOARD_PORT: '0' }), unitsJson });
    dashUrl = await listen(dash);
    // a dashboard whose statistics service is gone: a port nothing listens on any more
    const gone = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: 'http://127.0.0.1:9', DASHBOARD_PORT: '0' }), unitsJson: '{"units":{}}' });
    const goneUrl = await listen(gone);
    await close(gone);
    down = createDashboardServer({ config: loadDashboardConfig({ STATISTICS_URL: goneUrl, DASHBOARD_PORT: '0' }), unitsJson: '{"units":{}}' });
    downUrl = await listen(down);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await close(down);
    await close(dash);
    await stopChild(stats);
    await db?.drop().catch(() => undefined);
    await dropRedisKeys(infra.redisUrl, statsPrefix).catch(() => undefined);
  });

  /** A fresh page (own context: no remembered language) recording the live-feed URLs it opens. */
  const openPage = async (): Promise<{ page: Page; liveRequests: string[] }> => {
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    const liveRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/live')) liveRequests.push(decodeURIComponent(r.url())); // collects live-feed requests (not a skipped test)
    });
    return { page, liveRequests };
  };
  const textOf = (page: Page, sel: string) => page.locator(sel).first().innerText({ timeout: 5000 });

  for (const [lang, suffix, bad, notice, heading] of [
    ['vi', '', 'M2026-13', 'Kỳ báo cáo “M2026-13” trong đường dẫn không hợp lệ; đang hiển thị tháng ', /— tháng \d{2}\/\d{4}$/],
    ['en', '&lang=en', 'garbage', 'The period “garbage” in the link is not valid; showing ', /— \d{2}\/\d{4}$/],
  ] as const) {
    it(`should show the current month with a notice for an invalid period in the link, and never open its live feed (${lang}, ${bad})`, async () => {
      const { page, liveRequests } = await openPage();
      try {
        await page.goto(`${dashUrl}/?unit=VN&period=${bad}${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('body[data-loaded]');
        await page.locator('#notice [data-notice="period"]').waitFor({ state: 'visible' });
        expect(await textOf(page, '#notice [data-notice="period"]')).toContain(notice);
        const shown = new URL(page.url()).searchParams.get('period') ?? '';
        expect(shown).toMatch(/^M\d{4}-(0[1-9]|1[0-2])$/);
        const label = lang === 'vi' ? `tháng ${shown.slice(6, 8)}/${shown.slice(1, 5)}` : `${shown.slice(6, 8)}/${shown.slice(1, 5)}`;
        expect(await textOf(page, '#notice [data-notice="period"]')).toContain(label);
        expect(await textOf(page, '#unit-heading')).toMatch(heading);
        expect(await textOf(page, '#unit-heading')).not.toContain('13/2026');
        // the service answers the fallback month: figures and no error; the live feed runs on that month only
        expect(await page.locator('#error').isHidden()).toBe(true);
        await page.waitForSelector('#live-status[data-state="open"]');
        expect(liveRequests.length).toBeGreaterThan(0);
        expect(liveRequests.filter((u) => !u.endsWith(`period=${shown}`))).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  // black-box round 10: `?unit=<script>` showed the nation without a word
  for (const [lang, suffix, notice] of [
    ['vi', '', 'Mã đơn vị “<script>” trong đường dẫn không hợp lệ; đang hiển thị Toàn quốc.'],
    ['en', '&lang=en', 'The unit “<script>” in the link is not a valid unit code; showing Whole country instead.'],
  ] as const) {
    it(`should show the nation with a notice for a unit id in the link that cannot be one (${lang})`, async () => {
      const { page } = await openPage();
      try {
        await page.goto(`${dashUrl}/?unit=${encodeURIComponent('<script>')}&period=M2026-11${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('body[data-loaded]');
        await page.locator('#notice [data-notice="unit"]').waitFor({ state: 'visible' });
        expect(await textOf(page, '#notice [data-notice="unit"]')).toBe(notice);
        expect(new URL(page.url()).searchParams.get('unit')).toBe('VN');
        // the nation has one name on the page: the heading says what the breadcrumb says
        expect(await textOf(page, '#unit-heading')).toMatch(lang === 'vi' ? /^Toàn quốc — / : /^Whole country — /);
      } finally {
        await page.close();
      }
    });
  }

  for (const [lang, suffix, message] of [
    ['vi', '', 'Không tải được số liệu: Không tìm thấy đơn vị “ZZ”.'],
    ['en', '&lang=en', 'Could not load the figures: Unit “ZZ” was not found.'],
  ] as const) {
    it(`should say in the UI language that the unit is unknown, keep the service's English detail as secondary text and stop the live feed (${lang})`, async () => {
      const { page } = await openPage();
      try {
        await page.goto(`${dashUrl}/?unit=ZZ&period=M2025-11${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('body[data-loaded]');
        await page.locator('#error[role="alert"]').waitFor({ state: 'visible' });
        expect(await textOf(page, '#error')).toBe(message);
        expect(await page.getAttribute('#error', 'data-status')).toBe('404');
        // nothing is loading any more: "Loading figures…" stayed next to the error (black-box round 7)
        expect(await textOf(page, '#freshness')).toBe(lang === 'vi' ? 'Không có số liệu để hiển thị.' : 'No figures to show.');
        expect(await page.getAttribute('#indicators', 'aria-busy')).toBe('false');
        // the statistics service's own (English) detail is only the title attribute
        expect(await page.getAttribute('#error', 'title')).toContain('is neither in the unit directory nor counted');
        await page.waitForSelector('#live-status[data-state="off"]');
        expect(await textOf(page, '#live-status')).toBe(lang === 'vi' ? 'Trực tiếp: không áp dụng' : 'Live: not available');
      } finally {
        await page.close();
      }
    });
  }

  for (const [lang, suffix, message] of [
    ['vi', '', 'Không tải được số liệu: Dịch vụ thống kê tạm thời không phản hồi; vui lòng thử lại sau.'],
    ['en', '&lang=en', 'Could not load the figures: The statistics service is not answering at the moment; please try again later.'],
  ] as const) {
    it(`should say in the UI language that the service is unavailable when the proxy answers 502 (${lang})`, async () => {
      const { page } = await openPage();
      try {
        await page.goto(`${downUrl}/?unit=VN&period=M2025-11${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('body[data-loaded]');
        await page.locator('#error[role="alert"]').waitFor({ state: 'visible' });
        expect(await textOf(page, '#error')).toBe(message);
        expect(await page.getAttribute('#error', 'data-status')).toBe('502');
        expect(await textOf(page, '#freshness')).toBe(lang === 'vi' ? 'Không có số liệu để hiển thị.' : 'No figures to show.');
        expect(await page.getAttribute('#error', 'title')).toContain('HTTP 502');
      } finally {
        await page.close();
      }
    });
  }

  for (const [lang, suffix, notice, where, id] of [
    ['vi', '', 'Phường Quán Thánh là đơn vị hành chính trước sắp xếp năm 2025: số liệu thống kê không theo dõi theo đơn vị này', 'Hồ sơ của đơn vị này được tính cho Phường Ba Đình (00004).', '00013@pre2025'],
    ['en', '&lang=en', 'Phường Quán Thánh is an administrative unit from before the 2025 reorganisation: statistics are not tracked for it', 'Its dossiers are counted under Phường Ba Đình (00004).', '00013@pre2025'],
    // the bare code of a unit only the pre-2025 map had showed zeros, its code as its name and a live feed (round 7)
    ['vi', '', 'Phường Quán Thánh là đơn vị hành chính trước sắp xếp năm 2025: số liệu thống kê không theo dõi theo đơn vị này', 'Hồ sơ của đơn vị này được tính cho Phường Ba Đình (00004).', '00013'],
    ['en', '&lang=en', 'Phường Quán Thánh is an administrative unit from before the 2025 reorganisation: statistics are not tracked for it', 'Its dossiers are counted under Phường Ba Đình (00004).', '00013'],
  ] as const) {
    it(`should show a pre-2025 unit as not tracked instead of zeros, and where its dossiers are counted (${lang}, ${id})`, async () => {
      const { page } = await openPage();
      try {
        await page.goto(`${dashUrl}/?unit=${encodeURIComponent(id)}&period=M2025-03${suffix}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('body[data-loaded]');
        await page.locator('#notice [data-notice="pre2025"]').waitFor({ state: 'visible' });
        await page.waitForFunction(() => document.querySelector('#notice [data-notice="pre2025"]')?.textContent?.startsWith('Phường Quán Thánh'));
        expect(await textOf(page, '#notice [data-notice="pre2025"]')).toContain(notice);
        expect(await textOf(page, '#notice [data-notice="pre2025"]')).toContain(where);
        for (const metric of ['received', 'resolved', 'inProgress', 'inProgressOverdue']) {
          expect([metric, await textOf(page, `#indicators [data-metric="${metric}"]`)]).toEqual([metric, '—']);
        }
        expect(await page.getAttribute('#indicators', 'aria-busy')).toBe('false');
        expect(await page.locator('#error').isHidden()).toBe(true);
        await page.waitForSelector('#live-status[data-state="off"]');
      } finally {
        await page.close();
      }
    });
  }
});
