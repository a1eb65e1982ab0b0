import { parseEvent, parsePublicEvent } from '@onestop/contracts';
import { reduceEventsToLeaves } from '@onestop/domain';
import { eventually } from '@onestop/testing';
import { randomUUID } from 'node:crypto';
import { call, collectTopic, tokenFor, useIntakeSuite } from './support/harness';
import { FIX, applicant, counterBody, onlineBody } from './support/fixtures';

/** Withdrawal of an online submission before it is received (domain.md §1.3: from any non-terminal state). */
describe('intake-service withdrawal of a submitted online dossier', () => {
  const s = useIntakeSuite('intake_withdraw');
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-01' });
  const otherToken = tokenFor({ unitId: FIX.otherUnit, officerId: 'can-bo-99' });

  it('should withdraw a SUBMITTED dossier once (idempotent), audit it, and publish DossierWithdrawn that never counts it as received', async () => {
    const sub = await call(s.url, 'POST', '/online-submissions', { token, body: onlineBody() });
    expect(sub.status).toBe(201);
    const code = sub.body['code'] as string;
    const key = randomUUID();
    const first = await call(s.url, 'POST', `/dossiers/${code}/withdrawals`, { token, body: { requestRef: 'DON-RUT-1', reason: 'Công dân không có nhu cầu' }, idempotencyKey: key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ code, status: 'WITHDRAWN', receivedAt: null });
    const replay = await call(s.url, 'POST', `/dossiers/${code}/withdrawals`, { token, body: { requestRef: 'DON-RUT-1', reason: 'Công dân không có nhu cầu' }, idempotencyKey: key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);

    const audit = await s.pg.query(`SELECT action, details FROM intake.audit_log WHERE target = $1 ORDER BY id`, [code]);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['dossier.submit-online', 'dossier.withdraw']);
    const history = await call<{ type: string }[]>(s.url, 'GET', `/dossiers/${code}/history`, { token });
    expect(history.body.map((h) => h.type)).toEqual(['DossierSubmitted', 'DossierWithdrawn']);

    // terminal: no accept, no second withdrawal
    const accept = await call(s.url, 'POST', `/dossiers/${code}/accept`, { token, body: {} });
    expect(accept.status).toBe(409);
    const again = await call(s.url, 'POST', `/dossiers/${code}/withdrawals`, { token, body: { requestRef: 'DON-RUT-2' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ errors: [expect.objectContaining({ field: 'status' })] });

    const sink = await collectTopic([s.infra.topics.internal, s.infra.topics.public]);
    try {
      const mine = await eventually(() => {
        const m = sink.messages.filter((x) => x.key === code);
        return m.length === 4 ? m : undefined;
      }, 'submitted + withdrawn on both topics', { timeoutMs: 30_000 });
      const internal = mine.filter((m) => m.topic === s.infra.topics.internal).map((m) => parseEvent(m.value));
      expect(internal.map((e) => e.type)).toEqual(['DossierSubmitted', 'DossierWithdrawn']);
      expect(internal[1]?.payload).toMatchObject({ dossierId: code, receivingUnitId: FIX.unit, requestRef: 'DON-RUT-1', finishedAt: expect.stringMatching(/\+07:00$/) });
      const pub = mine.filter((m) => m.topic === s.infra.topics.public).map((m) => parsePublicEvent(m.value));
      const leaves = reduceEventsToLeaves(pub);
      expect(leaves.map((l) => l.metric)).not.toContain('received');
      expect(leaves.map((l) => l.metric)).not.toContain('resolved');
    } finally {
      await sink.stop();
    }
  });

  it('should refuse a received dossier (409 status: processing-service withdraws it), another unit (403), an unknown code (404) and a bad body (400)', async () => {
    const received = await call(s.url, 'POST', '/dossiers', { token, body: counterBody() });
    const code = received.body['code'] as string;
    const before = await s.count('outbox');
    const r = await call(s.url, 'POST', `/dossiers/${code}/withdrawals`, { token, body: { requestRef: 'DON-1' } });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ dossierStatus: 'RECEIVED', errors: [expect.objectContaining({ field: 'status', message: expect.stringContaining('processing-service') })] });
    expect(await s.count('outbox')).toBe(before);

    const sub = await call(s.url, 'POST', '/online-submissions', { token, body: onlineBody() });
    const subCode = sub.body['code'] as string;
    expect((await call(s.url, 'POST', `/dossiers/${subCode}/withdrawals`, { token: otherToken, body: { requestRef: 'DON-2' } })).status).toBe(403);
    expect((await call(s.url, 'POST', `/dossiers/${FIX.unit}-260101-9999/withdrawals`, { token, body: { requestRef: 'DON-3' } })).status).toBe(404);
    const bad = await call(s.url, 'POST', `/dossiers/${subCode}/withdrawals`, { token, body: { reason: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'requestRef' })]));
    expect((await call(s.url, 'POST', `/dossiers/${subCode}/withdrawals`, { token, body: { requestRef: 'DON-4' }, idempotencyKey: null })).status).toBe(400);
    // requestRef travels on the public topic: free text (a name, a phone), a bare ID/phone number or an over-long
    // reference is refused naming it (400, never a 500 from the event contract), and nothing is published
    const beforeRefs = await s.count('outbox');
    for (const requestRef of ['Bà Nguyễn Thị Lan 0912345678', '079203001234', '0912345678', 'Lan-0912345678', 'CCCD-001099012345', 'R'.repeat(80), ' DON-5']) {
      const r = await call(s.url, 'POST', `/dossiers/${subCode}/withdrawals`, { token, body: { requestRef } });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      const fields = (r.body['errors'] as { field: string }[]).map((e) => e.field);
      expect(fields.length).toBeGreaterThan(0);
      expect(new Set(fields)).toEqual(new Set(['requestRef']));
    }
    expect(await s.count('outbox')).toBe(beforeRefs);
    // the applicant's own name, ID number or phone inside a reference-shaped requestRef, however written (any case,
    // decomposed, without diacritics, in groups): 400 requestRef, nothing published
    const mine = await call(s.url, 'POST', '/online-submissions', { token, body: onlineBody({ applicant: applicant({ fullName: 'Hoàng Văn Nam', idNumber: '001155009999', phone: '0977111222' }) }) });
    const mineCode = mine.body['code'] as string;
    for (const requestRef of ['HOANG-VAN-NAM-1', 'Hoàng-Văn-Nam-2'.normalize('NFD'), 'RUT/0977.111.22', 'CCCD-001.155.009.999', 'hoangvannam/2026']) {
      const r = await call(s.url, 'POST', `/dossiers/${mineCode}/withdrawals`, { token, body: { requestRef } });
      expect({ requestRef, status: r.status, fields: (r.body['errors'] as { field: string }[] | undefined)?.map((e) => e.field) }).toEqual({ requestRef, status: 400, fields: ['requestRef'] });
    }
    expect(await s.count('outbox')).toBe(beforeRefs + 1); // the submission's own event only
    expect((await call(s.url, 'GET', `/dossiers/${mineCode}`, { token })).body['status']).toBe('SUBMITTED');
    expect((await call(s.url, 'POST', `/dossiers/${mineCode}/withdrawals`, { token, body: { requestRef: '15/2026/ĐƠN-RÚT' } })).status).toBe(200);
    expect((await call(s.url, 'POST', `/dossiers/${subCode}/withdrawals`, { token, body: { requestRef: 'DON-6', reason: '  \t ' } })).status).toBe(400);
  });
});
