import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FIX } from './support/fixtures';
import { call, tokenFor, useIntakeSuite } from './support/harness';
import { runImportCli } from './support/import-cli';
import { importLine } from './support/import-lines';

const NDJSON = 'application/x-ndjson';
const OTHER_UNIT = '79.26734';

/** ADR 0205: an import job belongs to a file and a scope (the officer's unit, or admin). */
describe('import jobs per unit scope (real Postgres and Kafka)', () => {
  const s = useIntakeSuite('intake_import_scope');
  const other = tokenFor({ unitId: OTHER_UNIT, officerId: 'can-bo-79' });
  const own = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-01' });
  const colleague = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-02' });
  const admin = tokenFor({ unitId: OTHER_UNIT, officerId: 'quan-tri', roles: ['officer', 'admin'] });
  const post = (token: string, file: string) => call(s.url, 'POST', '/imports', { token, rawBody: file, contentType: NDJSON });

  it('should import a file another unit uploaded first, for its own unit and for an admin, without importing a line twice', async () => {
    const file = Array.from({ length: 3 }, (_, i) => importLine(i, 'full', '260310')).join('\n') + '\n';

    const wrong = await post(other, file);
    expect(wrong.body).toMatchObject({ status: 'COMPLETED', scope: `unit:${OTHER_UNIT}`, imported: 0, rejected: 3 });
    expect((wrong.body['rejections'] as { errors: { field: string }[] }[]).map((r) => r.errors.map((e) => e.field))).toEqual([['unitCode'], ['unitCode'], ['unitCode']]);
    expect(await s.count('dossier')).toBe(0);

    const right = await post(own, file);
    expect(right.body['jobId']).not.toBe(wrong.body['jobId']);
    expect(right.body).toMatchObject({ status: 'COMPLETED', scope: `unit:${FIX.unit}`, fileSha256: wrong.body['fileSha256'], imported: 3, duplicates: 0, rejected: 0 });
    const after = { dossiers: await s.count('dossier'), outbox: await s.count('outbox') };
    expect(after).toEqual({ dossiers: 3, outbox: 12 });

    // The same file by the same scope (another officer of the unit, or the first officer again): the same job, nothing new.
    await expect(post(colleague, file)).resolves.toMatchObject({ body: { jobId: right.body['jobId'], imported: 3, duplicates: 0 } });
    await expect(post(other, file)).resolves.toMatchObject({ body: { jobId: wrong.body['jobId'], imported: 0, rejected: 3 } });

    // An admin gets a job of its own; the lines are already imported, so they are duplicates.
    const byAdmin = await post(admin, file);
    expect(byAdmin.body).toMatchObject({ status: 'COMPLETED', scope: 'admin', imported: 0, duplicates: 3, rejected: 0 });
    expect(new Set([wrong.body['jobId'], right.body['jobId'], byAdmin.body['jobId']]).size).toBe(3);

    // The CLI with --admin is the same scope as an admin on the API (same bytes, same job).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'intake-import-scope-'));
    try {
      const f = path.join(dir, 'history.ndjson');
      writeFileSync(f, file);
      const cli = await runImportCli(f, ['--officer', 'quan-tri-cli', '--admin'], s.infra.env);
      expect({ code: cli.code, err: cli.stderr.slice(-2000) }).toMatchObject({ code: 0 });
      expect(JSON.parse(cli.stdout)).toMatchObject({ jobId: byAdmin.body['jobId'], scope: 'admin', imported: 0, duplicates: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect({ dossiers: await s.count('dossier'), outbox: await s.count('outbox') }).toEqual(after);
  });

  it('should show an import job and its rejected lines only to its own unit and admins, as unknown (404) to others', async () => {
    const file = [importLine(0, 'online', '260312'), '{"code": "broken'].join('\n') + '\n';
    const job = await post(own, file);
    expect(job.body).toMatchObject({ imported: 1, rejected: 1 });
    const id = job.body['jobId'] as string;

    for (const token of [own, colleague, admin]) {
      await expect(call(s.url, 'GET', `/imports/${id}`, { token })).resolves.toMatchObject({ status: 200, body: { jobId: id } });
      await expect(call(s.url, 'GET', `/imports/${id}/rejections`, { token })).resolves.toMatchObject({ status: 200, body: [{ line: 2, errors: [{ field: 'line' }] }] });
    }

    const unknown = randomUUID();
    const shape = (r: { status: number; headers: Headers; body: Record<string, unknown> }) => ({
      status: r.status,
      contentType: r.headers.get('content-type'),
      type: r.body['type'],
      title: r.body['title'],
      fields: (r.body['errors'] as { field: string }[] | undefined)?.map((e) => e.field),
    });
    for (const suffix of ['', '/rejections']) {
      const foreign = await call(s.url, 'GET', `/imports/${id}${suffix}`, { token: other });
      const missing = await call(s.url, 'GET', `/imports/${unknown}${suffix}`, { token: other });
      expect(shape(missing)).toEqual({ status: 404, contentType: expect.stringContaining('application/problem+json'), type: expect.stringContaining('not-found'), title: 'Not found', fields: ['id'] });
      expect(shape(foreign)).toEqual(shape(missing));
      expect(foreign.text).not.toContain('broken');
      // An admin gets 404 for an unknown job too, on both routes.
      await expect(call(s.url, 'GET', `/imports/${unknown}${suffix}`, { token: admin })).resolves.toMatchObject({ status: 404 });
    }
  });
});
