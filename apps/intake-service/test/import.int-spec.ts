import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEvent } from '@onestop/contracts';
import { eventually, repoRoot } from '@onestop/testing';
import { Client } from 'pg';
import { ImportService } from '../src/import/import.service';
import { appEntry } from './support/child-process';
import { FIX } from './support/fixtures';
import { call, collectTopic, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { badLines, importLine } from './support/import-lines';

const NDJSON = 'application/x-ndjson';

describe('historical NDJSON import (real Postgres and Kafka)', () => {
  let infra: Infra;
  let app: NestFastifyApplication;
  let url: string;
  let pg: Client;
  const token = tokenFor({ unitId: FIX.unit, officerId: 'importer-01' });
  const state = async () => {
    const q = async (t: string) => Number((await pg.query(`SELECT count(*)::int AS n FROM intake.${t}`)).rows[0].n);
    return { dossiers: await q('dossier'), events: await q('dossier_event'), outbox: await q('outbox'), components: await q('dossier_component') };
  };

  beforeAll(async () => {
    infra = await provisionInfra('intake_import');
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

  it('should import valid lines with their history, report rejected lines by field, and change nothing on a second run', async () => {
    const good = [...Array.from({ length: 60 }, (_, i) => importLine(i, 'full')), ...Array.from({ length: 20 }, (_, i) => importLine(100 + i, 'online')), ...Array.from({ length: 10 }, (_, i) => importLine(200 + i, 'rejected'))];
    const bad = badLines();
    const lines = [...good.slice(0, 40), ...bad.map((b) => b.raw), '', ...good.slice(40)];
    const file = lines.join('\n') + '\n';

    const res = await call(url, 'POST', '/imports?fileName=lich-su-2026.ndjson', { token, rawBody: file, contentType: NDJSON });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 90, duplicates: 0, rejected: bad.length });
    const rejections = res.body['rejections'] as { line: number; errors: { field: string }[] }[];
    bad.forEach((b, k) => {
      const r = rejections.find((x) => x.line === 41 + k);
      expect(r?.errors.map((e) => e.field)).toEqual(expect.arrayContaining([expect.stringContaining(b.field)]));
    });
    const all = await call<unknown[]>(url, 'GET', `/imports/${res.body['jobId']}/rejections`, { token });
    expect(all.body).toHaveLength(bad.length);

    const after = await state();
    expect(after).toMatchObject({ dossiers: 90, events: 60 * 4 + 20 * 2 + 10 * 2, outbox: 60 * 4 + 20 * 2 + 10 * 2 });
    const statuses = await pg.query(`SELECT status, count(*)::int AS n FROM intake.dossier WHERE imported GROUP BY status ORDER BY status`);
    expect(statuses.rows).toEqual([{ status: 'INTAKE_REJECTED', n: 10 }, { status: 'RECEIVED', n: 20 }, { status: 'RETURNED', n: 60 }]);
    const one = await call(url, 'GET', `/dossiers/${FIX.unit}-260302-0001`, { token });
    expect(one.body).toMatchObject({ imported: true, status: 'RETURNED', receivedBy: 'can-bo-cu' });
    const envelopes = await pg.query(`SELECT envelope FROM intake.outbox`);
    for (const { envelope } of envelopes.rows) {
      expect(envelope.imported).toBe(true);
      expect(() => parseEvent(envelope)).not.toThrow();
    }

    // Same file again (new key): the job is complete, nothing changes.
    const again = await call(url, 'POST', '/imports', { token, rawBody: file, contentType: NDJSON });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ jobId: res.body['jobId'], imported: 90, rejected: bad.length });
    expect(await state()).toEqual(after);

    // Same dossiers in another file (different bytes): all duplicates, nothing changes.
    const reordered = await call(url, 'POST', '/imports', { token, rawBody: [...good].reverse().join('\n'), contentType: NDJSON });
    expect(reordered.body).toMatchObject({ imported: 0, duplicates: 90, rejected: 0 });
    expect(await state()).toEqual(after);

    // Imported events reach Kafka with imported: true.
    const sink = await collectTopic([infra.topics.public]);
    try {
      const seen = await eventually(() => sink.messages.find((m) => m.key === `${FIX.unit}-260302-0001` && m.value['type'] === 'ResultReturned'), 'an imported ResultReturned on the public topic', { timeoutMs: 30_000 });
      expect(seen.value['imported']).toBe(true);
    } finally {
      await sink.stop();
    }
  });

  it('should apply Idempotency-Key rules and content-type rules to imports', async () => {
    const key = randomUUID();
    const file = importLine(0, 'full', '260304');
    const first = await call(url, 'POST', '/imports', { token, rawBody: file, contentType: NDJSON, idempotencyKey: key });
    expect(first.status).toBe(200);
    const replay = await call(url, 'POST', '/imports', { token, rawBody: file, contentType: NDJSON, idempotencyKey: key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await call(url, 'POST', '/imports', { token, rawBody: importLine(1, 'full', '260304'), contentType: NDJSON, idempotencyKey: key });
    expect(other.status).toBe(422);
    const wrongType = await call(url, 'POST', '/imports', { token, rawBody: file, contentType: 'text/csv' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
  });

  it('should resume an interrupted import where it stopped, without duplicates', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => importLine(i, 'full', '260305'));
    const before = await state();
    const service = app.get(ImportService);
    const controller = new AbortController();
    const officer = { officerId: 'importer-01', unitId: FIX.unit, roles: ['officer'] };
    const sha = `resume-${randomUUID()}`;
    const partial = await service.run(lines, { fileSha256: sha, officer, chunkSize: 10, signal: controller.signal, onProgress: (p) => p.line >= 20 && controller.abort() });
    expect(partial).toMatchObject({ status: 'RUNNING', nextLine: 21, imported: 20 });
    expect((await state()).dossiers - before.dossiers).toBe(20);
    const done = await service.run(lines, { fileSha256: sha, officer, chunkSize: 10 });
    expect(done).toMatchObject({ status: 'COMPLETED', imported: 50, duplicates: 0, totalLines: 50 });
    const after = await state();
    expect(after.dossiers - before.dossiers).toBe(50);
    expect(after.outbox - before.outbox).toBe(200);
  });

  it('should import from the CLI with progress and change nothing when the same file is run again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'intake-import-'));
    try {
      const file = path.join(dir, 'history.ndjson');
      writeFileSync(file, [...Array.from({ length: 30 }, (_, i) => importLine(i, 'online', '260306')), '{bad json'].join('\n') + '\n');
      const runCli = () =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const p = spawn(process.execPath, [...appEntry().cliArgs, file, '--officer', 'importer-cli', '--unit', FIX.unit, '--chunk', '10'], {
            cwd: repoRoot(),
            env: { ...process.env, ...infra.env, OUTBOX_RELAY_ENABLED: 'false' },
          });
          let stdout = '';
          let stderr = '';
          p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          p.on('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const before = await state();
      const first = await runCli();
      expect({ code: first.code, err: first.stderr.slice(-2000) }).toMatchObject({ code: 2 });
      expect(first.stderr).toContain('line 31/31 (100.0%)');
      expect(JSON.parse(first.stdout)).toMatchObject({ status: 'COMPLETED', imported: 30, rejected: 1, rejections: [{ line: 31, errors: [{ field: 'line' }] }] });
      const mid = await state();
      expect(mid.dossiers - before.dossiers).toBe(30);
      const second = await runCli();
      expect(JSON.parse(second.stdout)).toMatchObject({ imported: 30, rejected: 1 });
      expect(await state()).toEqual(mid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
