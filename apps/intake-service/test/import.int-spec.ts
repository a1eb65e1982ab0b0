import type { ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEvent } from '@onestop/contracts';
import { toVnIso } from '@onestop/domain';
import { eventually } from '@onestop/testing';
import { Client } from 'pg';
import { ImportService } from '../src/import/import.service';
import { FIX } from './support/fixtures';
import { call, collectTopic, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { runImportCli } from './support/import-cli';
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

  const runCli = (file: string, args: string[], onProgress?: (child: ChildProcess) => void) => runImportCli(file, args, infra.env, onProgress);
  const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'intake-import-'));

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

  it('should reject lines whose payload times or appointment cannot be true (future, before the receipt), naming the field', async () => {
    const day = '260316';
    const edit = (i: number, f: (o: { dueAt: string; history: { occurredAt: string; payload: Record<string, unknown> }[] }) => void) => {
      const o = JSON.parse(importLine(i, 'full', day));
      f(o);
      return JSON.stringify(o);
    };
    const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const cases = [
      // resolved "in" the future: statistics would count it resolved on finishedAt, not on occurredAt
      { raw: edit(1, (o) => (o.history[2]!.payload['finishedAt'] = future)), field: 'history[2].payload.finishedAt' },
      // returned a year before it was received
      { raw: edit(2, (o) => (o.history[3]!.payload['returnedAt'] = '2025-03-02T08:00:00+07:00')), field: 'history[3].payload.returnedAt' },
      { raw: edit(3, (o) => (o.history[1]!.payload['transferredAt'] = '2026-03-01T08:00:00+07:00')), field: 'history[1].payload.transferredAt' },
      // an appointment before the receipt
      { raw: edit(4, (o) => (o.dueAt = '2026-03-01T01:00:00Z')), field: 'dueAt' },
    ];
    const before = await state();
    const res = await call(url, 'POST', '/imports?fileName=thoi-gian-sai.ndjson', { token, rawBody: [importLine(0, 'full', day), ...cases.map((c) => c.raw)].join('\n') + '\n', contentType: NDJSON });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: cases.length });
    const rejections = res.body['rejections'] as { line: number; errors: { field: string }[] }[];
    cases.forEach((c, k) => expect(rejections.find((r) => r.line === 2 + k)?.errors.map((e) => e.field)).toEqual([c.field]));
    const after = await state();
    expect(after.dossiers - before.dossiers).toBe(1);
    expect(after.outbox - before.outbox).toBe(4);
    const kept = await pg.query(`SELECT code FROM intake.dossier WHERE code LIKE $1`, [`${FIX.unit}-${day}-%`]);
    expect(kept.rows).toEqual([{ code: `${FIX.unit}-${day}-0001` }]);
  });

  // Round 8: payload times out of order and due dates that contradict the line were imported and counted (a late
  // dossier counted early; a supplement moving the appointment earlier; three services holding three due dates).
  it("should reject events whose own times are out of order and due dates that contradict the line's, and show an imported dossier's status time and moved due dates", async () => {
    const day = '260317';
    type Line = { dueAt: string; history: { type: string; occurredAt: string; payload?: Record<string, unknown> }[] };
    const edit = (i: number, f: (o: Line, at: (ms: number) => string, start: number, due: number) => void) => {
      const o = JSON.parse(importLine(i, 'full', day)) as Line;
      const start = Date.parse(o.history[0]!.occurredAt);
      f(o, (ms) => new Date(ms).toISOString().replace('Z', '+00:00'), start, Date.parse(o.dueAt));
      return JSON.stringify(o);
    };
    const H = 3600_000;
    const supplement = (o: Line, at: (ms: number) => string, start: number, newDue: number) =>
      o.history.splice(2, 0,
        { type: 'SupplementRequested', occurredAt: at(start + 2 * H), payload: { requestedAt: at(start + 2 * H), content: 'Bổ sung bản sao giấy tờ', applicantDeadline: at(start + 48 * H), requestCount: 1 } },
        { type: 'SupplementReceived', occurredAt: at(start + 5 * H), payload: { receivedAt: at(start + 5 * H), previousDueAt: o.dueAt, newDueAt: at(newDue), policy: 'PAUSE' } });
    const cases = [
      // returned three weeks before it was resolved
      { raw: edit(1, (o, at, start) => (o.history[3]!.payload!['returnedAt'] = at(start + 600_000 + 1000))), fields: ['history[3].payload.returnedAt'] },
      // resolved with a legal due date 15 days after the line's appointment, no pause in between: late counted early
      { raw: edit(2, (o, at, _s, due) => Object.assign(o.history[2]!.payload!, { dueAt: at(due + 15 * 86_400_000), originalDueAt: at(due + 15 * 86_400_000) })), fields: ['history[2].payload.originalDueAt', 'history[2].payload.dueAt'] },
      // a supplement whose newDueAt is before the appointment: a pause only moves it later
      { raw: edit(3, (o, at, start, due) => supplement(o, at, start, due - 2 * H)), fields: ['history[3].payload.newDueAt'] },
    ];
    const ok = edit(4, (o, at, start, due) => {
      supplement(o, at, start, due + 4 * H);
      Object.assign(o.history[4]!.payload!, { dueAt: at(due + 4 * H), originalDueAt: at(due + 4 * H) });
    });
    const res = await call(url, 'POST', '/imports?fileName=thu-tu.ndjson', { token, rawBody: [ok, ...cases.map((c) => c.raw)].join('\n') + '\n', contentType: NDJSON });
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: cases.length });
    const rejections = res.body['rejections'] as { line: number; errors: { field: string; message: string }[] }[];
    cases.forEach((c, k) => expect(rejections.find((r) => r.line === 2 + k)?.errors.map((e) => e.field)).toEqual(c.fields));
    expect(rejections.find((r) => r.line === 3)!.errors[0]!.message).toMatch(/^must be 2026-03-20T08:02:00\.000\+07:00, the legal due date of record/);

    // the imported one: its status time is the return, its due dates the supplement's newDueAt (as processing and
    // statistics follow it), the receipt's appointment kept apart
    const o = JSON.parse(ok) as Line & { code: string };
    const toVnIsoText = (t: string) => toVnIso(Date.parse(t));
    const view = await call(url, 'GET', `/dossiers/${o.code}`, { token });
    expect(view.body).toMatchObject({
      status: 'RETURNED',
      statusUpdatedAt: toVnIsoText(o.history[5]!.occurredAt),
      dueAt: toVnIsoText(o.history[3]!.payload!['newDueAt'] as string),
      originalDueAt: toVnIsoText(o.history[3]!.payload!['newDueAt'] as string),
      receiptDueAt: toVnIsoText(o.dueAt),
    });
    // the file's times were written `+00:00`: the published events say them in Vietnam time, as every producer does
    // (black-box round 10: imported payloads kept the file's offset)
    const published = await pg.query(`SELECT public_envelope FROM intake.outbox WHERE aggregate_id = $1`, [o.code]);
    const times = JSON.stringify(published.rows).match(/"\d{4}-\d{2}-\d{2}T[^"]*"/g) ?? [];
    expect(times.length).toBeGreaterThan(5);
    expect(times.filter((t) => !t.endsWith('+07:00"'))).toEqual([]);
  });

  // Round 4: a line holding U+0000 (or a lone surrogate) passed the schema and failed its chunk's INSERT, so the
  // import answered 500 on every run and never got past that chunk.
  it('should reject a line holding text Postgres cannot store and import the rest of its chunk, via the API and the CLI', async () => {
    const day = '260324';
    const nul = importLine(1, 'full', day).replace('"fullName":"', '"fullName":"Lan\\u0000');
    const surrogate = importLine(2, 'full', day).replace('"address":"', '"address":"\\udc00');
    const badKey = importLine(3, 'full', day).replace('{"code"', '{"x\\u0000":1,"code"');
    const rawNul = importLine(4, 'full', day).replace('"fullName":"', '"fullName":"Lan\u0000');
    const file = [importLine(0, 'full', day), nul, surrogate, badKey].join('\n') + '\n';
    const res = await call(url, 'POST', '/imports?fileName=nul.ndjson', { token, rawBody: file, contentType: NDJSON });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: 3 });
    const rejections = res.body['rejections'] as { line: number; errors: { field: string }[] }[];
    expect(rejections.map((r) => [r.line, r.errors[0]?.field])).toEqual([[2, 'applicant.fullName'], [3, 'applicant.address'], [4, 'x\ufffd']]);
    const dir = tempDir();
    try {
      const f = path.join(dir, 'nul.ndjson');
      writeFileSync(f, [importLine(5, 'full', day), rawNul].join('\n') + '\n');
      const cli = await runCli(f, ['--unit', FIX.unit, '--officer', 'importer-01']);
      expect(cli.code).toBe(2);
      expect(JSON.parse(cli.stdout)).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: 1, rejections: [{ line: 2, errors: [{ field: 'line' }] }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await call(url, 'POST', '/imports?fileName=a%00b', { token, rawBody: importLine(9, 'full', day), contentType: NDJSON });
    expect(bad.status).toBe(400);
    expect(bad.body['errors']).toEqual([expect.objectContaining({ field: 'fileName' })]);
  });

  // Round 4: live intake checks these, an import did not: an old system's free text reached the public topic.
  it('should reject lines that would publish personal data on the public topic, naming the field', async () => {
    const day = '260318';
    const edit = (i: number, f: (o: { applicant: Record<string, string>; history: unknown[] }) => void) => {
      const o = JSON.parse(importLine(i, 'full', day));
      f(o);
      return JSON.stringify(o);
    };
    const at = (i: number, min: number) => new Date(Date.parse(`2026-03-18T01:00:00Z`) + i * 60_000 + min * 60_000).toISOString();
    const received = (o: { history: unknown[] }) => (o.history as unknown[]).slice(0, 1);
    const cases = [
      { raw: edit(1, (o) => (o.history = [...received(o), { type: 'DossierWithdrawn', occurredAt: at(1, 5), payload: { finishedAt: at(1, 5), requestRef: o.applicant['phone'] } }])), field: 'history[1].payload.requestRef' },
      { raw: edit(2, (o) => (o.history = [...received(o), { type: 'ComponentDigitised', occurredAt: at(2, 5), payload: { componentCode: o.applicant['idNumber'], at: at(2, 5), reused: false, fromCitizenRepository: false } }])), field: 'history[1].payload.componentCode' },
      { raw: edit(3, (o) => (o.history = [...received(o), { type: 'InterAgencyStepStarted', occurredAt: at(3, 5), payload: { stepId: o.applicant['idNumber'], agencyCode: '01.STP', stepDueAt: null, at: at(3, 5) } }])), field: 'history[1].payload.stepId' },
      {
        raw: edit(4, (o) => (o.history = [...(o.history as unknown[]).slice(0, 2), { type: 'FinancialObligationRequested', occurredAt: at(4, 20), payload: { requestedAt: at(4, 20), feeLines: [{ code: 'LP01', name: `Lệ phí - ${o.applicant['fullName']}`, amount: 8000, collectedAt: 'INTAKE' }], totalAmount: 8000, exempt: false } }])),
        field: 'history[2].payload.feeLines[0].name',
      },
      // however written: the name decomposed (NFD) and without diacritics, the ID number in groups (round 6 found both)
      {
        raw: edit(5, (o) => (o.history = [...(o.history as unknown[]).slice(0, 2), { type: 'FinancialObligationRequested', occurredAt: at(5, 20), payload: { requestedAt: at(5, 20), feeLines: [{ code: 'LP01', name: `Lệ phí - ${o.applicant['fullName']!.normalize('NFD')}`, amount: 8000, collectedAt: 'INTAKE' }], totalAmount: 8000, exempt: false } }])),
        field: 'history[2].payload.feeLines[0].name',
      },
      {
        raw: edit(6, (o) => (o.history = [...(o.history as unknown[]).slice(0, 2), { type: 'FinancialObligationRequested', occurredAt: at(6, 20), payload: { requestedAt: at(6, 20), feeLines: [{ code: 'LP01', name: `Le phi ${o.applicant['fullName']!.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')}`, amount: 8000, collectedAt: 'INTAKE' }], totalAmount: 8000, exempt: false } }])),
        field: 'history[2].payload.feeLines[0].name',
      },
      {
        raw: edit(7, (o) => (o.history = [...(o.history as unknown[]).slice(0, 2), { type: 'FinancialObligationRequested', occurredAt: at(7, 20), payload: { requestedAt: at(7, 20), feeLines: [{ code: o.applicant['idNumber']!.replace(/(\d{3})(?=\d)/g, '$1.'), name: 'Lệ phí hộ tịch', amount: 8000, collectedAt: 'INTAKE' }], totalAmount: 8000, exempt: false } }])),
        field: 'history[2].payload.feeLines[0].code',
      },
    ];
    const topic = await collectTopic([infra.config.topics.public]);
    try {
      const before = await state();
      const ok = edit(0, (o) => (o.history = [...received(o), { type: 'DossierWithdrawn', occurredAt: at(0, 5), payload: { finishedAt: at(0, 5), requestRef: '15/2026/DRHS' } }]));
      const res = await call(url, 'POST', '/imports?fileName=du-lieu-ca-nhan.ndjson', { token, rawBody: [ok, ...cases.map((c) => c.raw)].join('\n') + '\n', contentType: NDJSON });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: cases.length });
      const rejections = res.body['rejections'] as { line: number; errors: { field: string }[] }[];
      cases.forEach((c, k) => expect(rejections.find((r) => r.line === 2 + k)?.errors.map((e) => e.field)).toEqual([c.field]));
      expect((await state()).dossiers - before.dossiers).toBe(1);
      await eventually(() => topic.messages.filter((m) => m.key === `${FIX.unit}-${day}-0001`).length === 2, 'the imported withdrawal on the public topic', { timeoutMs: 30_000 });
      expect(topic.messages.some((m) => m.key.startsWith(`${FIX.unit}-${day}-`) && m.key !== `${FIX.unit}-${day}-0001`)).toBe(false);
    } finally {
      await topic.stop();
    }
  });

  // Round 4: two imports locking the same dossiers in opposite orders deadlocked in Postgres and one answered 500.
  it('should import overlapping files concurrently without a 500: every dossier once, the other job counting duplicates', async () => {
    const day = '260323';
    const lines = Array.from({ length: 200 }, (_, i) => importLine(i, 'online', day));
    const admin = tokenFor({ unitId: FIX.unit, officerId: 'quan-tri-02', roles: ['officer', 'admin'] });
    const before = await state();
    const [a, b] = await Promise.all([
      call(url, 'POST', '/imports?fileName=xuoi.ndjson', { token, rawBody: lines.join('\n'), contentType: NDJSON }),
      call(url, 'POST', '/imports?fileName=nguoc.ndjson', { token: admin, rawBody: [...lines].reverse().join('\n'), contentType: NDJSON }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(Number(a.body['imported']) + Number(b.body['imported'])).toBe(200);
    expect(Number(a.body['duplicates']) + Number(b.body['duplicates'])).toBe(200);
    expect([a.body['rejected'], b.body['rejected']]).toEqual([0, 0]);
    const after = await state();
    expect(after.dossiers - before.dossiers).toBe(200);
    expect(after.outbox - before.outbox).toBe(400);
  });

  it('should reject a line whose code or portal reference already belongs to another dossier, and count only the same dossier as a duplicate', async () => {
    const day = '260319';
    const original = importLine(0, 'online', day);
    const first = await call(url, 'POST', '/imports?fileName=he-thong-a.ndjson', { token, rawBody: original + '\n', contentType: NDJSON });
    expect(first.body).toMatchObject({ imported: 1, rejected: 0 });
    const before = await state();
    const o = JSON.parse(original) as Record<string, unknown>;
    // another old system numbered a different dossier (another applicant, another procedure) the same way
    const sameCode = JSON.stringify({ ...JSON.parse(importLine(0, 'online', day)), externalRef: 'dvc-he-thong-b-1' });
    const otherProcedure = JSON.stringify({ ...o, procedureCode: '1.000656', components: [{ code: 'TK_KHAI_TU' }, { code: 'GIAY_BAO_TU' }] });
    // a different dossier (new code) carrying the portal reference of the first one
    const sameRef = JSON.stringify({ ...JSON.parse(importLine(1, 'online', day)), externalRef: o['externalRef'] });
    const res = await call(url, 'POST', '/imports?fileName=he-thong-b.ndjson', { token, rawBody: [original, sameCode, otherProcedure, sameRef].join('\n') + '\n', contentType: NDJSON });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 0, duplicates: 1, rejected: 3 });
    expect((res.body['rejections'] as { line: number; errors: { field: string; message: string }[] }[]).map((r) => [r.line, r.errors.map((e) => e.field)])).toEqual([
      [2, ['code']],
      [3, ['code']],
      [4, ['externalRef']],
    ]);
    const all = await call<{ errors: { message: string }[] }[]>(url, 'GET', `/imports/${res.body['jobId']}/rejections`, { token });
    expect(all.body[0]!.errors[0]!.message).toContain('different applicant');
    expect(all.body[1]!.errors[0]!.message).toContain('different procedure');
    expect(JSON.stringify(all.body)).not.toContain((o['applicant'] as { idNumber: string }).idNumber);
    expect(await state()).toEqual(before);
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

  it('should answer 400 problem+json naming the id when an import job id is not a UUID', async () => {
    for (const suffix of ['', '/rejections']) {
      const res = await call(url, 'GET', `/imports/not-a-job-id${suffix}`, { token });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, errors: [{ field: 'id', message: expect.stringContaining('UUID') }] });
    }
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
    const dir = tempDir();
    try {
      const file = path.join(dir, 'history.ndjson');
      writeFileSync(file, [...Array.from({ length: 30 }, (_, i) => importLine(i, 'online', '260306')), '{bad json'].join('\n') + '\n');
      const args = ['--officer', 'importer-cli', '--unit', FIX.unit, '--chunk', '10'];
      const before = await state();
      const first = await runCli(file, args);
      expect({ code: first.code, err: first.stderr.slice(-2000) }).toMatchObject({ code: 2 });
      expect(first.stderr).toContain('line 31/31 (100.0%)');
      expect(JSON.parse(first.stdout)).toMatchObject({ status: 'COMPLETED', imported: 30, rejected: 1, rejections: [{ line: 31, errors: [{ field: 'line' }] }] });
      const mid = await state();
      expect(mid.dossiers - before.dossiers).toBe(30);
      const second = await runCli(file, args);
      expect(JSON.parse(second.stdout)).toMatchObject({ imported: 30, rejected: 1 });
      expect(await state()).toEqual(mid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should refuse CLI usage errors with exit 64 (no unit or admin, bad chunk, unknown option) and an unreadable file with 66, recording no job', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'usage.ndjson');
      writeFileSync(file, importLine(0, 'online', '260317') + '\n');
      const jobs = async () => Number((await pg.query(`SELECT count(*)::int AS n FROM intake.import_job`)).rows[0].n);
      const before = { state: await state(), jobs: await jobs() };
      const usage: [string[], string][] = [
        [['--officer', 'importer-cli'], '--unit'],
        [['--officer', 'importer-cli', '--unit', FIX.unit, '--chunk', 'abc'], '--chunk'],
        [['--officer', 'importer-cli', '--unit', FIX.unit, '--chunk', '0'], '--chunk'],
        [['--officer', 'importer-cli', '--unit', FIX.unit, '--chunck', '10'], 'unknown option --chunck'],
      ];
      for (const [args, says] of usage) {
        const r = await runCli(file, args);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 64, stderr: expect.stringContaining(says) });
      }
      const missing = await runCli(path.join(dir, 'khong-co.ndjson'), ['--officer', 'importer-cli', '--unit', FIX.unit]);
      expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 66, stderr: expect.stringContaining('cannot read') });
      expect({ state: await state(), jobs: await jobs() }).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should count lines as the CLI does, a final line ending making no line, and answer 400 body for an empty file', async () => {
    const lines = Array.from({ length: 3 }, (_, i) => importLine(i, 'online', '260308'));
    const withFinalNewline = await call(url, 'POST', '/imports', { token, rawBody: lines.join('\n') + '\n', contentType: NDJSON });
    expect(withFinalNewline.body).toMatchObject({ status: 'COMPLETED', totalLines: 3, nextLine: 4, imported: 3, rejected: 0 });
    const crlf = await call(url, 'POST', '/imports', { token, rawBody: lines.join('\r\n') + '\r\n', contentType: NDJSON });
    expect(crlf.body).toMatchObject({ status: 'COMPLETED', totalLines: 3, imported: 0, duplicates: 3, rejected: 0 });
    const noFinalNewline = await call(url, 'POST', '/imports', { token, rawBody: lines.join('\n'), contentType: NDJSON });
    expect(noFinalNewline.body).toMatchObject({ status: 'COMPLETED', totalLines: 3, imported: 0, duplicates: 3, rejected: 0, blankLines: 0 });
    // blank lines inside the file are lines too, and the report says where they went (round 8: the totals did not add up)
    const withBlanks = await call(url, 'POST', '/imports', { token, rawBody: [lines[0], '', lines[1], '   ', lines[2]].join('\n'), contentType: NDJSON });
    expect(withBlanks.body).toMatchObject({ status: 'COMPLETED', totalLines: 5, imported: 0, duplicates: 3, rejected: 0, blankLines: 2 });

    const empty = await call(url, 'POST', '/imports', { token, rawBody: '', contentType: NDJSON });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect(empty.body).toMatchObject({ errors: [{ field: 'body' }] });

    const dir = tempDir();
    try {
      // The CLI counts the same bytes the same way, and shares the job (same hash, same unit).
      const file = path.join(dir, 'three.ndjson');
      writeFileSync(file, lines.join('\n') + '\n');
      const cli = await runCli(file, ['--officer', 'importer-cli', '--unit', FIX.unit]);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ jobId: withFinalNewline.body['jobId'], totalLines: 3 });
      const emptyFile = path.join(dir, 'empty.ndjson');
      writeFileSync(emptyFile, '');
      const cliEmpty = await runCli(emptyFile, ['--officer', 'importer-cli', '--unit', FIX.unit]);
      expect({ code: cliEmpty.code, stderr: cliEmpty.stderr }).toEqual({ code: 65, stderr: expect.stringContaining('is empty') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Round 4: the CLI read lines with readline, which also ends a line at a lone CR (JSON whitespace): a valid line
  // was cut in two and rejected, and totalLines differed from the API's.
  it('should split lines in the CLI as the API does: a lone CR inside a line is no line ending', async () => {
    const withCr = (i: number) => importLine(i, 'online', '260320').replace(',"unitCode"', ',\r"unitCode"');
    const body = `${withCr(0)}\r\n${withCr(1)}\n`;
    const dir = tempDir();
    try {
      const file = path.join(dir, 'cr.ndjson');
      writeFileSync(file, body);
      const cli = await runCli(file, ['--officer', 'importer-cli', '--unit', FIX.unit]);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ status: 'COMPLETED', totalLines: 2, imported: 2, rejected: 0 });
      const api = await call(url, 'POST', '/imports', { token: tokenFor({ unitId: FIX.unit, officerId: 'quan-tri-03', roles: ['officer', 'admin'] }), rawBody: body, contentType: NDJSON });
      expect(api.body).toMatchObject({ status: 'COMPLETED', totalLines: 2, imported: 0, duplicates: 2, rejected: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should ignore a UTF-8 BOM at the start of the file, in the API and in the CLI', async () => {
    const before = await state();
    const api = await call(url, 'POST', '/imports', { token, rawBody: '\uFEFF' + [importLine(0, 'online', '260309'), importLine(1, 'online', '260309')].join('\n') + '\n', contentType: NDJSON });
    expect(api.body).toMatchObject({ status: 'COMPLETED', totalLines: 2, imported: 2, rejected: 0 });
    const dir = tempDir();
    try {
      const file = path.join(dir, 'bom.ndjson');
      writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([importLine(2, 'online', '260309'), importLine(3, 'online', '260309')].join('\n') + '\n')]));
      const cli = await runCli(file, ['--officer', 'importer-cli', '--unit', FIX.unit]);
      expect({ code: cli.code, report: JSON.parse(cli.stdout) }).toMatchObject({ code: 0, report: { status: 'COMPLETED', totalLines: 2, imported: 2, rejected: 0 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await state()).dossiers - before.dossiers).toBe(4);
  });

  it('should exit 130 on SIGINT and 143 on SIGTERM, saying where to resume, and resume on the next run', async () => {
    const n = 3000;
    const dir = tempDir();
    try {
      const file = path.join(dir, 'big.ndjson');
      writeFileSync(file, Array.from({ length: n }, (_, i) => importLine(i, 'online', '260311')).join('\n') + '\n');
      const args = ['--officer', 'importer-cli', '--unit', FIX.unit, '--chunk', '10'];
      const before = await state();

      const first = await runCli(file, args, (child) => child.kill('SIGINT'));
      expect({ code: first.code, signal: first.signal }).toEqual({ code: 130, signal: null });
      const r1 = JSON.parse(first.stdout) as { jobId: string; status: string; nextLine: number; imported: number };
      expect(r1.status).toBe('RUNNING');
      expect(r1.nextLine).toBeLessThan(n);
      expect(first.stderr).toContain(`interrupted (SIGINT) at line ${r1.nextLine - 1}/${n}`);
      expect(first.stderr).toContain(`run the same command again to resume at line ${r1.nextLine}`);
      expect((await state()).dossiers - before.dossiers).toBe(r1.imported);

      const second = await runCli(file, args, (child) => child.kill('SIGTERM'));
      expect({ code: second.code, signal: second.signal }).toEqual({ code: 143, signal: null });
      const r2 = JSON.parse(second.stdout) as typeof r1;
      expect(r2).toMatchObject({ jobId: r1.jobId, status: 'RUNNING' });
      expect(r2.nextLine).toBeGreaterThan(r1.nextLine);
      expect(second.stderr).toContain('interrupted (SIGTERM)');

      const third = await runCli(file, args);
      expect(third.code).toBe(0);
      expect(JSON.parse(third.stdout)).toMatchObject({ jobId: r1.jobId, status: 'COMPLETED', totalLines: n, imported: n, duplicates: 0, rejected: 0 });
      expect((await state()).dossiers - before.dossiers).toBe(n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
