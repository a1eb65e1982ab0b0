import type { DossierView } from './dossier.model';
import { buildReceipt, renderReceiptHtml } from './receipt.renderer';

const dossier = (over: Partial<DossierView> = {}): DossierView => ({
  id: '00000000-0000-4000-8000-000000000001',
  code: '01.00004-260302-0007',
  unitCode: '01.00004',
  procedureCode: '1.001193',
  procedureVersion: null,
  channel: 'DIRECT',
  status: 'RECEIVED',
  applicant: { type: 'CITIZEN', fullName: 'Lê "Văn" <b>An</b>', idNumber: '001099012345', phone: '0912345678' },
  externalRef: null,
  submittedAt: '2026-03-02T08:00:00.000+07:00',
  receivedAt: '2026-03-02T08:00:00.000+07:00',
  rejectedAt: null,
  rejectionReason: null,
  dueAt: '2026-03-05T08:00:00.000+07:00',
  originalDueAt: '2026-03-05T08:00:00.000+07:00',
  dueExplanation: ['3 ngày làm việc'],
  timeLimit: { value: 3, unit: 'WORKING_DAYS' },
  receivedBy: 'can-bo-01',
  imported: false,
  version: 1,
  components: [{ code: 'TK01', name: 'Tờ khai', copies: 1, digitised: true, reused: false, fromRepository: false, fileRef: null, recordedAt: '2026-03-02T08:00:00.000+07:00', recordedBy: 'can-bo-01' }],
  ...over,
});

describe(renderReceiptHtml.name, () => {
  it('should print the Mẫu 01 title, code, dates and components, escaping every value', () => {
    const html = renderReceiptHtml(buildReceipt(dossier(), { code: '01.00004', name: 'Bộ phận Một cửa Phường Ba Đình', provinceName: 'UBND Thành phố Hà Nội' }, undefined));
    expect(html).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(html).toContain('01.00004-260302-0007');
    expect(html).toContain('05/03/2026 08:00');
    expect(html).toContain('Lê &quot;Văn&quot; &lt;b&gt;An&lt;/b&gt;');
    expect(html).not.toContain('<b>An</b>');
  });

  it('should say there is no appointment when dueAt is null', () => {
    expect(renderReceiptHtml(buildReceipt(dossier({ dueAt: null }), undefined, undefined))).toContain('Không hẹn');
  });
});
