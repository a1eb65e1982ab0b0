import { parseEvent } from '@onestop/contracts';
import { eventually } from '@onestop/testing';
import { call, collectTopic, tokenFor, useIntakeSuite } from './support/harness';
import { importLine, pre2025Line } from './support/import-lines';

const NDJSON = 'application/x-ndjson';

/**
 * ADR 0206: dossiers received before 2025-07-01 are imported onto the 2025 one-stop units. Successors checked in
 * the shipped data (merges.json): old Phường Quán Thánh 00013 went whole into Phường Ba Đình 00004 (full);
 * old Phường Ngọc Hà 00016 was split between Ba Đình 00004 and the new Phường Ngọc Hà 00008 (partial both), whose
 * primary successor is 00008 (same name, ADR 0103).
 */
describe('import of pre-2025 dossiers (real Postgres and Kafka)', () => {
  const s = useIntakeSuite('intake_import_pre2025');
  const admin = tokenFor({ unitId: '01.TTPV', officerId: 'quan-tri', roles: ['officer', 'admin'] });
  const post = (token: string, file: string) => call(s.url, 'POST', '/imports', { token, rawBody: file, contentType: NDJSON });

  it('should map legacy units to their 2025 successors, accept 2025 units on pre-2025 dates, reject unknown old communes by field, and change nothing on re-import', async () => {
    const lines = [
      pre2025Line('01.00004-240304-0001', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }),
      pre2025Line('01.00008-240304-0001', { legacyUnit: { agencyCode: '000.00.16.H26', communeCode: '00016' }, unitCode: '01.00008' }),
      pre2025Line('01.00004-240305-0007', { unitCode: '01.00004' }, '2024-03-05T03:00:00Z'),
      pre2025Line('01.00004-240306-0001', { legacyUnit: { agencyCode: '000.00.99.H26', communeCode: '99999' } }),
      pre2025Line('01.00004-240306-0002', { legacyUnit: { agencyCode: '000.00.16.H26', communeCode: '00016' }, unitCode: '01.00004' }),
      pre2025Line('000.00.15.H26-240304-0003', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }),
      pre2025Line('01.00008-240304-0002', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }),
      pre2025Line('01.00004-250801-0001', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }, '2025-08-01T02:00:00Z'),
      importLine(0, 'full', '260302'),
    ];
    const file = lines.join('\n') + '\n';
    const sink = await collectTopic([s.infra.topics.public]);
    try {
      const res = await post(admin, file);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 5, duplicates: 0, rejected: 4 });
      const fields = Object.fromEntries(
        (res.body['rejections'] as { line: number; errors: { field: string }[] }[]).map((r) => [r.line, r.errors.map((e) => e.field)]),
      );
      expect(fields).toEqual({
        4: ['legacyUnit.communeCode'],
        5: ['unitCode'], // 00016's primary successor is 01.00008, not 01.00004
        7: ['code'], // a code of our scheme, but for another 2025 unit than the successor
        8: ['legacyUnit'], // received after the reform
      });

      const rows = await s.pg.query(
        `SELECT code, unit_code AS "unitCode", legacy_agency_code AS agency, legacy_commune_code AS commune, legacy_code AS "legacyCode", status, imported
           FROM intake.dossier ORDER BY code`,
      );
      expect(rows.rows).toEqual([
        { code: '01.00004-240304-0001', unitCode: '01.00004', agency: '000.00.15.H26', commune: '00013', legacyCode: null, status: 'RESOLVED', imported: true },
        // the old system's number as code: ours is assigned (next number of 01.00004 on the receipt day), the old one kept
        { code: '01.00004-240304-0002', unitCode: '01.00004', agency: '000.00.15.H26', commune: '00013', legacyCode: '000.00.15.H26-240304-0003', status: 'RESOLVED', imported: true },
        { code: '01.00004-240305-0007', unitCode: '01.00004', agency: null, commune: null, legacyCode: null, status: 'RESOLVED', imported: true },
        { code: '01.00004-260302-0001', unitCode: '01.00004', agency: null, commune: null, legacyCode: null, status: 'RETURNED', imported: true },
        { code: '01.00008-240304-0001', unitCode: '01.00008', agency: '000.00.16.H26', commune: '00016', legacyCode: null, status: 'RESOLVED', imported: true },
      ]);
      // The reprinted receipt of a 2024 dossier names its 2025 unit, as for a live one (not the bare code).
      const receipt = await call(s.url, 'GET', '/dossiers/01.00004-240304-0001/receipt', { token: admin });
      expect(receipt.status).toBe(200);
      expect(receipt.body['unit']).toEqual({ code: '01.00004', name: expect.stringContaining('Ba Đình'), provinceName: expect.stringContaining('Hà Nội') });
      const html = await fetch(`${s.url}/dossiers/01.00004-240304-0001/receipt.html`, { headers: { authorization: `Bearer ${admin}` } });
      expect(await html.text()).toContain('Ba Đình');
      const envelopes = (await s.pg.query(`SELECT envelope FROM intake.outbox`)).rows.map((r) => r.envelope as Record<string, unknown>);
      expect(envelopes).toHaveLength(4 * 3 + 4);
      for (const e of envelopes) {
        expect(e['imported']).toBe(true);
        expect(() => parseEvent(e)).not.toThrow();
      }
      const received = envelopes.filter((e) => e['type'] === 'DossierReceived').map((e) => e['payload'] as Record<string, unknown>);
      expect(received.map((p) => [p['dossierId'], p['receivingUnitId']]).sort()).toEqual([
        ['01.00004-240304-0001', '01.00004'],
        ['01.00004-240304-0002', '01.00004'],
        ['01.00004-240305-0007', '01.00004'],
        ['01.00004-260302-0001', '01.00004'],
        ['01.00008-240304-0001', '01.00008'],
      ]);

      // Published as today: on the public topic, flagged imported, under the 2025 unit.
      const seen = await eventually(
        () => sink.messages.find((m) => m.key === '01.00008-240304-0001' && m.value['type'] === 'DossierReceived'),
        'the mapped pre-2025 DossierReceived on the public topic',
        { timeoutMs: 30_000 },
      );
      expect(seen.value).toMatchObject({ imported: true, payload: { receivingUnitId: '01.00008' } });
    } finally {
      await sink.stop();
    }

    // Re-import: the same file returns its job; the same lines in another file are duplicates. Nothing changes.
    const before = { dossiers: await s.count('dossier'), events: await s.count('dossier_event'), outbox: await s.count('outbox') };
    await expect(post(admin, file)).resolves.toMatchObject({ body: { imported: 5, rejected: 4 } });
    const other = await post(admin, [lines[5], lines[2], lines[1], lines[0]].join('\n'));
    expect(other.body).toMatchObject({ status: 'COMPLETED', imported: 0, duplicates: 4, rejected: 0 });
    // an officer of the successor unit (another scope, so another job) gets duplicates too, the old number included
    const own = await post(tokenFor({ unitId: '01.00004' }), [lines[0], lines[5]].join('\n'));
    expect(own.body).toMatchObject({ scope: 'unit:01.00004', imported: 0, duplicates: 2, rejected: 0 });
    expect({ dossiers: await s.count('dossier'), events: await s.count('dossier_event'), outbox: await s.count('outbox') }).toEqual(before);
  });

  it("should reject an old system's numbered line whose portal reference belongs to another dossier, before it takes a number", async () => {
    const first = pre2025Line('01.00004-240307-0001', { unitCode: '01.00004' }, '2024-03-07T02:00:00Z');
    expect((await post(admin, first)).body).toMatchObject({ imported: 1, rejected: 0 });
    const seq = async () => (await s.pg.query(`SELECT last_value AS n FROM intake.dossier_sequence WHERE unit_code = '01.00004' AND day = '2024-03-07'`)).rows[0]?.n;
    const before = { seq: await seq(), dossiers: await s.count('dossier'), outbox: await s.count('outbox') };
    const sameRef = JSON.stringify({
      ...JSON.parse(pre2025Line('000.00.15.H26-240307-0009', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }, '2024-03-07T03:00:00Z')),
      externalRef: JSON.parse(first).externalRef,
    });
    const res = await post(admin, sameRef);
    expect(res.body).toMatchObject({ imported: 0, duplicates: 0, rejected: 1, rejections: [{ line: 1, errors: [{ field: 'externalRef' }] }] });
    expect({ seq: await seq(), dossiers: await s.count('dossier'), outbox: await s.count('outbox') }).toEqual(before);
  });

  // Round 4: a second dossier under an old system's number already imported (another applicant: two old systems
  // numbering alike) was counted as a duplicate and silently lost; a file-given code in that case is rejected.
  it("should reject another dossier under an old system's number already imported, naming code, and count the same dossier as a duplicate", async () => {
    // old Xã Thanh Liệt 00646 was split between Phường Định Công 00316, Hoàng Liệt 00337 and Thanh Liệt 00643 (all
    // partial): its primary successor is the one of the same name, 00643 (merges.json, ADR 0103)
    const legacy = { legacyUnit: { agencyCode: '000.00.19.H26', communeCode: '00646' } };
    const first = pre2025Line('000.00.19.H26-240312-0042', legacy, '2024-03-12T02:00:00Z');
    const res = await post(admin, first);
    expect(res.body).toMatchObject({ imported: 1, rejected: 0 });
    const mine = await s.pg.query(`SELECT code, unit_code AS "unitCode" FROM intake.dossier WHERE legacy_code = '000.00.19.H26-240312-0042'`);
    expect(mine.rows).toEqual([{ code: '01.00643-240312-0001', unitCode: '01.00643' }]);
    const seq = async () => (await s.pg.query(`SELECT last_value AS n FROM intake.dossier_sequence WHERE unit_code = '01.00643' AND day = '2024-03-12'`)).rows[0]?.n;
    const before = { seq: await seq(), dossiers: await s.count('dossier'), outbox: await s.count('outbox') };
    const other = pre2025Line('000.00.19.H26-240312-0042', legacy, '2024-03-12T02:00:00Z'); // another applicant
    const again = await post(admin, [first, other].join('\n'));
    expect(again.body).toMatchObject({ imported: 0, duplicates: 1, rejected: 1, rejections: [{ line: 2, errors: [{ field: 'code' }] }] });
    expect({ seq: await seq(), dossiers: await s.count('dossier'), outbox: await s.count('outbox') }).toEqual(before);
  });

  // Round 8: numbers of the old provinces H01–H09 (`000.00.15.H06-240718-8002`) were refused as a phone number
  // (`06-240718-8002`) with a regular expression for a reason: 679 of 693 dossiers of one old province lost.
  it("should import old systems' numbers of the provinces H01–H09, and name the rule when an old number is refused", async () => {
    const legacy = (agencyCode: string) => ({ legacyUnit: { agencyCode, communeCode: '00013' } });
    const lines = ['H01', 'H06', 'H09'].map((h, i) => pre2025Line(`000.00.15.${h}-240718-800${i}`, legacy(`000.00.15.${h}`), `2024-07-18T0${i + 1}:00:00Z`));
    const res = await post(admin, lines.join('\n'));
    expect(res.body).toMatchObject({ imported: 3, rejected: 0 });
    const kept = await s.pg.query(`SELECT legacy_code AS c FROM intake.dossier WHERE legacy_code LIKE '%-240718-800%' ORDER BY 1`);
    expect(kept.rows.map((r) => r.c)).toEqual(['000.00.15.H01-240718-8000', '000.00.15.H06-240718-8001', '000.00.15.H09-240718-8002']);
    // a number hidden in an old number is still refused, and the reason says what the rule is, not its regex
    const hidden = await post(admin, pre2025Line('CCCD.001099012345-240718-0001', legacy('000.00.15.H06'), '2024-07-18T05:00:00Z'));
    expect(hidden.body).toMatchObject({ imported: 0, rejected: 1 });
    const errors = (hidden.body['rejections'] as { errors: { field: string; message?: string; detail?: string }[] }[])[0]!.errors;
    expect(errors[0]!.field).toMatch(/legacyCode$/);
    expect(JSON.stringify(errors)).toContain('not an ID or phone number');
    expect(JSON.stringify(errors)).not.toContain('(?=0|84)');
  });

  it('should let an officer of the successor unit import its legacy lines, and no other unit', async () => {
    const line = pre2025Line('01.00004-240311-0001', { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }, '2024-03-11T02:00:00Z');
    const wrong = await post(tokenFor({ unitId: '01.00008' }), line);
    expect(wrong.body).toMatchObject({ imported: 0, rejected: 1 });
    const own = await post(tokenFor({ unitId: '01.00004' }), line);
    expect(own.body).toMatchObject({ imported: 1, rejected: 0 });
  });
  it("should make an old system's number visible: on the imported DossierReceived (internal and public topic), in the lookup (also found by it) and on the reprinted receipt; a resumption without reason imported as live; a re-upload audited as reused", async () => {
    const legacyCode = '000.00.15.H26-240307-0001';
    const start = Date.parse('2024-03-07T02:00:00Z');
    const line = JSON.parse(pre2025Line(legacyCode, { legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } }, '2024-03-07T02:00:00Z')) as { history: unknown[] };
    const at = (ms: number) => new Date(ms).toISOString();
    // POST /resumptions {} publishes no reason of the officer's: an imported resumption may lack it too
    line.history.splice(2, 0, { type: 'ProcessingSuspended', occurredAt: at(start + 700_000), payload: { at: at(start + 700_000), reason: 'Chờ xác minh' } }, { type: 'ProcessingResumed', occurredAt: at(start + 800_000), payload: { at: at(start + 800_000) } });
    const file = JSON.stringify(line) + '\n';
    const sink = await collectTopic([s.infra.topics.public]);
    let jobId: string;
    try {
      const res = await call(s.url, 'POST', '/imports?fileName=cu.ndjson', { token: admin, rawBody: file, contentType: NDJSON });
      expect(res.body).toMatchObject({ status: 'COMPLETED', imported: 1, rejected: 0 });
      jobId = res.body['jobId'] as string;
      // our number: the unit's next one on the receipt day (an earlier test of this file took 0001)
      const code = (await s.pg.query(`SELECT code FROM intake.dossier WHERE legacy_code = $1`, [legacyCode])).rows[0]?.code as string;
      expect(code).toMatch(/^01\.00004-240307-\d{4}$/);
      const envelope = (await s.pg.query(`SELECT envelope FROM intake.outbox WHERE envelope->>'type' = 'DossierReceived' AND envelope->'payload'->>'dossierId' = $1`, [code])).rows[0]?.envelope as Record<string, unknown>;
      expect(envelope['payload']).toMatchObject({ dossierId: code, legacyCode });
      expect(() => parseEvent(envelope)).not.toThrow();
      const seen = await eventually(() => sink.messages.find((m) => m.key === code && m.value['type'] === 'DossierReceived'), 'the DossierReceived on the public topic', { timeoutMs: 30_000 });
      expect(seen.value).toMatchObject({ imported: true, payload: { dossierId: code, legacyCode } });

      // the lookup names the old number and unit, and answers the old number as the new code (same dossier)
      const byCode = await call(s.url, 'GET', `/dossiers/${code}`, { token: admin });
      expect(byCode.body).toMatchObject({ code, legacyCode, legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' } });
      const byLegacy = await call(s.url, 'GET', `/dossiers/${legacyCode}`, { token: admin });
      expect(byLegacy.status).toBe(200);
      expect(byLegacy.body).toEqual(byCode.body);
      const history = await call<{ type: string }[]>(s.url, 'GET', `/dossiers/${legacyCode}/history`, { token: admin });
      expect(history.body.map((h) => h.type)).toEqual(['DossierReceived', 'DossierTransferred', 'ProcessingSuspended', 'ProcessingResumed', 'DossierResolved']);
      // the receipt: the old number and unit printed, the imported appointment explained per language
      const receipt = await call(s.url, 'GET', `/dossiers/${legacyCode}/receipt`, { token: admin });
      expect(receipt.body).toMatchObject({ dossierCode: code, legacy: { code: legacyCode, agencyCode: '000.00.15.H26', communeCode: '00013' }, dueExplanation: ['Appointment as on the original receipt (historical import)'] });
      expect((receipt.body['dueExplanationVi'] as string[]).join(' ')).toContain('Ngày hẹn trả theo giấy tiếp nhận gốc');
      const html = await (await fetch(`${s.url}/dossiers/${code}/receipt.html`, { headers: { authorization: `Bearer ${admin}` } })).text();
      expect(html).toContain(`Số hồ sơ trên hệ thống cũ: <b>${legacyCode}</b>`);
      expect(html).toContain('000.00.15.H26');
    } finally {
      await sink.stop();
    }

    // the same file under another name: the same job, audited as a reuse (it imported nothing)
    const again = await call(s.url, 'POST', '/imports?fileName=cu-ban-sao.ndjson', { token: admin, rawBody: file, contentType: NDJSON });
    expect(again.body).toMatchObject({ jobId, imported: 1 });
    const audit = await s.pg.query(`SELECT action, details FROM intake.audit_log WHERE target = $1 ORDER BY id`, [`import:${jobId}`]);
    expect(audit.rows).toEqual([
      { action: 'dossier.import', details: expect.objectContaining({ fileName: 'cu.ndjson', imported: 1, duplicates: 0, rejected: 0 }) },
      { action: 'dossier.import.reused', details: expect.objectContaining({ fileName: 'cu-ban-sao.ndjson', reused: true }) },
    ]);
    expect(audit.rows[1].details).not.toHaveProperty('imported');
  });
});
