import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { FIX } from './support/fixtures';
import { call, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { runImportCli } from './support/import-cli';
import { importLine } from './support/import-lines';

const NDJSON = 'application/x-ndjson';

/** A file of `good` valid lines with a rejected line (broken JSON, or an unknown unit) after every second one. */
function mixedFile(good: number, day: string): { file: string; rejectedLines: number[] } {
  const lines: string[] = [];
  const rejectedLines: number[] = [];
  for (let i = 0; i < good; i++) {
    lines.push(importLine(i, 'online', day));
    if (i % 2 === 1) {
      lines.push(i % 4 === 1 ? `{"code":"broken ${i}"` : JSON.stringify({ ...JSON.parse(importLine(500 + i, 'online', day)), unitCode: '99.99999' }));
      rejectedLines.push(lines.length);
    }
  }
  return { file: lines.join('\r\n') + '\r\n', rejectedLines };
}

describe('rejected lines of an import, page by page (API) and in full (CLI)', () => {
  let infra: Infra;
  let app: NestFastifyApplication;
  let url: string;
  let pg: Client;
  const token = tokenFor({ unitId: FIX.unit, officerId: 'importer-paging' });
  const jobs = async () => Number((await pg.query(`SELECT count(*)::int AS n FROM intake.import_job`)).rows[0].n);

  beforeAll(async () => {
    infra = await provisionInfra('intake_import_rejections');
    ({ app, url } = await startApp(infra.config));
    pg = new Client({ connectionString: infra.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await infra?.topics.delete().catch(() => undefined);
    await infra?.db.drop();
  });

  it('should list every rejected line across pages, with the exact total and a next link while there are more', async () => {
    const { file, rejectedLines } = mixedFile(22, '260310'); // 11 rejected lines
    const res = await call(url, 'POST', '/imports?fileName=paging.ndjson', { token, rawBody: file, contentType: NDJSON });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 22, rejected: rejectedLines.length });
    const jobId = res.body['jobId'] as string;

    const seen: number[] = [];
    let next: string | undefined = `/imports/${jobId}/rejections?limit=4`;
    let pages = 0;
    while (next) {
      const page: { status: number; headers: Headers; body: { line: number; errors: { field: string }[] }[] } = await call<{ line: number; errors: { field: string }[] }[]>(url, 'GET', next, { token });
      expect(page.status).toBe(200);
      expect(page.headers.get('x-total-count')).toBe(String(rejectedLines.length));
      expect(page.body.length).toBeLessThanOrEqual(4);
      for (const r of page.body) expect(r.errors.length).toBeGreaterThan(0);
      seen.push(...page.body.map((r) => r.line));
      next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(rejectedLines);

    const middle = await call<{ line: number }[]>(url, 'GET', `/imports/${jobId}/rejections?offset=5&limit=2`, { token });
    expect(middle.body.map((r) => r.line)).toEqual(rejectedLines.slice(5, 7));
    const beyond = await call<unknown[]>(url, 'GET', `/imports/${jobId}/rejections?offset=50`, { token });
    expect({ status: beyond.status, body: beyond.body, total: beyond.headers.get('x-total-count'), link: beyond.headers.get('link') }).toEqual({
      status: 200,
      body: [],
      total: String(rejectedLines.length),
      link: null,
    });
    // without paging parameters: every line in one answer, as before
    const all = await call<{ line: number }[]>(url, 'GET', `/imports/${jobId}/rejections`, { token });
    expect(all.body.map((r) => r.line)).toEqual(rejectedLines);
    expect(all.headers.get('link')).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=1e3', 'offset'],
    ['offset=99999999999', 'offset'],
    ['limit=3&limit=4', 'limit'],
  ])('should refuse %s with 400 problem+json naming %s', async (query, field) => {
    const res = await call(url, 'POST', '/imports?fileName=bad-paging.ndjson', { token, rawBody: `${importLine(0, 'online', '260311')}\n{x\n`, contentType: NDJSON });
    const page = await call<{ errors: { field: string }[] }>(url, 'GET', `/imports/${res.body['jobId'] as string}/rejections?${query}`, { token });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('application/problem+json');
    expect(page.body.errors.map((e) => e.field)).toEqual([field]);
  });

  it('should name the line (not a request body) when a line holds JSON that is not an object', async () => {
    const file = ['[]', '[{"code":"x"}]', '42', 'null', '"01.00004-250903-0001"', 'true', importLine(0, 'online', '260314')].join('\n') + '\n';
    const res = await call(url, 'POST', '/imports?fileName=not-objects.ndjson', { token, rawBody: file, contentType: NDJSON });
    expect(res.body).toMatchObject({ imported: 1, rejected: 6 });
    const listed = await call<{ line: number; errors: { field: string; message: string }[] }[]>(url, 'GET', `/imports/${res.body['jobId'] as string}/rejections`, { token });
    expect(listed.body.map((r) => [r.line, r.errors.map((e) => e.field)])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, ['line']]));
    for (const r of listed.body) expect(r.errors[0]?.message).toContain('JSON object');
  });

  it('should write every rejected line to the --rejections file from the CLI, a page at a time', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'intake-rejections-'));
    try {
      const { file, rejectedLines } = mixedFile(14, '260312'); // 7 rejected lines
      const input = path.join(dir, 'tinh.ndjson');
      const out = path.join(dir, 'rejected.ndjson');
      writeFileSync(input, '\uFEFF' + file);
      const r = await runImportCli(input, ['--unit', FIX.unit, '--rejections', out, '--rejections-page', '3'], infra.env);
      expect({ code: r.code, err: r.stderr.slice(-1000) }).toMatchObject({ code: 2 });
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 14, rejected: rejectedLines.length });
      const written = readFileSync(out, 'utf8').split('\n');
      expect(written.pop()).toBe('');
      const rows = written.map((l) => JSON.parse(l) as { line: number; errors: { field: string }[] });
      expect(rows.map((x) => x.line)).toEqual(rejectedLines);
      // the same lines, with the same fields at fault, as the API lists for the job
      const listed = await call<unknown[]>(url, 'GET', `/imports/${JSON.parse(r.stdout).jobId as string}/rejections`, { token });
      expect(rows).toEqual(listed.body);
      expect(rows.map((x) => x.errors[0]?.field).filter((f) => f === 'line')).toHaveLength(4);
      expect(r.stderr).toContain(`${rejectedLines.length} rejected line(s) written to ${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should refuse a bad --rejections-page or the input file as --rejections (64) and an unwritable --rejections file (73) before importing anything', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'intake-rejections-'));
    try {
      const input = path.join(dir, 'tinh.ndjson');
      const content = `${importLine(0, 'online', '260313')}\n`;
      writeFileSync(input, content);
      const before = await jobs();
      const badPage = await runImportCli(input, ['--unit', FIX.unit, '--rejections', path.join(dir, 'r.ndjson'), '--rejections-page', '0'], infra.env);
      expect(badPage.code).toBe(64);
      expect(badPage.stderr).toContain('--rejections-page');
      const sameFile = await runImportCli(input, ['--unit', FIX.unit, '--rejections', input], infra.env);
      expect(sameFile.code).toBe(64);
      expect(readFileSync(input, 'utf8')).toBe(content);
      const unwritable = await runImportCli(input, ['--unit', FIX.unit, '--rejections', path.join(dir, 'no-such-dir', 'r.ndjson')], infra.env);
      expect(unwritable.code).toBe(73);
      expect(unwritable.stderr).toContain('ENOENT');
      expect(await jobs()).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
