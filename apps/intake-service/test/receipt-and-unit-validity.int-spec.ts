import { call, tokenFor, useIntakeSuite } from './support/harness';
import { FIX, counterBody } from './support/fixtures';

describe('unit validity on the receipt date and the printed components (real Postgres and Kafka)', () => {
  const s = useIntakeSuite('intake_rcpt_units');
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-01' });

  it('should refuse a receipt dated before the 2025 unit took effect as not in force (from when, and the old communes then), not as unknown', async () => {
    const before = await s.count('dossier');
    const res = await call(s.url, 'POST', '/dossiers', { token, body: counterBody({ receivedAt: '2025-06-30T09:00:00+07:00' }) });
    expect(res.status).toBe(422);
    const errors = res.body['errors'] as { field: string; message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('unitCode');
    expect(errors[0]!.message).toMatch(/^one-stop unit 01\.00004 \(Bộ phận Một cửa Phường Ba Đình\) is in force from 2025-07-01, not on 2025-06-30; /);
    expect(errors[0]!.message).toContain('00013 Phường Quán Thánh');
    expect(String(res.body['detail'])).toContain('in force from 2025-07-01');
    expect(JSON.stringify(res.body)).not.toContain('unknown one-stop unit');
    expect(await s.count('dossier')).toBe(before);
  });

  it('should receive the same dossier on 2025-07-01 and still call a code outside the directory unknown', async () => {
    const ok = await call(s.url, 'POST', '/dossiers', { token, body: counterBody({ receivedAt: '2025-07-01T09:00:00+07:00' }) });
    expect(ok.status).toBe(201);
    const admin = tokenFor({ unitId: FIX.unit, roles: ['officer', 'admin'] });
    const unknown = await call(s.url, 'POST', '/dossiers', { token: admin, body: counterBody({ unitCode: '01.99999', receivedAt: '2025-06-30T09:00:00+07:00' }) });
    expect(unknown.status).toBe(422);
    expect(unknown.body['errors']).toEqual([{ field: 'unitCode', message: 'unknown one-stop unit 01.99999' }]);
  });

  it('should print the receipt (JSON and HTML) with the components Vietnamese names, in the procedure order', async () => {
    const created = await call(s.url, 'POST', '/dossiers', {
      token,
      body: counterBody({ components: [{ code: 'TK_KHAI_SINH' }, { code: 'GIAY_CHUNG_SINH', digitised: true }] }),
    });
    expect(created.status).toBe(201);
    const code = created.body['code'] as string;
    const json = await call(s.url, 'GET', `/dossiers/${code}/receipt`, { token });
    expect(json.status).toBe(200);
    expect((json.body['components'] as { code: string; name: string; digitised: boolean }[]).map((c) => [c.code, c.name, c.digitised])).toEqual([
      ['TK_KHAI_SINH', 'Tờ khai đăng ký khai sinh', false],
      ['GIAY_CHUNG_SINH', 'Giấy chứng sinh', true],
    ]);
    const html = await call(s.url, 'GET', `/dossiers/${code}/receipt.html`, { token });
    expect(html.status).toBe(200);
    const first = html.text.indexOf('<td>1</td><td>Tờ khai đăng ký khai sinh</td>');
    const second = html.text.indexOf('<td>2</td><td>Giấy chứng sinh</td>');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(html.text).not.toMatch(/TK_KHAI_SINH|GIAY_CHUNG_SINH/);
  });
});
