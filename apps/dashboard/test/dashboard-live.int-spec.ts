import { existsSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { type Browser, type Page } from 'playwright-core';
import { getUnitDirectory, communeOneStopCode } from '@onestop/domain';
import { createTestDatabase, createTestTopics, createTopicsAndWait, dropRedisKeys, endpointsFromEnv, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { loadDashboardConfig } from '../src/config/dashboard.config';
import { createDashboardServer } from '../src/server/dashboard.server';
import { spawnStatistics, spawnTs, listeningUrl, stopChild, type Child } from './support/children';
import { dossierEvents, type DossierPlan, type PublicMessage } from './support/events';
import { CHROMIUM, launchChromium } from './support/servers';

/**
 * The dashboard in a real Chromium against a REAL statistics service (child process, own database, topic,
 * consumer group and Redis prefix), fed with contract-valid public events for real communes of Hà Nội.
 */
const PERIOD = 'M2025-11';
const PROVINCE = '01';

describe('Dashboard page (Chromium) on a real statistics service', () => {
  const infra = endpointsFromEnv();
  const statsPrefix = `${uniqueName('dash')}:`;
  const kafka = new Kafka({ clientId: uniqueName('dash-test'), brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const directory = getUnitDirectory();
  const province = directory.adminUnits.provincesAt('2025-11-01').find((p) => p.code === PROVINCE)!;
  const [communeA, communeB] = directory.adminUnits.communesOf(province.id).slice(0, 2);
  // The commune's one-stop unit in the domain catalogue's code scheme (ADR 0104), e.g. 01.00004.
  const unitA = communeOneStopCode(PROVINCE, communeA!.code);
  const unitB = communeOneStopCode(PROVINCE, communeB!.code);
  let db: TestDatabase | undefined;
  let topics: Awaited<ReturnType<typeof createTestTopics>> | undefined;
  let topic: string;
  let stats: Child | undefined;
  let dashboard: Child | undefined;
  let statsUrl: string;
  let dashUrl: string;
  let browser: Browser | undefined;
  let page: Page;

  const produce = async (messages: PublicMessage[]) => {
    const p = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
    await p.connect();
    try {
      await p.send({ topic, acks: -1, messages });
    } finally {
      await p.disconnect();
    }
  };
  const statsCount = async (unit: string, metric: string): Promise<number> => {
    const r = await fetch(`${statsUrl}/v1/units/${unit}/indicators?period=${PERIOD}`);
    const body = (await r.json()) as { data: { counts: Record<string, number> } };
    return body.data.counts[metric] ?? 0;
  };
  const text = (sel: string) => page.locator(sel).first().innerText({ timeout: 5000 });

  // Hà Nội, November 2025: commune A 3 dossiers (early + rated very satisfied, on time, open), commune B 2
  // (late + rated dissatisfied, open). Open dossiers are overdue today (due dates in 2025).
  const plans: DossierPlan[] = [
    { unit: unitA, seq: 1, channel: 'ONLINE', receivedAt: '2025-11-03T08:10:00+07:00', dueAt: '2025-11-10T17:00:00+07:00', resolvedAt: '2025-11-05T10:00:00+07:00', rating: 'VERY_SATISFIED' },
    { unit: unitA, seq: 1, channel: 'DIRECT', receivedAt: '2025-11-04T09:00:00+07:00', dueAt: '2025-11-12T17:00:00+07:00', resolvedAt: '2025-11-12T15:00:00+07:00' },
    { unit: unitA, seq: 1, channel: 'POSTAL', receivedAt: '2025-11-05T14:30:00+07:00', dueAt: '2025-11-20T17:00:00+07:00' },
    { unit: unitB, seq: 1, channel: 'ONLINE', receivedAt: '2025-11-06T08:45:00+07:00', dueAt: '2025-11-14T17:00:00+07:00', resolvedAt: '2025-11-20T16:00:00+07:00', rating: 'DISSATISFIED' },
    { unit: unitB, seq: 1, channel: 'ONLINE', receivedAt: '2025-11-07T10:20:00+07:00', dueAt: '2025-11-21T17:00:00+07:00' },
  ];

  beforeAll(async () => {
    await eventually(() => existsSync(CHROMIUM), `${CHROMIUM} installed`, { timeoutMs: 10_000 });
    db = await createTestDatabase('dashboard');
    topics = await createTestTopics(['dashboard.public'], 2);
    topic = topics.names[0]!;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    } finally {
      await admin.disconnect();
    }
    await produce(plans.flatMap(dossierEvents));

    stats = spawnStatistics(
      { kafkaBrokers: infra.kafkaBrokers, databaseUrl: db.url, redisUrl: infra.redisUrl, topic, groupId: `${topic}.statistics`, redisPrefix: statsPrefix },
      { STATS_SESSION_TIMEOUT_MS: '6000' },
    );
    statsUrl = await listeningUrl(stats, 90_000);
    await eventually(async () => (await statsCount(PROVINCE, 'received')) === 5, 'statistics service consumed the 5 receipts', { timeoutMs: 60_000, intervalMs: 250 });

    dashboard = spawnTs('dashboard', 'apps/dashboard/src/main.ts', { DASHBOARD_PORT: '0', STATISTICS_URL: statsUrl });
    dashUrl = await listeningUrl(dashboard, 60_000);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stopChild(dashboard);
    await stopChild(stats);
    await topics?.delete().catch(() => undefined);
    await db?.drop().catch(() => undefined);
    await dropRedisKeys(endpointsFromEnv().redisUrl, statsPrefix).catch(() => undefined);
  });

  it('should load in Vietnamese by default and switch to English (remembered, and ?lang=en)', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // CSP violations and failed requests show up as console errors
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${dashUrl}/?unit=VN&period=${PERIOD}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await text('#s-receipt')).toBe('Tiếp nhận hồ sơ');
    expect(await text('label[for="unit"]')).toBe('Đơn vị');
    expect(await text('#unit-heading')).toContain('tháng 11/2025');
    expect(await page.locator('#unit option[value="01"]').innerText()).toBe('Thành phố Hà Nội');

    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await text('#s-receipt')).toBe('Dossiers received');
    expect(await text('#children caption')).toContain('Child units');
    expect(await page.evaluate(() => localStorage.getItem('onestop.pulse.lang'))).toBe('en');

    await page.goto(`${dashUrl}/?unit=VN&period=${PERIOD}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.evaluate(() => localStorage.clear());
    await page.goto(`${dashUrl}/?lang=en&unit=VN&period=${PERIOD}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    expect(await text('#s-resolution')).toBe('Resolution');

    await page.selectOption('#lang', 'vi');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    expect(await text('#s-resolution')).toBe('Kết quả giải quyết');
    expect(errors).toEqual([]);
  });

  it("should show the statistics service's real figures, rank the communes and offer the reports", async () => {
    await page.goto(`${dashUrl}/?unit=${PROVINCE}&period=${PERIOD}&lang=vi`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    const metric = (m: string) => text(`#indicators [data-metric="${m}"]`);
    expect(await text('#unit-heading')).toContain('Thành phố Hà Nội');
    expect(await metric('received')).toBe('5');
    expect(await metric('receivedOnline')).toBe('3');
    expect(await metric('receivedDirect')).toBe('1');
    expect(await metric('receivedPostal')).toBe('1');
    expect(await metric('onlineRate')).toMatch(/^60,0\s?%$/);
    expect(await metric('resolved')).toBe('3');
    expect(await metric('resolvedEarly')).toBe('1');
    expect(await metric('resolvedOnTime')).toBe('1');
    expect(await metric('resolvedLate')).toBe('1');
    expect(await metric('onTimeRate')).toMatch(/^66,7\s?%$/);
    expect(await metric('inProgress')).toBe('2');
    expect(await metric('inProgressOverdue')).toBe('2');
    expect(await metric('inProgressInTime')).toBe('0');
    // a past month's gauges are as of its end (domain §2.5), labelled so; paused is not known per instant
    expect(await page.getAttribute('#gauges-asof', 'data-as-of')).toBe('2025-11-30T17:00:00.000Z');
    expect(await text('#gauges-asof')).toMatch(/^Tại thời điểm kết thúc kỳ \(.+\)$/);
    // the last second of November, not "01/12/2025 00:00:00" (a dossier due on 30/11 is still in time then)
    expect(await text('#gauges-asof')).toContain('30/11/2025');
    expect(await text('#gauges-asof')).toContain('23:59:59');
    expect(await metric('paused')).toBe('—');
    expect(await metric('ratingVerySatisfied')).toBe('1');
    expect(await metric('ratingDissatisfied')).toBe('1');
    expect(await text('#freshness')).toMatch(/^Cập nhật lúc .+, độ trễ 0 sự kiện chờ xử lý · sự kiện mới nhất lúc /);

    // children table: every unit of the province in force (communes without dossiers too, with zeros); the two
    // communes with dossiers (1 overdue dossier in progress each) come first, by name
    const listed = ((await (await fetch(`${dashUrl}/api/v1/units/${PROVINCE}/children?period=${PERIOD}`)).json()) as { data: { unitId: string }[] }).data;
    const rows = page.locator('#children tbody tr');
    await expect(rows.count()).resolves.toBe(listed.length);
    expect(listed.length).toBeGreaterThan(100);
    const names = await page.locator('#children tbody th').allInnerTexts();
    expect(names.slice(0, 2).sort()).toEqual([communeA!.name, communeB!.name].sort());
    const quiet = page.locator('#children tbody tr').nth(2);
    expect(await quiet.locator('[data-metric="received"]').innerText()).toBe('0');
    const rowA = page.locator(`#children tbody tr[data-unit="${communeA!.code}"]`);
    expect(await rowA.locator('[data-metric="received"]').innerText()).toBe('3');
    expect(await rowA.locator('[data-metric="resolved"]').innerText()).toBe('2');

    // reports through the proxy
    const csvHref = await page.getAttribute('#download-csv', 'href');
    expect(csvHref).toBe(`/api/v1/units/${PROVINCE}/report?period=${PERIOD}&format=csv`);
    const csv = await fetch(dashUrl + csvHref!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    // the report's own headers come through the proxy too (black-box round 10: x-report-cutoff was dropped)
    for (const h of ['x-report-cutoff', 'x-last-event-at']) expect([h, csv.headers.get(h)]).toEqual([h, expect.any(String)]);
    const csvText = await csv.text();
    expect(csvText).toContain(communeA!.code);
    // the report's in progress in time / overdue of the province = the headline gauges shown above
    // (the last three columns say when the figures were taken: cut-off, last event, lag)
    expect(csvText.split('\r\n')[1]!.split(',').slice(-5, -3)).toEqual(['0', '2']);
    const xlsx = await fetch(dashUrl + (await page.getAttribute('#download-xlsx', 'href'))!);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await xlsx.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    // drill down to commune A with the keyboard, then to its one-stop unit
    await page.locator(`#children button[data-unit="${communeA!.code}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => new URL(location.href).searchParams.get('unit') === c, communeA!.code);
    // the pressed row is gone with the re-render: focus continues from the new unit's heading, not the page's top
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('unit-heading');
    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '3');
    expect(await text('#breadcrumb')).toContain('Thành phố Hà Nội');
    await page.locator(`#children button[data-unit="${unitA}"]`).waitFor();
    expect(await page.locator(`#children button[data-unit="${unitA}"]`).innerText()).toBe(`Bộ phận Một cửa ${communeA!.name}`);

    await page.screenshot({ path: '/tmp/dashboard-commune.png', fullPage: true });
  });

  it('should update the figures live over SSE without a reload when a new dossier is received', async () => {
    await page.goto(`${dashUrl}/?unit=${PROVINCE}&period=${PERIOD}&lang=vi`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    await page.waitForSelector('#live-status[data-state="open"]');
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    expect(await text('#indicators [data-metric="received"]')).toBe('5');

    await produce(dossierEvents({ unit: unitB, seq: 2, channel: 'ONLINE', receivedAt: '2025-11-15T09:00:00+07:00', dueAt: '2025-11-28T17:00:00+07:00' }));

    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '6', undefined, { timeout: 30_000 });
    expect(await text('#indicators [data-metric="receivedOnline"]')).toBe('4');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(Number(await page.getAttribute('body', 'data-live-updates'))).toBeGreaterThanOrEqual(1);
    await page.waitForFunction((c) => document.querySelector(`#children tr[data-unit="${c}"] [data-metric="received"]`)?.textContent === '3', communeB!.code);
    await expect(statsCount(PROVINCE, 'received')).resolves.toBe(6);

    // ranking and gauges (after the re-fetches): B now has the most overdue dossiers in progress → first row, rank 1.
    // One re-fetch's three requests can straddle a commit, and the service may answer gauges up to 5 s old while it
    // refreshes them; the settle re-fetches (1.5 s and 6.5 s after the last live change) converge on the committed state.
    const settled = { timeout: 20_000 };
    await page.waitForFunction((c) => document.querySelector(`#children tr[data-unit="${c}"] [data-metric="inProgressOverdue"]`)?.textContent === '2', communeB!.code, settled);
    await page.waitForFunction((c) => document.querySelector('#children tbody tr')?.getAttribute('data-unit') === c, communeB!.code, settled);
    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="inProgressOverdue"]')?.textContent === '3', undefined, settled);
    expect(await page.locator('#children tbody tr').first().locator('td').first().innerText()).toBe('1');
    expect(await page.getAttribute('#announcer', 'aria-live')).toBe('polite');

    await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });
  });

  it('should switch the period between year, quarter and day and keep the URL in sync', async () => {
    await page.goto(`${dashUrl}/?unit=${PROVINCE}&period=${PERIOD}&lang=vi`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]');
    const received = () => page.locator('#indicators [data-metric="received"]').innerText();
    const periodInUrl = () => page.evaluate(() => new URL(location.href).searchParams.get('period'));

    await page.selectOption('#granularity', 'Y');
    await page.fill('#period-year', '2025');
    await page.locator('#period-year').dispatchEvent('change');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('period') === 'Y2025');
    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '6');
    expect(await text('#unit-heading')).toContain('năm 2025');
    expect(await page.getAttribute('#download-csv', 'href')).toContain('period=Y2025');

    await page.selectOption('#granularity', 'Q');
    await page.selectOption('#period-quarter', '4');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('period') === 'Q2025-4');
    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '6');
    expect(await text('#unit-heading')).toContain('quý 4/2025');

    await page.selectOption('#granularity', 'D');
    await page.fill('#period-day', '2025-11-03');
    await page.locator('#period-day').dispatchEvent('change');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('period') === 'D2025-11-03');
    await page.waitForFunction(() => document.querySelector('#indicators [data-metric="received"]')?.textContent === '1');
    expect(await periodInUrl()).toBe('D2025-11-03');
    expect(await received()).toBe('1');
    expect(await page.locator('[data-for="D"]').isVisible()).toBe(true);
    expect(await page.locator('[data-for="M"]').isVisible()).toBe(false);
  });

  it('should tell the operator (role=alert) when the statistics service is unreachable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const config = loadDashboardConfig({ STATISTICS_URL: `http://127.0.0.1:${deadPort}`, DASHBOARD_PORT: '0' });
    const down = createDashboardServer({ config, unitsJson: '{"units":{}}' });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
      await page.goto(`${url}/?unit=VN&period=${PERIOD}&lang=vi`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('body[data-loaded]');
      await page.locator('#error[role="alert"]').waitFor({ state: 'visible' });
      // the page's own Vietnamese message; the proxy's (English) 502 detail is only secondary text (title)
      expect(await text('#error')).toBe('Không tải được số liệu: Dịch vụ thống kê tạm thời không phản hồi; vui lòng thử lại sau.');
      expect(await page.getAttribute('#error', 'title')).toContain('HTTP 502');
      await page.waitForSelector('#live-status[data-state="closed"]');
      expect(await text('#live-status')).toContain('mất kết nối');
    } finally {
      down.closeAllConnections();
      await new Promise<void>((resolve) => down.close(() => resolve()));
    }
  });
});
