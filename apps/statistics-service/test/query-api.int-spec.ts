import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { openAndMigrate, pendingSchemaChanges, postgresDataSourceOptions } from '@onestop/persistence';
import { getUnitDirectory, toVnDate, toVnIso } from '@onestop/domain';
import { createTestDatabase, createTestTopics, createTopicsAndWait, eventually, uniqueName, type TestDatabase } from '@onestop/testing';
import { createStatisticsApp } from '../src/bootstrap';
import { CELL_COLUMNS } from '../src/ingest/cell-metrics';
import { STATISTICS_ENTITIES, STATISTICS_MIGRATIONS, STATISTICS_SCHEMA } from '../src/persistence';
import { JsonLogger } from '@onestop/observability';
import { chainOf, generateDossiers, interleave, oneStopUnits, type GeneratedEvent } from './support/event-generator';
import { diff, isolatedConfig, pgCounters, produce, recount, redisCounters, storedOffsetTotal, sumOfMonths, testKafkaClient, topicEnd } from './support/harness';
import { startPrivateRedis } from './support/private-redis';

describe('Statistics query API, live feed and Redis loss', () => {
  const kafka = testKafkaClient();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let topic: string;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let app: NestFastifyApplication;
  let base: string;
  let events: GeneratedEvent[];
  const prefix = `${uniqueName('api')}:`;
  const units = oneStopUnits(['01', '79'], 3);
  /** Statistics ids of the roll-up nodes (GSO codes): commune `00004`, province `01`. */
  const [, commune, hanoi] = chainOf(units[0]!) as [string, string, string];

  beforeAll(async () => {
    db = await createTestDatabase('stats_api');
    topics = await createTestTopics(['stats.api'], 3);
    topic = topics.names[0]!;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await admin.disconnect();
    redis = await startPrivateRedis();
    events = interleave(generateDossiers({ dossiers: 400, units, seed: 21 }), 2);
    await produce(kafka, topic, events.slice(0, 900));
    const config = isolatedConfig({ topic, databaseUrl: db.url, prefix, redisUrl: redis.url });
    app = await createStatisticsApp(config, new JsonLogger('statistics-service', 'error'));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    const end = await topicEnd(kafka, topic);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, 'initial catch-up', { timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await topics?.delete().catch(() => undefined);
    await db?.drop();
  });

  const get = async (path: string) => {
    const r = await fetch(base + path);
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  };

  it('should have no drift between the entities and the migrations', async () => {
    const ds = await openAndMigrate(postgresDataSourceOptions({ url: db.url, schema: STATISTICS_SCHEMA, entities: STATISTICS_ENTITIES, migrations: STATISTICS_MIGRATIONS, applicationName: 'drift' }));
    try {
      // runs always (not a skipped test): pendingSchemaChanges lists migrations not yet applied; none expected
      await expect(pendingSchemaChanges(ds)).resolves.toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it("should serve a province's indicators equal to the recount, with rates, gauges and freshness", async () => {
    const oracle = await recount(kafka, topic);
    const r = await get(`/v1/units/${hanoi}/indicators?period=M2025-11`);
    expect(r.status).toBe(200);
    const { data, freshness } = r.body as { data: { counts: Record<string, number>; rates: Record<string, number | null>; gauges: Record<string, number> }; freshness: Record<string, unknown> };
    for (const m of ['received', 'receivedOnline', 'resolved', 'resolvedLate']) expect(data.counts[m] ?? 0).toBe(oracle.counters.get(`${hanoi}|M2025-11|*|${m}`) ?? 0);
    expect(data.counts['received']).toBeGreaterThan(0);
    expect(data.rates['onlineRate']).toBeCloseTo((data.counts['receivedOnline'] ?? 0) / (data.counts['received'] ?? 1), 10);
    expect(data.gauges['inProgress']).toBe(data.gauges['inProgressInTime']! + data.gauges['inProgressOverdue']!);
    expect(freshness).toMatchObject({ source: 'redis', consumerLag: 0 });
    expect(typeof freshness['lastEventAt']).toBe('string');
    expect(Date.parse(String(freshness['asOf'])) - Date.parse(String(freshness['consumerLagAsOf']))).toBeLessThan(5000);
  });

  it('should serve the P:/S: dimensions (also spelled procedure:/sector:) equal to the recount, and refuse them per day', async () => {
    const oracle = await recount(kafka, topic);
    const short = await get(`/v1/units/${hanoi}/indicators?period=Q2025-4&dimension=P:1.000948`);
    const long = await get(`/v1/units/${hanoi}/indicators?period=Q2025-4&dimension=procedure:1.000948`);
    expect(short.status).toBe(200);
    const counts = (short.body as { data: { dimension: string; counts: Record<string, number> } }).data;
    expect(counts.dimension).toBe('P:1.000948');
    expect(counts.counts['received'] ?? 0).toBe(sumOfMonths(oracle.counters, `${hanoi}|Q2025-4|P:1.000948|received`));
    expect(counts.counts['received']).toBeGreaterThan(0);
    expect((long.body as { data: unknown }).data).toEqual((short.body as { data: unknown }).data);
    const sector = await get(`/v1/units/${hanoi}/indicators?period=Y2025&dimension=sector:G09-TP01`);
    expect((sector.body as { data: { counts: Record<string, number> } }).data.counts['received'] ?? 0).toBe(sumOfMonths(oracle.counters, `${hanoi}|Y2025|S:G09-TP01|received`));
    const daily = await get(`/v1/units/${hanoi}/indicators?period=D2025-11-03&dimension=P:1.000948`);
    expect(daily.status).toBe(400);
    expect((daily.body as { errors: { field: string }[] }).errors[0]!.field).toBe('dimension');
  });

  it('should break a unit down by children, rank them and give a daily time series', async () => {
    const children = await get(`/v1/units/${hanoi}/children?period=M2025-11`);
    expect(children.status).toBe(200);
    const rows = (children.body as { data: { unitId: string; counts: Record<string, number> }[] }).data;
    expect(rows.map((x) => x.unitId)).toContain(commune);
    const total = (await get(`/v1/units/${hanoi}/indicators?period=M2025-11`)).body as { data: { counts: Record<string, number> } };
    expect(rows.reduce((s, x) => s + (x.counts['received'] ?? 0), 0)).toBe(total.data.counts['received']);

    const ranking = await get('/v1/units/VN/rankings?period=M2025-11&metric=received&limit=2');
    expect(ranking.status).toBe(200);
    const ranked = (ranking.body as { data: { ranking: { rank: number; unitId: string; value: number }[] } }).data.ranking;
    expect(ranked).toHaveLength(2);
    expect(ranked[0]!.value).toBeGreaterThanOrEqual(ranked[1]!.value);

    const ts = await get(`/v1/units/${commune}/timeseries?from=2025-11-01&to=2025-11-30`);
    expect(ts.status).toBe(200);
    const points = (ts.body as { data: { points: { day: string; counts: Record<string, number> }[] } }).data.points;
    expect(points).toHaveLength(30);
    const month = (await get(`/v1/units/${commune}/indicators?period=M2025-11`)).body as { data: { counts: Record<string, number> } };
    expect(points.reduce((s, p) => s + (p.counts['received'] ?? 0), 0)).toBe(month.data.counts['received']);
  });

  it('should list every child in force, with zeros for those without dossiers, in children, rankings and the report', async () => {
    type Kid = { unitId: string; counts: Record<string, number> };
    const kids = ((await get(`/v1/units/${hanoi}/children?period=M2025-11`)).body as { data: Kid[] }).data;
    const counted = new Set(units.filter((u) => u.startsWith(`${hanoi}.`)).map((u) => chainOf(u)[1]!));
    const quiet = kids.filter((k) => !counted.has(k.unitId) && /^\d{5}$/.test(k.unitId));
    // Hà Nội has 126 communes since 2025-07-01; the suite's dossiers reach 3 of them
    expect(kids.filter((k) => /^\d{5}$/.test(k.unitId)).length).toBeGreaterThan(100);
    expect(quiet.length).toBeGreaterThan(90);
    expect(quiet.every((k) => (k.counts['received'] ?? 0) === 0)).toBe(true);
    expect(kids.map((k) => k.unitId)).toEqual([...kids.map((k) => k.unitId)].sort());
    const provinces = ((await get('/v1/units/VN/children?period=M2025-11')).body as { data: Kid[] }).data.map((k) => k.unitId);
    expect(provinces).toEqual(expect.arrayContaining(['01', '79', '48', '92']));
    expect(provinces.length).toBeGreaterThanOrEqual(34);
    const report = ((await get(`/v1/units/${hanoi}/report?period=M2025-11`)).body as { data: { rows: { unitId: string; unitName: string | null; received: number }[] } }).data.rows;
    const row = report.find((r) => r.unitId === quiet[0]!.unitId);
    expect(row).toMatchObject({ received: 0, unitName: expect.stringMatching(/^(Phường|Xã)/) });
    const ranked = ((await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=received&order=asc&limit=500`)).body as { data: { ranking: { unitId: string; value: number }[] } }).data.ranking;
    expect(ranked.find((r) => r.unitId === quiet[0]!.unitId)).toMatchObject({ value: 0 });
  });

  it("should store no commune rows yet answer for a commune exactly as for its one-stop unit, ignoring a pre-ADR-0403 database's commune rows", async () => {
    const oracle = await recount(kafka, topic);
    const oneStop = units[0]!;
    const pg = await pgCounters(db.url);
    expect([...pg.keys()].filter((k) => k.startsWith(`${commune}|`))).toEqual([]);
    expect([...(await redisCounters(redis.url, prefix)).counters.keys()].filter((k) => k.startsWith(`${commune}|`))).toEqual([]);
    expect(diff(pg, oracle.counters)).toEqual([]);
    expect(oracle.logical.get(`${commune}|M2025-11|*|received`)).toBeGreaterThan(0);
    // a database written by the previous code also holds commune rows; they are never read (planted with wrong values)
    const c = new Client({ connectionString: db.url });
    const r = createClient({ url: redis.url });
    await c.connect();
    await r.connect();
    try {
      await c.query(`INSERT INTO statistics.unit_cell(unit_id, period_key, dimension, version, touched, ${CELL_COLUMNS.join(', ')})
                     SELECT $2, period_key, dimension, version, touched, ${CELL_COLUMNS.map((x) => `${x} * 10 + 1`).join(', ')}
                       FROM statistics.unit_cell WHERE unit_id = $1`, [oneStop, commune]);
      await r.hSet(`${prefix}c:${commune}:M2025-11:*`, { received: '99999', 'received#v': '1' });
      const body = async (path: string) => ((await get(path)).body as { data: unknown }).data;
      type Ind = { unitId: string; counts: Record<string, number>; gauges: Record<string, number> };
      const want = (period: string, dim: string) => {
        const out: Record<string, number> = {};
        for (const [k, v] of oracle.logical) {
          const [u, p, d, m] = k.split('|') as [string, string, string, string];
          if (u === commune && p === period && d === dim) out[m] = v;
        }
        return out;
      };
      const ind = (await body(`/v1/units/${commune}/indicators?period=M2025-11`)) as Ind;
      const own = (await body(`/v1/units/${oneStop}/indicators?period=M2025-11`)) as Ind;
      expect(ind.unitId).toBe(commune);
      expect(ind.counts).toEqual(want('M2025-11', '*'));
      expect(ind.counts).toEqual(own.counts);
      expect(ind.gauges).toEqual(own.gauges);
      const proc = (await body(`/v1/units/${commune}/indicators?period=Q2025-4&dimension=P:1.000948`)) as Ind;
      expect(proc.counts['received'] ?? 0).toBe(sumOfMonths(oracle.logical, `${commune}|Q2025-4|P:1.000948|received`));
      const kids = (await body(`/v1/units/${hanoi}/children?period=M2025-11`)) as Ind[];
      expect(kids.find((k) => k.unitId === commune)?.counts).toEqual(want('M2025-11', '*'));
      expect(kids.map((k) => k.unitId)).not.toContain(oneStop);
      const below = (await body(`/v1/units/${commune}/children?period=M2025-11`)) as Ind[];
      expect(below.map((k) => [k.unitId, k.counts])).toEqual([[oneStop, want('M2025-11', '*')]]);
      const ranked = ((await body(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=received&limit=50`)) as { ranking: { unitId: string; value: number }[] }).ranking;
      expect(ranked.find((x) => x.unitId === commune)?.value).toBe(want('M2025-11', '*')['received']);
      const ts = (await body(`/v1/units/${commune}/timeseries?from=2025-11-01&to=2025-11-30`)) as { points: { day: string; counts: Record<string, number> }[] };
      for (const p of ts.points) expect(p.counts).toEqual(want(`D${p.day}`, '*'));
      const report = (await body(`/v1/units/${commune}/report?period=M2025-11`)) as { rows: Record<string, number | string>[] };
      expect(report.rows.map((x) => x['unitId'])).toEqual([commune, oneStop]);
      expect(report.rows[0]!['received']).toBe(want('M2025-11', '*')['received']);
      // the same numbers; each row named by the unit directory (the commune and its one-stop unit differ)
      expect({ ...report.rows[0], unitId: oneStop, unitName: report.rows[1]!['unitName'] }).toEqual(report.rows[1]);
      expect(report.rows[0]!['unitName']).toBe(getUnitDirectory().adminUnits.findByCode(commune, '2025-11-30')?.name);
      expect(report.rows[1]!['unitName']).toBe(getUnitDirectory().oneStopUnits.get(oneStop)?.name);
    } finally {
      await c.query(`DELETE FROM statistics.unit_cell WHERE unit_id = $1`, [commune]);
      await r.del(`${prefix}c:${commune}:M2025-11:*`);
      await c.end();
      await r.close();
    }
  });

  it('should export the periodic report as JSON, CSV and XLSX with the same numbers', async () => {
    const json = await get(`/v1/units/${hanoi}/report?period=M2025-11`);
    expect(json.status).toBe(200);
    const rows = (json.body as { data: { rows: Record<string, number | string>[] } }).data.rows;
    const hanoiName = getUnitDirectory().adminUnits.findByCode(hanoi, '2025-11-30')?.name;
    expect(hanoiName).toMatch(/Hà Nội/);
    expect(rows[0]).toMatchObject({ unitId: hanoi, unitName: hanoiName });
    expect(Number(rows[0]!['received'])).toBe(Number(rows[0]!['receivedOnline']) + Number(rows[0]!['receivedDirectOrPostal']));
    const csv = await get(`/v1/units/${hanoi}/report?period=M2025-11&format=csv`);
    expect(csv.type).toContain('text/csv');
    const line = (csv.body as string).split('\r\n')[1]!.split(',');
    expect(line[0]).toBe(hanoi);
    expect(line[1]).toBe(hanoiName);
    expect(Number(line[5])).toBe(Number(rows[0]!['received']));
    const x = await fetch(base + `/v1/units/${hanoi}/report?period=M2025-11&format=xlsx`);
    expect(x.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(2).getCell(2).value).toBe(hanoiName);
    expect(wb.worksheets[0]!.getRow(2).getCell(6).value).toBe(Number(rows[0]!['received']));
  });

  it('should say inside a downloaded CSV or XLSX when its figures were taken (cut-off, last event, lag)', async () => {
    // a saved file has no HTTP headers: the cut-off and freshness used to travel only as headers (black-box round 7)
    const json = (await get(`/v1/units/${hanoi}/report?period=M2025-11`)).body as { data: { cutoff: string }; freshness: { lastEventAt: string | null } };
    const csv = await fetch(base + `/v1/units/${hanoi}/report?period=M2025-11&format=csv`);
    expect(csv.headers.get('x-report-cutoff')).toBe(json.data.cutoff);
    const [head, ...rows] = (await csv.text()).split('\r\n').filter(Boolean);
    expect(head!.split(',').slice(-3).map((t) => t.split(' (')[0])).toEqual(['In progress as of', 'Last event applied', 'Events not yet applied']);
    // inside the file in Vietnam time (+07:00): a bare `Z` time was read as local time (black-box round 8)
    const suffix = `,${toVnIso(Date.parse(json.data.cutoff) - 1)},${toVnIso(json.freshness.lastEventAt!)},`;
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => !r.slice(0, r.lastIndexOf(',') + 1).endsWith(suffix))).toEqual([]);
    const x = await fetch(base + `/v1/units/${hanoi}/report?period=M2025-11&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ArrayBuffer);
    const lines: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => lines.push([row.getCell(1).value, row.getCell(2).value]));
    expect(lines).toContainEqual([expect.stringMatching(/^In progress as of/), toVnIso(Date.parse(json.data.cutoff) - 1)]);
    expect(lines).toContainEqual([expect.stringMatching(/^Last event applied/), toVnIso(json.freshness.lastEventAt!)]);
  });

  it('should say in a report of a unit no longer in force, in JSON, CSV and XLSX, which unit counts its dossiers', async () => {
    // black-box round 8: the old province 06 reported a row of zeros for Y2024 with no word (indicators said countedUnder)
    const indicators = (await get('/v1/units/00013/indicators?period=Y2024')).body as { data: { countedUnder: { unitId: string; name: string } } };
    const under = indicators.data.countedUnder;
    expect(under.unitId).toBe('00004');
    const json = (await get('/v1/units/00013/report?period=Y2024')).body as { data: { countedUnder: unknown; rows: { unitId: string }[] } };
    expect(json.data.countedUnder).toEqual(under);
    expect(json.data.rows[0]!.unitId).toBe('00013');
    const [head, first] = (await (await fetch(base + '/v1/units/00013/report?period=Y2024&format=csv')).text()).split('\r\n');
    expect(head).toMatch(/,"Counted under[^"]*"$/); // the last column
    expect(first!.endsWith(`,${under.unitId} ${under.name}`)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await (await fetch(base + '/v1/units/00013/report?period=Y2024&format=xlsx')).arrayBuffer()) as unknown as ArrayBuffer);
    const lines: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => lines.push([row.getCell(1).value, row.getCell(2).value]));
    expect(lines).toContainEqual([expect.stringMatching(/^Counted under/), `${under.unitId} ${under.name}`]);
    // an ordinary unit's report has no such column
    expect((await (await fetch(base + `/v1/units/${hanoi}/report?period=Y2024&format=csv`)).text()).split('\r\n')[0]).not.toContain('Counted under');
  });

  it('should name the rows of a pre-2025 period as on the 2025 map they are counted on, not after old units that held the codes', async () => {
    const dir = getUnitDirectory().adminUnits;
    // 00004 was Phường Trúc Bạch until 2025-06-30 and is Phường Ba Đình since; 00008 Liễu Giai → Ngọc Hà
    expect(dir.findByCode('00004', '2025-03-31')?.name).not.toBe(dir.findByCode('00004', '2025-07-01')?.name);
    for (const period of ['M2025-03', 'M2025-06']) {
      const rows = ((await get(`/v1/units/${hanoi}/report?period=${period}`)).body as { data: { rows: { unitId: string; unitName: string | null }[] } }).data.rows;
      for (const code of ['00004', '00008']) {
        expect([period, rows.find((r) => r.unitId === code)?.unitName]).toEqual([period, dir.findByCode(code, '2025-07-01')?.name]);
      }
    }
    // a unit that ended in 2025 answers zeros, and says where its dossiers are counted (they never are under its id)
    const old = ((await get('/v1/units/00013/indicators?period=M2025-03')).body as { data: { counts: object; countedUnder?: object } }).data;
    expect(old).toMatchObject({ counts: {}, countedUnder: { unitId: '00004', name: dir.findByCode('00004', '2025-07-01')?.name } });
    const current = ((await get('/v1/units/00004/indicators?period=M2025-03')).body as { data: object }).data;
    expect(current).not.toHaveProperty('countedUnder');
  });

  it('should answer bad queries with application/problem+json and serve /docs and /metrics', async () => {
    const bad = await get(`/v1/units/${hanoi}/indicators?period=M2025-13`);
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect((bad.body as { errors: { field: string }[] }).errors[0]!.field).toBe('period');
    const docs = await get('/docs-json');
    expect(docs.status).toBe(200);
    expect(JSON.stringify(docs.body)).toContain('/v1/units/{unitId}/indicators');
    const first = await get(`/v1/units/${hanoi}/indicators?period=Q2025-4`);
    const again = await get(`/v1/units/${hanoi}/indicators?period=Q2025-4`); // its months now come from memory (ADR 0406)
    expect((again.body as { data: unknown }).data).toEqual((first.body as { data: unknown }).data);
    const metrics = await get('/metrics');
    expect(metrics.body as string).toContain('statistics_events_applied_total');
    expect(metrics.body as string).toContain('statistics_batch_duration_seconds');
    expect(Number(/^statistics_query_mirror_lookups_total\{result="hit"[^}]*\} (\d+)$/m.exec(metrics.body as string)?.[1])).toBeGreaterThan(0);
  });

  it('should refuse a ranking limit that only looks like a number with a 400 naming limit, and read a year 00xx as itself', async () => {
    for (const [query, field] of [
      ['limit=1e1', 'limit'],
      ['limit=%2010', 'limit'],
      ['limit=0x0a', 'limit'],
      ['limit=10.0', 'limit'],
      ['limit=2&limit=3', 'limit'],
    ] as const) {
      const r = await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=received&${query}`);
      expect([query, r.status, (r.body as { errors: { field: string }[] }).errors?.[0]?.field]).toEqual([query, 400, field]);
      expect(r.type).toContain('application/problem+json');
    }
    expect((await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=received&limit=0010`)).status).toBe(200);
    // the years 0–99 used to be read as 1900–1999 (Date.UTC): Y0000 answered gauges as of 1900-12-31
    for (const [period, asOf] of [['Y0000', '0000-12-31'], ['Q0099-4', '0099-12-31'], ['M0001-01', '0001-01-31']] as const) {
      const r = await get(`/v1/units/${hanoi}/indicators?period=${period}`);
      expect([period, r.status, String((r.body as { data?: { gaugesAsOf?: string } }).data?.gaugesAsOf).slice(0, 10)]).toEqual([period, 200, asOf]);
    }
  });

  it('should refuse a ranking by a metric it does not know (constructor and toString included) with a 400 naming metric and listing the allowed names', async () => {
    for (const metric of ['nope', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=${metric}`);
      expect([metric, r.status]).toEqual([metric, 400]);
      expect(r.type).toContain('application/problem+json');
      const body = r.body as { errors: { field: string; message: string }[]; allowedMetrics: string[] };
      expect(body.errors[0]!.field).toBe('metric');
      expect(body.errors[0]!.message).toContain('onTimeRate');
      expect(body.allowedMetrics).toEqual(expect.arrayContaining(['received', 'resolvedLate', 'onTimeRate', 'onlineRate', 'satisfaction', 'inProgressOverdue', 'dueSoon']));
      expect(body.allowedMetrics).not.toContain(metric);
    }
    for (const metric of ['received', 'onTimeRate', 'inProgressOverdue']) expect((await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=${metric}`)).status).toBe(200);
    const docs = (await get('/docs-json')).body as { paths: Record<string, { get: { parameters: { name: string; schema?: { enum?: string[] } }[] } }> };
    const metricParam = docs.paths['/v1/units/{unitId}/rankings']!.get.parameters.find((x) => x.name === 'metric');
    expect(metricParam?.schema?.enum).toEqual(expect.arrayContaining(['received', 'onTimeRate', 'inProgressOverdue']));
  });

  it('should not rank a child whose rate is undefined (listing it as unranked) and keep every ranked rate within 0..1', async () => {
    type Child = { unitId: string; rates: Record<string, number | null> };
    type Ranked = { ranking: { rank: number; unitId: string; value: number | null }[]; unranked: string[] };
    const kidsOf = async (period: string) => ((await get(`/v1/units/${hanoi}/children?period=${period}`)).body as { data: Child[] }).data;
    // a month without data: no child has an on-time rate, so none is ranked (was: every child ranked first with -1)
    const empty = await get(`/v1/units/${hanoi}/rankings?period=M2026-11&metric=onTimeRate&order=asc&limit=3`);
    expect(empty.status).toBe(200);
    expect((empty.body as { data: Ranked }).data.ranking).toEqual([]);
    expect((empty.body as { data: Ranked }).data.unranked).toEqual((await kidsOf('M2026-11')).map((k) => k.unitId));
    // a day on which some children resolved dossiers and others did not
    let mixed: { period: string; kids: Child[] } | undefined;
    for (let d = 1; d <= 30 && !mixed; d++) {
      const period = `D2025-11-${String(d).padStart(2, '0')}`;
      const kids = await kidsOf(period);
      if (kids.some((k) => k.rates['onTimeRate'] === null) && kids.some((k) => k.rates['onTimeRate'] !== null)) mixed = { period, kids };
    }
    expect(mixed).toBeDefined();
    for (const order of ['asc', 'desc'] as const) {
      const r = await get(`/v1/units/${hanoi}/rankings?period=${mixed!.period}&metric=onTimeRate&order=${order}&limit=50`);
      const { ranking, unranked } = (r.body as { data: Ranked }).data;
      const withRate = mixed!.kids.filter((k) => k.rates['onTimeRate'] !== null);
      expect(ranking.map((x) => x.unitId).sort()).toEqual(withRate.map((k) => k.unitId).sort());
      expect(unranked).toEqual(mixed!.kids.filter((k) => k.rates['onTimeRate'] === null).map((k) => k.unitId));
      // competition ranking: equal rates share a rank (1, 1, 3), ADR 0410
      expect(ranking.map((x) => x.rank)).toEqual(ranking.map((x) => ranking.findIndex((y) => y.value === x.value) + 1));
      for (const x of ranking) {
        expect(x.value).toBeGreaterThanOrEqual(0);
        expect(x.value).toBeLessThanOrEqual(1);
        expect(x.value).toBe(mixed!.kids.find((k) => k.unitId === x.unitId)!.rates['onTimeRate']);
      }
      const values = ranking.map((x) => x.value!);
      expect(values).toEqual([...values].sort((a, b) => (order === 'asc' ? a - b : b - a)));
    }
  });

  it('should answer 404 problem+json naming unitId on every unit route for a unit not in the unit directory, and answer for known ones', async () => {
    const routes = (u: string) => [
      `/v1/units/${u}/indicators?period=M2025-11`,
      `/v1/units/${u}/children?period=M2025-11`,
      `/v1/units/${u}/rankings?period=M2025-11&metric=received`,
      `/v1/units/${u}/timeseries?from=2025-11-01&to=2025-11-30`,
      `/v1/units/${u}/report?period=M2025-11`,
      `/v1/units/${u}/report?period=M2025-11&format=csv`,
      `/v1/units/${u}/report?period=M2025-11&format=xlsx`,
      `/v1/units/${u}/live?period=M2025-11`,
    ];
    for (const unit of ['ZZ', '01.99999', '99999', '01.00004.X']) {
      for (const path of routes(unit)) {
        const r = await get(path);
        expect([path, r.status]).toEqual([path, 404]);
        expect(r.type).toContain('application/problem+json');
        expect((r.body as { errors: { field: string }[] }).errors[0]!.field).toBe('unitId');
      }
    }
    // the nation, a province, a commune, a one-stop unit, a pre-2025 province the domain knows (Hà Giang, 02)
    for (const unit of ['VN', hanoi, commune, units[0]!, '01.TTPV', '02', '00004@pre2025']) {
      for (const path of routes(unit).filter((p) => !p.includes('/live'))) expect([path, (await get(path)).status]).toEqual([path, 200]);
      const ctrl = new AbortController();
      const live = await fetch(`${base}/v1/units/${unit}/live`, { signal: ctrl.signal });
      expect([unit, live.status, live.headers.get('content-type')]).toEqual([unit, 200, expect.stringContaining('text/event-stream')]);
      ctrl.abort();
    }
    // a receiving unit the directory does not know is counted under itself and VN (a unit_edge VN → it): still answered
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO statistics.unit_edge(parent_id, child_id) VALUES ('VN', '000.00.15.H56')`);
      expect((await get('/v1/units/000.00.15.H56/indicators?period=M2025-11')).status).toBe(200);
    } finally {
      await c.query(`DELETE FROM statistics.unit_edge WHERE child_id = '000.00.15.H56'`);
      await c.end();
    }
  });

  it('should answer the live feed of an unknown unit with a 404 problem+json even on its first lookup, and a bad period or a procedure / sector dimension with a 400, never a 200 event stream', async () => {
    // units never asked for before: the lookup has to ask Postgres (no cached answer), which used to take longer than
    // Nest waits before committing an SSE route's 200 headers, so the 404 became an `event: error` inside a 200 stream
    for (const unit of ['QQ', '79.99998', '88888', '01.TTPV.X']) {
      const ctrl = new AbortController();
      const r = await fetch(`${base}/v1/units/${unit}/live`, { signal: ctrl.signal });
      const type = r.headers.get('content-type') ?? '';
      const body = type.includes('json') ? ((await r.json()) as { errors: { field: string }[] }) : undefined;
      ctrl.abort();
      expect([unit, r.status, type]).toEqual([unit, 404, expect.stringContaining('application/problem+json')]);
      expect(body?.errors[0]?.field).toBe('unitId');
    }
    const bad = await get(`/v1/units/${hanoi}/live?period=M2025-13`);
    expect([bad.status, bad.type]).toEqual([400, expect.stringContaining('application/problem+json')]);
    expect((bad.body as { errors: { field: string }[] }).errors[0]!.field).toBe('period');
    // the feed carries whole-unit counters: a procedure / sector (or a malformed dimension) is refused, never answered
    // with the unit's changes as if they were the procedure's
    for (const dim of ['P:1.000948', 'S:G09-TP01', 'X:1']) {
      const r = await get(`/v1/units/${hanoi}/live?dimension=${dim}`);
      expect([dim, r.status, r.type]).toEqual([dim, 400, expect.stringContaining('application/problem+json')]);
      expect((r.body as { errors: { field: string }[] }).errors[0]!.field).toBe('dimension');
    }
    const whole = new AbortController();
    const all = await fetch(`${base}/v1/units/${hanoi}/live?dimension=*`, { signal: whole.signal });
    expect([all.status, all.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/event-stream')]);
    whole.abort();
  });

  type Gauges = { inProgress: number; inProgressInTime: number; inProgressOverdue: number; dueSoon: number; paused: number | null };
  type Ind = { unitId: string; counts: Record<string, number>; gauges: Gauges; gaugesAsOf: string };
  type Report = { dimension: string; cutoff: string; rows: { unitId: string; carriedOver: number; received: number; inProgressInTime: number; inProgressOverdue: number }[] };

  it("should give a past period's in-progress gauges as of its end, equal to the report (indicators, children, rankings), and the live ones for the current period", async () => {
    const ind = (await get(`/v1/units/${hanoi}/indicators?period=M2025-11`)).body as { data: Ind };
    const report = ((await get(`/v1/units/${hanoi}/report?period=M2025-11`)).body as { data: Report }).data;
    const end = '2025-11-30T17:00:00.000Z'; // 1 December 2025 00:00 in Vietnam
    expect(report.cutoff).toBe(end);
    expect(ind.data.gaugesAsOf).toBe(end);
    const row = report.rows[0]!;
    // at the end of November 2025 some dossiers were still within their deadline; by now every open one is overdue
    expect(row.inProgressInTime).toBeGreaterThan(0);
    expect(ind.data.gauges).toMatchObject({ inProgressInTime: row.inProgressInTime, inProgressOverdue: row.inProgressOverdue, inProgress: row.inProgressInTime + row.inProgressOverdue, paused: null });
    const kids = ((await get(`/v1/units/${hanoi}/children?period=M2025-11`)).body as { data: Ind[] }).data;
    for (const k of kids) {
      const r = report.rows.find((x) => x.unitId === k.unitId)!;
      expect([k.unitId, k.gaugesAsOf, k.gauges.inProgressInTime, k.gauges.inProgressOverdue]).toEqual([k.unitId, end, r.inProgressInTime, r.inProgressOverdue]);
    }
    const ranked = ((await get(`/v1/units/${hanoi}/rankings?period=M2025-11&metric=inProgressInTime&limit=50`)).body as { data: { gaugesAsOf: string; ranking: { unitId: string; value: number }[] } }).data;
    expect(ranked.gaugesAsOf).toBe(end);
    for (const x of ranked.ranking) expect([x.unitId, x.value]).toEqual([x.unitId, report.rows.find((r) => r.unitId === x.unitId)!.inProgressInTime]);
    // the same per procedure
    const proc = ((await get(`/v1/units/${hanoi}/indicators?period=M2025-11&dimension=P:1.000948`)).body as { data: Ind }).data;
    const procReport = ((await get(`/v1/units/${hanoi}/report?period=M2025-11&dimension=P:1.000948`)).body as { data: Report }).data;
    expect(proc.gauges).toMatchObject({ inProgressInTime: procReport.rows[0]!.inProgressInTime, inProgressOverdue: procReport.rows[0]!.inProgressOverdue });

    // the current month (Vietnam time, whatever the day the suite runs): live (as of now), the same as the report's
    // cut-off now. The two answers are two instants: read them again if a due date's day ended between them.
    const currentMonth = `M${toVnDate(Date.now()).slice(0, 7)}`;
    let before = 0;
    let live: Ind | undefined;
    let liveReport: Report | undefined;
    await eventually(async () => {
      before = Date.now();
      live = ((await get(`/v1/units/${hanoi}/indicators?period=${currentMonth}`)).body as { data: Ind }).data;
      liveReport = ((await get(`/v1/units/${hanoi}/report?period=${currentMonth}`)).body as { data: Report }).data;
      return live.gauges.inProgressOverdue === liveReport.rows[0]?.inProgressOverdue;
    }, 'indicators and report read within the same Vietnam day', { timeoutMs: 10_000 });
    if (live === undefined || liveReport === undefined) throw new Error('unreachable: eventually read both'); // type narrowing; fails, never skips (not a skipped test)
    expect(Math.abs(Date.parse(live.gaugesAsOf) - before)).toBeLessThan(6000);
    expect(live.gauges.inProgress).toBeGreaterThan(0);
    expect(typeof live.gauges.paused).toBe('number');
    expect(live.gauges).toMatchObject({ inProgressInTime: liveReport.rows[0]!.inProgressInTime, inProgressOverdue: liveReport.rows[0]!.inProgressOverdue });
    // a month long before any dossier: nothing was in progress at its end
    const old = ((await get(`/v1/units/${hanoi}/indicators?period=M2020-01`)).body as { data: Ind }).data;
    expect(old.gaugesAsOf).toBe('2020-01-31T17:00:00.000Z');
    expect(old.gauges).toEqual({ inProgress: 0, inProgressInTime: 0, inProgressOverdue: 0, dueSoon: 0, paused: null });
  });

  it('should report per procedure / sector (counters of that dimension, carried over and in progress of its dossiers) and refuse a malformed or daily dimension', async () => {
    const oracle = await recount(kafka, topic);
    const total = ((await get(`/v1/units/${hanoi}/report?period=M2025-12`)).body as { data: Report }).data;
    expect(total.dimension).toBe('*');
    expect(total.rows[0]!.carriedOver).toBeGreaterThan(0);
    const procedures = [...new Set([...oracle.counters.keys()].filter((k) => k.startsWith(`${hanoi}|M2025-`) && k.includes('|P:')).map((k) => k.split('|')[2]!))];
    expect(procedures.length).toBeGreaterThan(1);
    const sum = { carriedOver: 0, received: 0, inProgressInTime: 0, inProgressOverdue: 0 };
    for (const dim of procedures) {
      const r = await get(`/v1/units/${hanoi}/report?period=M2025-12&dimension=${encodeURIComponent(dim)}`);
      expect([dim, r.status]).toEqual([dim, 200]);
      const data = (r.body as { data: Report }).data;
      expect(data.dimension).toBe(dim);
      const row = data.rows[0]!;
      expect([dim, row.received]).toEqual([dim, oracle.counters.get(`${hanoi}|M2025-12|${dim}|received`) ?? 0]);
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += row[k];
    }
    // every dossier has one procedure: the procedures' rows add up to the unit's
    expect(sum).toEqual({ carriedOver: total.rows[0]!.carriedOver, received: total.rows[0]!.received, inProgressInTime: total.rows[0]!.inProgressInTime, inProgressOverdue: total.rows[0]!.inProgressOverdue });
    const one = ((await get(`/v1/units/${hanoi}/report?period=M2025-12&dimension=procedure:${procedures[0]!.slice(2)}`)).body as { data: Report }).data;
    expect(one.rows[0]!.carriedOver).toBeLessThan(total.rows[0]!.carriedOver);
    const sector = ((await get(`/v1/units/${hanoi}/report?period=Q2025-4&dimension=S:G09-TP01`)).body as { data: Report }).data;
    expect(sector.rows[0]!.received).toBe(sumOfMonths(oracle.counters, `${hanoi}|Q2025-4|S:G09-TP01|received`));
    const csv = await fetch(base + `/v1/units/${hanoi}/report?period=M2025-12&dimension=${encodeURIComponent(procedures[0]!)}&format=csv`);
    expect(csv.headers.get('content-disposition')).toContain(`report-${hanoi}-M2025-12-${procedures[0]!.replace(':', '_')}.csv`);
    for (const [q, field] of [['period=D2025-11-03&dimension=P:1.000948', 'dimension'], ['period=M2025-11&dimension=X:1', 'dimension']] as const) {
      const bad = await get(`/v1/units/${hanoi}/report?${q}`);
      expect([q, bad.status, bad.type.includes('application/problem+json')]).toEqual([q, 400, true]);
      expect((bad.body as { errors: { field: string }[] }).errors[0]!.field).toBe(field);
    }
  });

  it('should answer 404 problem+json naming dimension on every route for a procedure / sector neither in the catalogue nor counted, and answer for known or counted ones', async () => {
    const routes = (dim: string) => {
      const d = encodeURIComponent(dim);
      return [
        `/v1/units/${hanoi}/indicators?period=M2025-11&dimension=${d}`,
        `/v1/units/VN/indicators?period=Y2025&dimension=${d}`,
        `/v1/units/${hanoi}/children?period=Q2025-4&dimension=${d}`,
        `/v1/units/${hanoi}/rankings?period=M2025-11&metric=received&dimension=${d}`,
        `/v1/units/${hanoi}/report?period=M2025-11&dimension=${d}`,
        `/v1/units/${hanoi}/report?period=M2025-11&dimension=${d}&format=csv`,
        `/v1/units/${hanoi}/report?period=M2025-11&dimension=${d}&format=xlsx`,
      ];
    };
    // well-formed codes the catalogue does not have and no event ever carried: were answered 200 with zeros
    for (const dim of ['P:9.999999', 'procedure:9.999999.H38', 'S:G99-ZZ99', 'sector:G09-TP99']) {
      for (const path of routes(dim)) {
        const r = await get(path);
        expect([path, r.status, r.type.includes('application/problem+json')]).toEqual([path, 404, true]);
        expect((r.body as { errors: { field: string }[] }).errors[0]!.field).toBe('dimension');
      }
    }
    // an unknown unit is still named first
    expect(((await get('/v1/units/ZZ/indicators?period=M2025-11&dimension=P:9.999999')).body as { errors: { field: string }[] }).errors[0]!.field).toBe('unitId');
    // a daily series takes no procedure at all: 400 naming dimension, as before
    const daily = await get(`/v1/units/${hanoi}/timeseries?from=2025-11-01&to=2025-11-30&dimension=P:9.999999`);
    expect([daily.status, (daily.body as { errors: { field: string }[] }).errors[0]!.field]).toEqual([400, 'dimension']);
    // codes of the catalogue never counted here (national and localised forms) answer zeros; codes the service counted
    // that the catalogue does not hold (historical ones) answer their counts
    for (const dim of ['P:1.001193', 'P:1.001193.000.00.00.H56', 'S:G06-HT01', 'P:1.000948', 'S:G09-TP01']) {
      for (const path of routes(dim)) expect([path, (await get(path)).status]).toEqual([path, 200]);
    }
    const counted = (await get(`/v1/units/${hanoi}/indicators?period=Q2025-4&dimension=P:1.000948`)).body as { data: { counts: Record<string, number> } };
    expect(counted.data.counts['received']).toBeGreaterThan(0);
    // a ranking by a procedure ranks the children by that procedure's figures (the dimension used to be ignored)
    const byProc = ((await get(`/v1/units/${hanoi}/rankings?period=Q2025-4&metric=received&limit=1000&dimension=P:1.000948`)).body as { data: { dimension: string; ranking: { unitId: string; value: number }[] } }).data;
    const kids = ((await get(`/v1/units/${hanoi}/children?period=Q2025-4&dimension=P:1.000948`)).body as { data: { unitId: string; counts: Record<string, number> }[] }).data;
    expect(byProc.dimension).toBe('P:1.000948');
    for (const x of byProc.ranking) expect([x.unitId, x.value]).toEqual([x.unitId, kids.find((k) => k.unitId === x.unitId)?.counts['received'] ?? 0]);
    expect(byProc.ranking.reduce((s, x) => s + x.value, 0)).toBe(counted.data.counts['received']);
  });

  it('should document a 200 answer for every /v1/units route in OpenAPI, timeseries and live included', async () => {
    const docs = (await get('/docs-json')).body as { paths: Record<string, { get: { responses: Record<string, { description?: string; content?: Record<string, unknown> }> } }> };
    const routes = Object.keys(docs.paths).filter((x) => x.startsWith('/v1/units/'));
    expect(routes).toEqual(expect.arrayContaining(['/v1/units/{unitId}/timeseries', '/v1/units/{unitId}/live', '/v1/units/{unitId}/indicators']));
    for (const route of routes) expect([route, (docs.paths[route]!.get.responses['200']?.description ?? '').length > 20]).toEqual([route, true]);
    expect(docs.paths['/v1/units/{unitId}/live']!.get.responses['200']!.content).toHaveProperty(['text/event-stream']);
    expect(docs.paths['/v1/units/{unitId}/indicators']!.get.responses['200']!.description).toContain('gaugesAsOf');
  });

  it('should stream counter changes of a subtree over SSE', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/v1/units/${hanoi}/live?period=M2025-11`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    // a commune's subtree feed still names the commune (its counter rows are its one-stop unit's, ADR 0403)
    const ofCommune = await fetch(`${base}/v1/units/${commune}/live`, { signal: ctrl.signal });
    const communeReader = ofCommune.body!.getReader();
    let communeText = '';
    const communeDone = (async () => {
      const until = Date.now() + 15_000;
      while (!communeText.includes(`"unitId":"${commune}"`) && Date.now() < until) {
        const { value, done } = await communeReader.read().catch(() => ({ value: undefined, done: true }));
        if (done || !value) break;
        communeText += Buffer.from(value).toString('utf8');
      }
    })();
    const inHanoi = events.slice(900).filter((e) => e.key.startsWith('01.'));
    await produce(kafka, topic, inHanoi.length > 0 ? inHanoi : events.slice(900));
    let text = '';
    const deadline = Date.now() + 15_000;
    while (!text.includes(`"unitId":"${hanoi}"`) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    await communeDone;
    ctrl.abort();
    expect(text).toContain('event: indicators');
    expect(text).toContain(`"unitId":"${hanoi}"`);
    expect(communeText).toContain(`"unitId":"${commune}"`);
    expect(communeText).toContain(`"unitId":"${units[0]}"`);
  });

  it('should rebuild Redis after FLUSHALL mid-run and end with Redis = PG = recount', async () => {
    const r = createClient({ url: redis.url });
    await r.connect();
    const rest = events.slice(900);
    await produce(kafka, topic, rest.slice(0, Math.floor(rest.length / 2)));
    await r.flushAll();
    // never more than the truth while rebuilding: reads fall back to PG until the marker is back
    const during = await get('/v1/units/VN/indicators?period=Y2025');
    expect(during.status).toBe(200);
    await produce(kafka, topic, rest.slice(Math.floor(rest.length / 2)));
    await r.close();
    const end = await topicEnd(kafka, topic);
    await eventually(async () => (await storedOffsetTotal(db.url, topic)) === end, 'caught up after flush', { timeoutMs: 60_000 });
    const oracle = await recount(kafka, topic);
    const pg = await pgCounters(db.url);
    expect(diff(pg, oracle.counters)).toEqual([]);
    await eventually(async () => {
      const c = await redisCounters(redis.url, prefix);
      return c.ready && diff(c.counters, pg).length === 0;
    }, 'redis rebuilt and equal to PG', { timeoutMs: 15_000 });
    const after = await get('/v1/units/VN/indicators?period=Y2025');
    expect((after.body as { freshness: { source: string } }).freshness.source).toBe('redis');
    expect((after.body as { data: { counts: Record<string, number> } }).data.counts['received']).toBe(sumOfMonths(oracle.counters, 'VN|Y2025|*|received'));
  });
});
