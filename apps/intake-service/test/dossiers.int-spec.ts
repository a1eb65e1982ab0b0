import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEvent, parsePublicEvent } from '@onestop/contracts';
import { eventually } from '@onestop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, collectTopic, provisionInfra, startApp, tokenFor, type Infra } from './support/harness';
import { FIX, applicant, counterBody, onlineBody } from './support/fixtures';

describe('intake-service HTTP API (real Postgres and Kafka)', () => {
  let infra: Infra;
  let app: NestFastifyApplication;
  let url: string;
  let pg: Client;
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-01' });
  const otherToken = tokenFor({ unitId: FIX.otherUnit, officerId: 'can-bo-99' });
  const count = async (table: string): Promise<number> => Number((await pg.query(`SELECT count(*)::int AS n FROM intake.${table}`)).rows[0].n);
  const state = async () => ({ dossiers: await count('dossier'), events: await count('dossier_event'), outbox: await count('outbox'), audit: await count('audit_log'), seq: await count('dossier_sequence') });

  beforeAll(async () => {
    infra = await provisionInfra('intake_api');
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

  describe('receiving at the counter and by post', () => {
    it('should receive a DIRECT dossier with its code, appointment and explanation, and audit it', async () => {
      const res = await call(url, 'POST', '/dossiers', { token, body: counterBody(), headers: { 'x-correlation-id': 'c0ffee00-a1b2-4abc-8def-d1e2f3a4b5c6' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ channel: 'DIRECT', status: 'RECEIVED', unitCode: FIX.unit, procedureCode: FIX.procedure, receivedBy: 'can-bo-01' });
      expect(res.body['code']).toMatch(new RegExp(`^${FIX.unit.replace(/\./g, '\\.')}-\\d{6}-\\d{4}$`));
      expect(res.body['dueAt']).toEqual(res.body['originalDueAt']);
      expect(new Date(res.body['dueAt'] as string).getTime()).toBeGreaterThan(new Date(res.body['receivedAt'] as string).getTime());
      expect((res.body['dueExplanation'] as string[]).length).toBeGreaterThan(0);
      expect(res.headers.get('x-correlation-id')).toBe('c0ffee00-a1b2-4abc-8def-d1e2f3a4b5c6');
      const audit = await pg.query(`SELECT actor, unit_id, action, target, ip, correlation_id FROM intake.audit_log WHERE target = $1`, [res.body['code']]);
      expect(audit.rows).toEqual([{ actor: 'can-bo-01', unit_id: FIX.unit, action: 'dossier.receive', target: res.body['code'], ip: '127.0.0.1', correlation_id: 'c0ffee00-a1b2-4abc-8def-d1e2f3a4b5c6' }]);
      const outbox = await pg.query(`SELECT type, aggregate_id, envelope, public_envelope FROM intake.outbox WHERE aggregate_id = $1`, [res.body['code']]);
      expect(outbox.rows).toHaveLength(1);
      expect(() => parseEvent(outbox.rows[0].envelope)).not.toThrow();
      expect(() => parsePublicEvent(outbox.rows[0].public_envelope)).not.toThrow();
      expect(outbox.rows[0].public_envelope.payload.applicant).toBeUndefined();
    });

    // black-box round 8: a caller's X-Correlation-Id holding the applicant's name and phone was published as it came
    it("should not publish a caller's correlation id that is not an opaque id: a fresh UUID is echoed, audited and published", async () => {
      const typed = 'Le-Thi-Hoa-0903110028';
      const res = await call(url, 'POST', '/dossiers', { token, body: counterBody(), headers: { 'x-correlation-id': typed } });
      expect(res.status).toBe(201);
      const chosen = res.headers.get('x-correlation-id')!;
      expect(chosen).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const outbox = await pg.query(`SELECT envelope, public_envelope FROM intake.outbox WHERE aggregate_id = $1`, [res.body['code']]);
      expect(outbox.rows.map((r) => [r.envelope.correlationId, r.public_envelope.correlationId])).toEqual([[chosen, chosen]]);
      expect(JSON.stringify(outbox.rows)).not.toContain('0903110028');
      // black-box round 9: a phone number split into digit groups passed as "hexadecimal groups", and so did a UUID
      // whose digits spell it
      const send = async (smuggled: string): Promise<string> => {
        const r = await call(url, 'POST', '/dossiers', { token, body: counterBody(), headers: { 'x-correlation-id': smuggled } });
        expect(r.status).toBe(201);
        const used = r.headers.get('x-correlation-id')!;
        expect(used).not.toBe(smuggled);
        const rows = await pg.query(`SELECT envelope, public_envelope FROM intake.outbox WHERE aggregate_id = $1`, [r.body['code']]);
        expect(rows.rows.map((x) => [x.envelope.correlationId, x.public_envelope.correlationId])).toEqual([[used, used]]);
        return used;
      };
      await send('0912-345-678');
      // a stand-in derived from a UUID that spells a number never spells one itself (a fresh random UUID may, by chance)
      expect((await send('09123456-7800-4abc-8def-a1b2c3d4e5f6')).replace(/-/g, '')).not.toMatch(/\d{9}/);
    });

    it('should receive a POSTAL dossier keeping the postal submission time', async () => {
      const submittedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
      const res = await call(url, 'POST', '/dossiers', { token, body: counterBody({ channel: 'POSTAL', submittedAt }) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ channel: 'POSTAL', status: 'RECEIVED' });
      expect(new Date(res.body['submittedAt'] as string).toISOString()).toBe(submittedAt);
    });

    it('should give consecutive, unique codes per unit and day when 40 receipts race', async () => {
      const results = await Promise.all(Array.from({ length: 40 }, () => call(url, 'POST', '/dossiers', { token, body: counterBody() })));
      expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
      const codes = results.map((r) => String(r.body['code']));
      expect(new Set(codes).size).toBe(40);
      // numbered per unit and Vietnam day: grouped by the code's date, should the burst straddle midnight
      const byDay = new Map<string, number[]>();
      for (const code of codes) {
        const parts = code.split('-');
        const day = parts.slice(0, -1).join('-');
        byDay.set(day, [...(byDay.get(day) ?? []), Number(parts.at(-1))]);
      }
      for (const seqs of byDay.values()) {
        seqs.sort((a, b) => a - b);
        expect(seqs.at(-1)! - seqs[0]!).toBe(seqs.length - 1);
      }
    });

    it('should serve the receipt as JSON and as printable Vietnamese HTML with every value escaped', async () => {
      const created = await call(url, 'POST', '/dossiers', { token, body: counterBody({ applicant: { ...counterBody().applicant, fullName: 'Trần <script>alert(1)</script> Thị B' } }) });
      const code = created.body['code'] as string;
      const json = await call(url, 'GET', `/dossiers/${code}/receipt`, { token });
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', dossierCode: code, dueAt: created.body['dueAt'] });
      expect((json.body['components'] as unknown[]).length).toBe(FIX.requiredComponents.length);
      const html = await call(url, 'GET', `/dossiers/${code}/receipt.html`, { token });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(html.text).toContain(code);
      expect(html.text).toContain('&lt;script&gt;');
      expect(html.text).not.toContain('<script>');
    });

    it('should explain the appointment in Vietnamese on the printed receipt (clock start, limit, days off), keeping the English steps in the JSON', async () => {
      // Friday 21:19 after closing; Sat 25, Sun 26 (Giỗ Tổ) and Mon 27 (make-up day) are off: the clock starts Tue 07:00.
      const created = await call(url, 'POST', '/dossiers', { token, body: counterBody({ receivedAt: '2026-04-24T21:19:30+07:00' }) });
      expect(created.status).toBe(201);
      const code = created.body['code'] as string;
      const json = await call<{ dueExplanation: string[]; dueExplanationVi: string[] }>(url, 'GET', `/dossiers/${code}/receipt`, { token });
      expect(json.body.dueExplanation.join(' ')).toContain('rolled forward');
      expect(json.body.dueExplanationVi).toEqual([
        'Hồ sơ được tiếp nhận lúc 21:19 Thứ Sáu, 24/04/2026.',
        'Hồ sơ tiếp nhận sau giờ làm việc (17:00) nên thời hạn được tính từ 07:00 Thứ Ba, 28/04/2026.',
        'Thời hạn giải quyết: 8 giờ làm việc.',
        'Không tính các ngày nghỉ: Thứ Bảy, 25/04/2026 (nghỉ hằng tuần); Chủ nhật, 26/04/2026 (Giỗ Tổ Hùng Vương 10/3 âm lịch); Thứ Hai, 27/04/2026 (Nghỉ bù Giỗ Tổ Hùng Vương).',
      ]);
      const html = await call(url, 'GET', `/dossiers/${code}/receipt.html`, { token });
      expect(html.status).toBe(200);
      expect(html.text).toContain('28/04/2026 17:00');
      expect(html.text).toContain('Cách tính: Hồ sơ được tiếp nhận lúc 21:19 Thứ Sáu, 24/04/2026.');
      expect(html.text).toContain('Nghỉ bù Giỗ Tổ Hùng Vương');
      // runs always (not a skipped test): 'Skipped' is an English explanation word the Vietnamese receipt must not print
      for (const english of ['Received', 'rolled forward', 'Skipped', 'working hour', 'Limit', 'due date', 'Clock']) expect(html.text).not.toContain(english);
    });

    it('should record digitised, reused and repository components and show them in the history', async () => {
      const created = await call(url, 'POST', '/dossiers', { token, body: counterBody() });
      const code = created.body['code'] as string;
      const [c1, c2] = FIX.requiredComponents;
      const res = await call(url, 'POST', `/dossiers/${code}/components`, {
        token,
        body: { components: [{ code: c1, digitised: true, fileRef: 'scan://a.pdf' }, { code: c2, reused: true, fromRepository: true }] },
      });
      expect(res.status).toBe(200);
      const comps = res.body['components'] as { code: string; digitised: boolean; reused: boolean; fromRepository: boolean }[];
      expect(comps.find((x) => x.code === c1)).toMatchObject({ digitised: true });
      expect(comps.find((x) => x.code === c2)).toMatchObject({ reused: true, fromRepository: true });
      const history = await call<{ type: string; seq: number }[]>(url, 'GET', `/dossiers/${code}/history`, { token });
      expect(history.body.map((h) => h.type)).toEqual(['DossierReceived', 'ComponentDigitised', 'DataReused']);
      expect(history.body.map((h) => h.seq)).toEqual([1, 2, 3]);
    });
  });

  describe('online submissions', () => {
    // black-box round 10: the receipt told every citizen to fetch the result at the counter and was signed with an id
    it("should keep the citizen's choice of result delivery and the receiving officer's name, and print both on the receipt", async () => {
      const noAddress = await call(url, 'POST', '/dossiers', { token, body: counterBody({ resultDelivery: 'POST', applicant: applicant({ address: undefined }) }) });
      expect(noAddress.status).toBe(400);
      expect(noAddress.body['errors']).toEqual([{ field: 'applicant.address', message: 'is required when the result is sent by post (resultDelivery POST)' }]);
      const post = await call(url, 'POST', '/dossiers', { token, body: counterBody({ channel: 'POSTAL', resultDelivery: 'POST' }) });
      expect(post.status).toBe(201);
      expect(post.body).toMatchObject({ resultDelivery: 'POST', receivedBy: 'can-bo-01', receivedByName: 'Nguyễn Văn Cán Bộ' });
      const html = await fetch(`${url}/dossiers/${post.body['code'] as string}/receipt.html`, { headers: { authorization: `Bearer ${token}` } });
      const page = await html.text();
      expect(page).toContain('4. Hình thức nhận kết quả: Qua dịch vụ bưu chính công ích, gửi đến địa chỉ: Số 1 Phố Huế, Phường Ba Đình, Hà Nội');
      expect(page).toContain('<br><br><br>Nguyễn Văn Cán Bộ</div>');
      // the default is the counter; an online submission accepted later: its choice kept, the accepting officer named
      expect((await call(url, 'POST', '/dossiers', { token, body: counterBody() })).body).toMatchObject({ resultDelivery: 'COUNTER' });
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ resultDelivery: 'ONLINE' }) });
      expect(sub.body).toMatchObject({ resultDelivery: 'ONLINE', receivedByName: null });
      const acc = await call(url, 'POST', `/dossiers/${sub.body['code'] as string}/accept`, { token, body: {} });
      expect(acc.body).toMatchObject({ status: 'RECEIVED', resultDelivery: 'ONLINE', receivedByName: 'Nguyễn Văn Cán Bộ' });
      const receipt = await call<{ resultDeliveryMode: string; resultDelivery: string }>(url, 'GET', `/dossiers/${sub.body['code'] as string}/receipt`, { token });
      expect(receipt.body.resultDeliveryMode).toBe('ONLINE');
      expect(receipt.body.resultDelivery).toMatch(/^Trực tuyến/);
      expect((await call(url, 'POST', '/dossiers', { token, body: counterBody({ resultDelivery: 'DRONE' }) })).status).toBe(400);
    });

    it('should register an online submission, then accept it with an appointment computed at acceptance', async () => {
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ externalRef: `portal-${randomUUID()}` }) });
      expect(sub.status).toBe(201);
      expect(sub.body).toMatchObject({ channel: 'ONLINE', status: 'SUBMITTED', dueAt: null, receivedAt: null });
      const code = sub.body['code'] as string;
      const receipt = await call(url, 'GET', `/dossiers/${code}/receipt`, { token });
      expect(receipt.status).toBe(409);
      const acc = await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: {} });
      expect(acc.status).toBe(200);
      expect(acc.body).toMatchObject({ status: 'RECEIVED', receivedBy: 'can-bo-01' });
      expect(acc.body['dueAt']).not.toBeNull();
      const again = await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: {} });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      const history = await call<{ type: string; payload: Record<string, unknown> }[]>(url, 'GET', `/dossiers/${code}/history`, { token });
      expect(history.body.map((h) => h.type)).toEqual(['DossierSubmitted', 'DossierReceived']);
      expect(history.body.map((h) => h.payload['dossierId'])).toEqual([code, code]);
      expect(history.body[1]!.payload).toMatchObject({ receivingUnitId: FIX.unit, procedureCode: FIX.procedure, channel: 'ONLINE', dueAt: acc.body['dueAt'] });
    });

    it('should reject an online submission at intake with the reason', async () => {
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody() });
      const code = sub.body['code'] as string;
      const rej = await call(url, 'POST', `/dossiers/${code}/reject`, { token, body: { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết' } });
      expect(rej.status).toBe(200);
      expect(rej.body).toMatchObject({ status: 'INTAKE_REJECTED', rejectionReason: 'Hồ sơ không thuộc thẩm quyền giải quyết' });
      expect(rej.body['rejectedAt']).not.toBeNull();
      const acc = await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: {} });
      expect(acc.status).toBe(409);
      const comps = await call(url, 'POST', `/dossiers/${code}/components`, { token, body: { components: [{ code: FIX.requiredComponents[0], digitised: true }] } });
      expect(comps.status).toBe(409);
    });

    it('should refuse a refusal or an acceptance dated before the submission, naming the field and changing nothing', async () => {
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody() });
      const code = sub.body['code'] as string;
      const before = await state();
      const earlier = new Date(new Date(sub.body['submittedAt'] as string).getTime() - 86_400_000).toISOString();
      const rej = await call(url, 'POST', `/dossiers/${code}/reject`, { token, body: { reason: 'Hồ sơ thiếu chữ ký', rejectedAt: earlier } });
      expect(rej.status).toBe(400);
      expect(rej.headers.get('content-type')).toContain('application/problem+json');
      expect(rej.body).toMatchObject({ errors: [{ field: 'rejectedAt', message: expect.stringContaining('before the submission') }] });
      const acc = await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: { receivedAt: earlier } });
      expect(acc.status).toBe(400);
      expect(acc.body).toMatchObject({ errors: [{ field: 'receivedAt' }] });
      expect(await state()).toEqual(before);
      expect((await call(url, 'GET', `/dossiers/${code}`, { token })).body).toMatchObject({ status: 'SUBMITTED', rejectedAt: null });
    });

    it('should number a back-dated portal submission on the day it was submitted (Vietnam time), not on the day it is registered', async () => {
      // 06:30 Vietnam time (UTC+7) three days ago, i.e. 23:30 UTC of the day before: the code carries the Vietnam date
      const vnDay = new Date(Date.now() + 7 * 3_600_000 - 3 * 86_400_000); // its UTC fields read as the Vietnam date
      const submittedAt = new Date(Date.UTC(vnDay.getUTCFullYear(), vnDay.getUTCMonth(), vnDay.getUTCDate(), 6, 30) - 7 * 3_600_000);
      const yymmdd = `${String(vnDay.getUTCFullYear()).slice(2)}${String(vnDay.getUTCMonth() + 1).padStart(2, '0')}${String(vnDay.getUTCDate()).padStart(2, '0')}`;
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ submittedAt: submittedAt.toISOString() }) });
      expect(sub.status).toBe(201);
      expect(sub.body['code']).toMatch(new RegExp(`^${FIX.unit.replace(/\./g, '\\.')}-${yymmdd}-\\d{4}$`));
    });

    it('should answer 409 when the portal registers the same external reference twice', async () => {
      const externalRef = `portal-${randomUUID()}`;
      expect((await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ externalRef }) })).status).toBe(201);
      const dup = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ externalRef }) });
      expect(dup.status).toBe(409);
      expect(dup.headers.get('content-type')).toContain('application/problem+json');
      expect(dup.body).toMatchObject({ status: 409, field: 'externalRef', errors: [{ field: 'externalRef', message: expect.stringContaining(externalRef) }] });
    });

    it('should take Vietnamese text in NFC: the same external reference typed decomposed (NFD) is the same submission (409), names are stored composed', async () => {
      const externalRef = `DVCQG-HỒSƠ-${randomUUID()}`;
      const first = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ externalRef, applicant: applicant({ fullName: 'Hoàng Thị Ngọc Ánh'.normalize('NFD') }) }) });
      expect(first.status).toBe(201);
      const dup = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ externalRef: externalRef.normalize('NFD') }) });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ field: 'externalRef' });
      const stored = await pg.query(`SELECT applicant->>'fullName' AS name, external_ref FROM intake.dossier WHERE code = $1`, [first.body['code']]);
      expect(stored.rows[0]).toEqual({ name: 'Hoàng Thị Ngọc Ánh', external_ref: externalRef });
      expect(stored.rows[0].name).toHaveLength('Hoàng Thị Ngọc Ánh'.length);
    });

    it('should name the field at fault in errors[] of every 409, keeping dossierStatus', async () => {
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody() });
      const code = sub.body['code'] as string;
      const receipt = await call(url, 'GET', `/dossiers/${code}/receipt`, { token });
      expect(receipt.status).toBe(409);
      expect(receipt.body).toMatchObject({ dossierStatus: 'SUBMITTED', errors: [{ field: 'status', message: expect.stringContaining('SUBMITTED') }] });
      expect((await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: {} })).status).toBe(200);
      const twice = await call(url, 'POST', `/dossiers/${code}/accept`, { token, body: {} });
      expect(twice.status).toBe(409);
      expect(twice.headers.get('content-type')).toContain('application/problem+json');
      expect(twice.body).toMatchObject({ dossierStatus: 'RECEIVED', errors: [{ field: 'status', message: expect.stringContaining('RECEIVED') }] });

      const other = await call(url, 'POST', '/online-submissions', { token, body: onlineBody() });
      const rejected = other.body['code'] as string;
      expect((await call(url, 'POST', `/dossiers/${rejected}/reject`, { token, body: { reason: 'Sai thẩm quyền' } })).status).toBe(200);
      const comps = await call(url, 'POST', `/dossiers/${rejected}/components`, { token, body: { components: [{ code: FIX.requiredComponents[0], digitised: true }] } });
      expect(comps.status).toBe(409);
      expect(comps.body).toMatchObject({ dossierStatus: 'INTAKE_REJECTED', errors: [{ field: 'status', message: expect.stringContaining('INTAKE_REJECTED') }] });
    });
  });

  describe('idempotent retries', () => {
    it('should replay the first answer for the same key and body, creating nothing new', async () => {
      const key = randomUUID();
      const body = counterBody();
      const first = await call(url, 'POST', '/dossiers', { token, body, idempotencyKey: key });
      const before = await state();
      const retry = await call(url, 'POST', '/dossiers', { token, body, idempotencyKey: key });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await state()).toEqual(before);
    });

    it('should answer 422 for the same key with a different body, creating nothing', async () => {
      const key = randomUUID();
      await call(url, 'POST', '/dossiers', { token, body: counterBody(), idempotencyKey: key });
      const before = await state();
      const res = await call(url, 'POST', '/dossiers', { token, body: counterBody({ channel: 'POSTAL' }), idempotencyKey: key });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
      expect(await state()).toEqual(before);
    });

    it('should require an Idempotency-Key on every POST', async () => {
      const before = await state();
      const res = await call(url, 'POST', '/dossiers', { token, body: counterBody(), idempotencyKey: null });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
      expect(await state()).toEqual(before);
    });
  });

  describe('security: officers act only for their own unit', () => {
    it('should answer 401 without a valid token', async () => {
      expect((await call(url, 'POST', '/dossiers', { body: counterBody() })).status).toBe(401);
      expect((await call(url, 'GET', '/dossiers/x', { token: token.slice(0, -3) + 'abc' })).status).toBe(401);
    });

    it('should answer 403 when an officer receives for another unit, changing nothing', async () => {
      const before = await state();
      const res = await call(url, 'POST', '/dossiers', { token: otherToken, body: counterBody() });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 403, errors: [{ field: 'unitCode' }] });
      expect(await state()).toEqual(before);
    });

    it("should answer 403 when an officer reads, accepts or rejects another unit's dossier", async () => {
      const sub = await call(url, 'POST', '/online-submissions', { token, body: onlineBody() });
      const code = sub.body['code'] as string;
      expect((await call(url, 'GET', `/dossiers/${code}`, { token: otherToken })).status).toBe(403);
      expect((await call(url, 'GET', `/dossiers/${code}/history`, { token: otherToken })).status).toBe(403);
      expect((await call(url, 'POST', `/dossiers/${code}/accept`, { token: otherToken, body: {} })).status).toBe(403);
      expect((await call(url, 'POST', `/dossiers/${code}/reject`, { token: otherToken, body: { reason: 'không hợp lệ' } })).status).toBe(403);
      expect((await call(url, 'GET', `/dossiers/${code}`, { token })).body).toMatchObject({ status: 'SUBMITTED' });
    });
  });

  describe('bad input → application/problem+json naming the field, nothing changed', () => {
    const cases: [string, () => Parameters<typeof call>[3], number, string][] = [
      ['malformed JSON', () => ({ token, rawBody: '{"channel": "DIRECT",' }), 400, 'body'],
      ['a schema violation', () => ({ token, body: counterBody({ applicant: { type: 'CITIZEN', idNumber: '001099012345', phone: '0912345678' } }) }), 400, 'applicant.fullName'],
      ['an applicant name of blanks only (round 4)', () => ({ token, body: counterBody({ applicant: { ...counterBody().applicant, fullName: '   ' } }) }), 400, 'applicant.fullName'],
      ['an applicant name of invisible characters only (round 7)', () => ({ token, body: counterBody({ applicant: { ...counterBody().applicant, fullName: '\u200b\u200b' } }) }), 400, 'applicant.fullName'],
      ['an address of invisible characters only (round 7)', () => ({ token, body: counterBody({ applicant: { ...counterBody().applicant, address: '\u200b\ufeff\u200b' } }) }), 400, 'applicant.address'],
      ['an unknown procedure', () => ({ token, body: counterBody({ procedureCode: '9.999999' }) }), 422, 'procedureCode'],
      ['an unknown unit', () => ({ token: tokenFor({ unitId: '999.99.99.H99' }), body: counterBody({ unitCode: '999.99.99.H99' }) }), 422, 'unitCode'],
      ['missing required components', () => ({ token, body: counterBody({ components: [{ code: FIX.requiredComponents[0] }] }) }), 422, 'components'],
      ['a component of another procedure', () => ({ token, body: counterBody({ components: [...counterBody().components, { code: 'NOT-A-COMPONENT' }] }) }), 422, `components[${FIX.requiredComponents.length}].code`],
      ['a receipt date in the future', () => ({ token, body: counterBody({ receivedAt: new Date(Date.now() + 86_400_000).toISOString() }) }), 400, 'receivedAt'],
      ['an oversize body', () => ({ token, body: counterBody({ applicant: { ...counterBody().applicant, address: 'x'.repeat(70_000) } }) }), 413, 'body'],
      ['a wrong content type', () => ({ token, rawBody: 'channel=DIRECT', contentType: 'text/plain' }), 415, 'content-type'],
      ['a form-encoded body', () => ({ token, rawBody: 'channel=DIRECT', contentType: 'application/x-www-form-urlencoded' }), 415, 'content-type'],
    ];
    it('should refuse an online submission whose name or address is made of invisible characters only, naming both (round 7)', async () => {
      const before = await state();
      const res = await call(url, 'POST', '/online-submissions', { token, body: onlineBody({ applicant: { ...onlineBody().applicant, fullName: '\u200b\u200b', address: '\u200b \u200b' } }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect([...new Set((res.body['errors'] as { field: string }[]).map((e) => e.field))].sort()).toEqual(['applicant.address', 'applicant.fullName']);
      expect(await state()).toEqual(before);
    });

    it.each(cases)('should refuse %s', async (_name, opts, status, field) => {
      const before = await state();
      const res = await call(url, 'POST', '/dossiers', opts());
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status, errors: expect.arrayContaining([expect.objectContaining({ field })]) });
      expect(await state()).toEqual(before);
    });

    it('should report only the unit when the unit is unknown and the procedure is valid', async () => {
      const admin = tokenFor({ unitId: FIX.unit, officerId: 'admin-01', roles: ['officer', 'admin'] });
      const before = await state();
      const res = await call(url, 'POST', '/dossiers', { token: admin, body: counterBody({ unitCode: '01.99999' }) });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body['errors']).toEqual([{ field: 'unitCode', message: 'unknown one-stop unit 01.99999' }]);
      const both = await call(url, 'POST', '/dossiers', { token: admin, body: counterBody({ unitCode: '01.99999', procedureCode: '9.999999' }) });
      expect(both.status).toBe(422);
      expect((both.body['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['unitCode', 'procedureCode']);
      expect(await state()).toEqual(before);
    });

    // Round 4: U+0000 / a lone surrogate passed the schema and failed at the INSERT (Postgres cannot store them): 500.
    it.each([
      ['POST /dossiers, U+0000 in the name', '/dossiers', () => JSON.stringify(counterBody()).replace('"fullName":"', '"fullName":"Lan\\u0000'), 'applicant.fullName'],
      ['POST /dossiers, a lone surrogate in the address', '/dossiers', () => JSON.stringify(counterBody()).replace('"address":"', '"address":"\\ud800'), 'applicant.address'],
      ['POST /online-submissions, U+0000 in externalRef', '/online-submissions', () => JSON.stringify(onlineBody({ externalRef: 'dvc\u0000' })), 'externalRef'],
    ])('should refuse %s with 400 naming the field, changing nothing', async (_name, path, raw, field) => {
      const before = await state();
      const res = await call(url, 'POST', path, { token, rawBody: raw() });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body['errors']).toEqual([expect.objectContaining({ field })]);
      expect(await state()).toEqual(before);
    });

    it('should answer 404, not 500, for a dossier code holding U+0000, on reads and writes', async () => {
      for (const [method, path] of [['GET', '/dossiers/a%00b'], ['GET', '/dossiers/a%00b/receipt.html'], ['POST', '/dossiers/a%00b/accept']] as const) {
        const res = await call(url, method, path, { token, ...(method === 'POST' ? { body: {} } : {}) });
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('should answer 404 problem for an unknown dossier', async () => {
      const res = await call(url, 'GET', `/dossiers/${FIX.unit}-200101-9999`, { token });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('operations', () => {
    it('should serve liveness, readiness with the relay backlog, metrics and the OpenAPI document', async () => {
      expect((await call(url, 'GET', '/health/live')).status).toBe(200);
      const ready = await call(url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, outboxRelay: { status: 'up' } } });
      const metrics = await call(url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('intake_http_requests_total');
      expect(metrics.text).toMatch(/intake_outbox_backlog\{[^}]*\} \d+/);
      expect(metrics.text).toContain('intake_outbox_published_total');
      const docs = await call(url, 'GET', '/docs-json');
      expect(docs.status).toBe(200);
      expect(Object.keys((docs.body as { paths: object }).paths)).toEqual(expect.arrayContaining(['/dossiers', '/online-submissions', '/dossiers/{code}/receipt.html', '/imports']));
      expect((await call(url, 'GET', '/docs')).status).toBe(200);
    });

    // Round 4: the OpenAPI document left out answers the service gives (the 200 of every action, 401, 404, 409).
    it('should document in OpenAPI the answers each route gives', async () => {
      const paths = ((await call(url, 'GET', '/docs-json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }).paths;
      const documented = (path: string, method: string) => Object.keys(paths[path]?.[method]?.responses ?? {});
      for (const action of ['accept', 'reject', 'withdrawals', 'components']) {
        expect(documented(`/dossiers/{code}/${action}`, 'post')).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '422']));
      }
      expect(documented('/dossiers', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '403', '422']));
      for (const read of ['', '/history', '/receipt', '/receipt.html']) {
        expect(documented(`/dossiers/{code}${read}`, 'get')).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
      }
      expect(documented('/dossiers/{code}/receipt', 'get')).toContain('409');
      expect(documented('/imports', 'post')).toEqual(expect.arrayContaining(['200', '400', '401', '415', '422']));
      expect(documented('/imports/{id}', 'get')).toEqual(expect.arrayContaining(['200', '400', '404']));
    });

    it('should publish every committed event to the internal and the public topic, keyed by dossier code', async () => {
      const created = await call(url, 'POST', '/dossiers', { token, body: counterBody() });
      const code = created.body['code'] as string;
      const sink = await collectTopic([infra.topics.internal, infra.topics.public]);
      try {
        const found = await eventually(() => {
          const mine = sink.messages.filter((m) => m.key === code);
          return mine.length === 2 ? mine : undefined;
        }, 'both projections of the DossierReceived event', { timeoutMs: 30_000 });
        const internal = found.find((m) => m.topic === infra.topics.internal)!;
        const pub = found.find((m) => m.topic === infra.topics.public)!;
        expect(internal.value['id']).toBe(pub.value['id']);
        expect(internal.headers['event-id']).toBe(internal.value['id']);
        expect((internal.value['payload'] as Record<string, unknown>)['applicant']).toBeDefined();
        expect((pub.value['payload'] as Record<string, unknown>)['applicant']).toBeUndefined();
        await eventually(async () => (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n === 0, 'an empty backlog');
      } finally {
        await sink.stop();
      }
    });
  });
});
