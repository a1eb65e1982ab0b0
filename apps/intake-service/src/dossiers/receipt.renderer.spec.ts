import { DomainCatalogue } from '../catalogue/domain-catalogue';
import type { DossierView } from './dossier.model';
import { ORIGINAL_RECEIPT_DUE_NOTE, ORIGINAL_RECEIPT_DUE_NOTE_EN, buildReceipt, renderReceiptHtml, vietnameseDueExplanation } from './receipt.renderer';

const dossier = (over: Partial<DossierView> = {}): DossierView => ({
  id: '00000000-0000-4000-8000-000000000001',
  code: '01.00004-260302-0007',
  unitCode: '01.00004',
  procedureCode: '1.001193',
  procedureVersion: null,
  channel: 'DIRECT',
  status: 'RECEIVED',
  intakeStatus: 'RECEIVED',
  statusUpdatedAt: '2026-03-02T08:00:00.000+07:00',
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
  receivedByName: null,
  resultDelivery: 'COUNTER',
  imported: false,
  legacyCode: null,
  legacyUnit: null,
  receiptDueAt: over.dueAt === undefined ? '2026-03-05T08:00:00.000+07:00' : over.dueAt,
  version: 1,
  components: [{ code: 'TK01', name: 'Tờ khai', copies: 1, digitised: true, reused: false, fromRepository: false, fileRef: null, recordedAt: '2026-03-02T08:00:00.000+07:00', recordedBy: 'can-bo-01' }],
  ...over,
});

describe(renderReceiptHtml.name, () => {
  // black-box round 10: a postal or online dossier was told to fetch its result at the counter, and the officer signed
  // as an id
  it("should print the citizen's choice of result delivery and the receiving officer's name", () => {
    const unit = { code: '01.00004', name: 'Bộ phận Một cửa Phường Ba Đình', provinceName: 'UBND Thành phố Hà Nội' };
    const counter = renderReceiptHtml(buildReceipt(dossier({ receivedByName: 'Phạm Văn Tiếp' }), unit, undefined));
    expect(counter).toContain('4. Nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả — Bộ phận Một cửa Phường Ba Đình');
    expect(counter).toContain('Khi đến nhận kết quả');
    expect(counter).toContain('<br><br><br>Phạm Văn Tiếp</div>');
    const post = buildReceipt(dossier({ resultDelivery: 'POST', applicant: { type: 'CITIZEN', fullName: 'Lê Văn An', idNumber: '001099012345', phone: '0912345678', address: '12 Phố Quán Thánh, Ba Đình, Hà Nội' } }), unit, undefined);
    expect(post.resultDeliveryMode).toBe('POST');
    const postHtml = renderReceiptHtml(post);
    expect(postHtml).toContain('4. Hình thức nhận kết quả: Qua dịch vụ bưu chính công ích, gửi đến địa chỉ: 12 Phố Quán Thánh, Ba Đình, Hà Nội');
    expect(postHtml).not.toContain('Khi đến nhận kết quả');
    const online = renderReceiptHtml(buildReceipt(dossier({ resultDelivery: 'ONLINE' }), unit, undefined));
    expect(online).toContain('4. Hình thức nhận kết quả: Trực tuyến');
    // no name known (an older dossier): the id, as before
    expect(renderReceiptHtml(buildReceipt(dossier(), unit, undefined))).toContain('<br><br><br>can-bo-01</div>');
  });

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

describe(vietnameseDueExplanation.name, () => {
  it('should say an imported appointment comes from the original receipt, not from the catalogue limit and clock start', () => {
    // a 2024 dossier imported with its own dueAt (5 days), while the procedure's limit today is 8 working hours
    const d = dossier({
      imported: true,
      receivedAt: '2024-03-04T09:00:00.000+07:00',
      dueAt: '2024-03-09T09:00:00.000+07:00',
      originalDueAt: '2024-03-09T09:00:00.000+07:00',
      timeLimit: { value: 8, unit: 'WORKING_HOURS' },
      dueExplanation: [ORIGINAL_RECEIPT_DUE_NOTE],
    });
    const facts = { clockStartAt: new Date('2024-03-04T02:00:00Z'), clockStartRoll: null, openingTime: '07:00', closingTime: '17:00', workingHoursPerDay: 8, daysOff: [] };
    const lines = vietnameseDueExplanation(d, facts);
    expect(lines).toEqual(['Hồ sơ được tiếp nhận lúc 09:00 Thứ Hai, 04/03/2024.', `${ORIGINAL_RECEIPT_DUE_NOTE}.`]);
    const html = renderReceiptHtml(buildReceipt(d, undefined, undefined, facts));
    expect(html).toContain('09/03/2024 09:00');
    expect(html).not.toContain('8 giờ làm việc');
  });

  it('should give an imported appointment its English note in dueExplanation (older imports stored the Vietnamese) and the Vietnamese one on the page', () => {
    for (const stored of [ORIGINAL_RECEIPT_DUE_NOTE, ORIGINAL_RECEIPT_DUE_NOTE_EN]) {
      const d = dossier({ imported: true, receivedAt: '2024-03-04T09:00:00.000+07:00', dueAt: '2024-03-09T09:00:00.000+07:00', dueExplanation: [stored] });
      const r = buildReceipt(d, undefined, undefined);
      expect(r.dueExplanation).toEqual([ORIGINAL_RECEIPT_DUE_NOTE_EN]);
      expect(r.dueExplanationVi).toEqual(['Hồ sơ được tiếp nhận lúc 09:00 Thứ Hai, 04/03/2024.', `${ORIGINAL_RECEIPT_DUE_NOTE}.`]);
    }
  });

  it("should print an imported dossier's old number and old receiving unit, and the receipt's appointment rather than the one in force", () => {
    const d = dossier({
      imported: true,
      legacyCode: '000.00.15.H26-240304-0001',
      legacyUnit: { agencyCode: '000.00.15.H26', communeCode: '00013' },
      dueAt: '2026-03-20T08:00:00.000+07:00', // moved by an apology after the receipt
      receiptDueAt: '2026-03-05T08:00:00.000+07:00',
    });
    const r = buildReceipt(d, undefined, undefined);
    expect(r.legacy).toEqual({ code: '000.00.15.H26-240304-0001', agencyCode: '000.00.15.H26', communeCode: '00013' });
    expect(r.dueAt).toBe('2026-03-05T08:00:00.000+07:00');
    const html = renderReceiptHtml(r);
    expect(html).toContain('Số hồ sơ trên hệ thống cũ: <b>000.00.15.H26-240304-0001</b>');
    expect(html).toContain('mã cơ quan 000.00.15.H26, mã xã/phường cũ 00013');
    expect(renderReceiptHtml(buildReceipt(dossier(), undefined, undefined))).not.toContain('hệ thống cũ');
  });

  it('should word the clock start, the limit and the days off in Vietnamese and never print the English steps', () => {
    const d = dossier({
      receivedAt: '2026-03-06T18:30:00.000+07:00',
      dueAt: '2026-03-11T18:00:00.000+07:00',
      timeLimit: { value: 2, unit: 'WORKING_DAYS' },
      dueExplanation: ['Received Fri 2026-03-06 18:30, after closing time 17:00: clock start rolled forward to Mon 2026-03-09 07:00'],
    });
    const facts = {
      clockStartAt: new Date('2026-03-09T07:00:00+07:00'),
      clockStartRoll: 'AFTER_CLOSING' as const,
      daysOff: [{ date: '2026-03-07', weeklyRest: true, nameVi: null }, { date: '2026-03-08', weeklyRest: true, nameVi: null }],
      workingHoursPerDay: 8,
      openingTime: '07:00',
      closingTime: '17:00',
    };
    expect(vietnameseDueExplanation(d, facts)).toEqual([
      'Hồ sơ được tiếp nhận lúc 18:30 Thứ Sáu, 06/03/2026.',
      'Hồ sơ tiếp nhận sau giờ làm việc (17:00) nên thời hạn được tính từ 07:00 Thứ Hai, 09/03/2026.',
      'Thời hạn giải quyết: 2 ngày làm việc (1 ngày làm việc = 8 giờ làm việc).',
      'Không tính các ngày nghỉ: Thứ Bảy, 07/03/2026 (nghỉ hằng tuần); Chủ nhật, 08/03/2026 (nghỉ hằng tuần).',
    ]);
    const receipt = buildReceipt(d, undefined, undefined, facts);
    expect(receipt.dueExplanation).toEqual(d.dueExplanation);
    const html = renderReceiptHtml(receipt);
    expect(html).toContain('sau giờ làm việc (17:00)');
    expect(html).not.toContain('rolled forward');
  });

  it('should mark the days off of a provisional calendar year and say the appointment may move (real 2027 calendar)', () => {
    // Mon 1/2/2027 09:00 + 5 working days passes over the provisional Tết Đinh Mùi closure (ADR 0102, 2026-11-25)
    const d = dossier({ receivedAt: '2027-02-01T09:00:00.000+07:00', dueAt: '2027-02-15T09:00:00.000+07:00', timeLimit: { value: 5, unit: 'WORKING_DAYS' } });
    const facts = new DomainCatalogue().dueDateFacts(new Date(d.receivedAt!), new Date(d.dueAt!));
    expect(facts.provisionalYears).toEqual([2027]);
    const lines = vietnameseDueExplanation(d, facts);
    const daysOff = lines.find((l) => l.startsWith('Không tính các ngày nghỉ:'))!;
    expect(daysOff).toContain('Thứ Năm, 04/02/2027 (Tết Nguyên đán Đinh Mùi – dự kiến)');
    expect(daysOff).toContain('(nghỉ hằng tuần)'); // weekly rest days are not provisional
    expect(daysOff).not.toContain('hằng tuần – dự kiến');
    expect(lines.at(-1)).toBe('Lịch nghỉ năm 2027 là dự kiến theo Bộ luật Lao động, chưa có thông báo chính thức; ngày hẹn có thể được điều chỉnh khi có thông báo.');
  });

  // black-box round 8: 18/8/2026 + 15 calendar days = 2/9 (Quốc khánh), printed 3/9 with no word in Vietnamese
  it('should say why a calendar-day appointment is after the last day of the limit (it fell on a day off)', () => {
    const d = dossier({ receivedAt: '2026-08-18T09:00:00.000+07:00', dueAt: '2026-09-03T17:00:00.000+07:00', timeLimit: { value: 15, unit: 'CALENDAR_DAYS' } });
    const facts = new DomainCatalogue().dueDateFacts(new Date(d.receivedAt!), new Date(d.dueAt!));
    const moved = vietnameseDueExplanation(d, facts).find((l) => l.startsWith('Ngày cuối của thời hạn rơi vào ngày nghỉ'));
    expect(moved).toContain('02/09/2026');
    expect(moved).toContain('ngày làm việc tiếp theo');
    // a limit ending on a working day: no such line
    const plain = dossier({ receivedAt: '2026-08-04T09:00:00.000+07:00', dueAt: '2026-08-19T17:00:00.000+07:00', timeLimit: { value: 15, unit: 'CALENDAR_DAYS' } });
    const plainFacts = new DomainCatalogue().dueDateFacts(new Date(plain.receivedAt!), new Date(plain.dueAt!));
    expect(vietnameseDueExplanation(plain, plainFacts).join('\n')).not.toContain('rơi vào ngày nghỉ');
  });

  // black-box round 9: an appointment on Saturday 10/01/2026, a Saturday worked in exchange for Friday 02/01, with no word
  it('should say that a Saturday worked in exchange for a day off counts, also when the appointment falls on it (real 2026 calendar)', () => {
    const catalogue = new DomainCatalogue();
    const receivedAt = new Date('2026-01-08T09:00:00.000+07:00'); // Thursday; + 2 working days: Fri 9/1, Sat 10/1 (worked)
    const due = catalogue.dueDate(receivedAt, { timeLimit: { value: 2, unit: 'WORKING_DAYS' }, noAppointment: false, supplementPolicy: 'RESTART' } as never);
    expect(due.dueAt!.toISOString()).toBe('2026-01-10T02:00:00.000Z'); // Sat 10/01/2026 09:00 in Vietnam
    const d = dossier({ receivedAt: receivedAt.toISOString(), dueAt: due.dueAt!.toISOString(), receiptDueAt: due.dueAt!.toISOString(), timeLimit: { value: 2, unit: 'WORKING_DAYS' } });
    const facts = catalogue.dueDateFacts(receivedAt, due.dueAt!);
    expect(facts.workedRestDays).toEqual([{ date: '2026-01-10', swappedFor: '2026-01-02' }]);
    const line = vietnameseDueExplanation(d, facts).find((l) => l.startsWith('Ngày làm việc bù'));
    expect(line).toBe(
      'Ngày làm việc bù được tính là ngày làm việc: Thứ Bảy, 10/01/2026 (làm bù cho Thứ Sáu, 02/01/2026); bộ phận tiếp nhận và trả kết quả làm việc vào ngày hẹn trả này.',
    );
    expect(renderReceiptHtml(buildReceipt(d, undefined, undefined, facts))).toContain('làm bù cho Thứ Sáu, 02/01/2026');
    // an ordinary week: no such line
    const plainAt = new Date('2026-03-03T09:00:00.000+07:00');
    const plainDue = catalogue.dueDate(plainAt, { timeLimit: { value: 2, unit: 'WORKING_DAYS' }, noAppointment: false, supplementPolicy: 'RESTART' } as never).dueAt!;
    const plain = dossier({ receivedAt: plainAt.toISOString(), dueAt: plainDue.toISOString(), receiptDueAt: plainDue.toISOString(), timeLimit: { value: 2, unit: 'WORKING_DAYS' } });
    expect(vietnameseDueExplanation(plain, catalogue.dueDateFacts(plainAt, plainDue)).join('\n')).not.toContain('làm bù');
  });

  // black-box round 9: a calendar limit received at 17:30 before the Tết closure started after it (Mon 23/02)
  it('should start a calendar-day limit received after closing time on the next calendar day, and say so', () => {
    const catalogue = new DomainCatalogue();
    const limit = { value: 15, unit: 'CALENDAR_DAYS' as const };
    const receivedAt = new Date('2026-02-13T17:30:00.000+07:00');
    const due = catalogue.dueDate(receivedAt, { timeLimit: limit, noAppointment: false, supplementPolicy: 'RESTART' } as never).dueAt!;
    expect(due.toISOString()).toBe('2026-03-02T10:00:00.000Z'); // Mon 02/03/2026 17:00, as for a receipt at 16:00
    const d = dossier({ receivedAt: receivedAt.toISOString(), dueAt: due.toISOString(), receiptDueAt: due.toISOString(), timeLimit: limit });
    const lines = vietnameseDueExplanation(d, catalogue.dueDateFacts(receivedAt, due, limit));
    expect(lines[1]).toBe('Hồ sơ tiếp nhận sau giờ làm việc (17:00) nên thời hạn được tính từ 07:00 Thứ Bảy, 14/02/2026.');
  });

  it('should not call a confirmed year provisional', () => {
    const d = dossier({ receivedAt: '2026-02-12T09:00:00.000+07:00', dueAt: '2026-02-26T09:00:00.000+07:00', timeLimit: { value: 5, unit: 'WORKING_DAYS' } });
    const facts = new DomainCatalogue().dueDateFacts(new Date(d.receivedAt!), new Date(d.dueAt!));
    expect(facts.provisionalYears).toBeUndefined();
    expect(vietnameseDueExplanation(d, facts).join('\n')).not.toContain('dự kiến');
  });

  it('should show the catalogue name of a component when it has one, else the recorded code', () => {
    const procedure = {
      code: '1.001193', name: 'Đăng ký khai sinh', sectorCode: 'G06-HT01', timeLimit: { value: 8, unit: 'WORKING_HOURS' as const }, noAppointment: false,
      supplementPolicy: 'RESTART' as const, feeRequired: false, paperResultRequired: true, components: [{ code: 'TK01', name: 'Tờ khai đăng ký khai sinh', required: true }],
    };
    const d = dossier({ components: [...dossier().components, { ...dossier().components[0]!, code: 'GCS', name: 'GCS' }] });
    expect(buildReceipt(d, undefined, procedure).components.map((c) => c.name)).toEqual(['Tờ khai đăng ký khai sinh', 'GCS']);
  });

  it('should print the components under their Vietnamese catalogue names in the procedure order, whatever order they were stored in', () => {
    const catalogue = new DomainCatalogue();
    const procedure = catalogue.procedure('1.001193', new Date('2026-03-02T01:00:00Z'), '01.00004');
    const stored = dossier().components[0]!;
    // as read back from the database (sorted by code), the name recorded as the code (dossiers received before the names)
    const d = dossier({
      components: [
        { ...stored, code: 'GIAY_CHUNG_SINH', name: 'GIAY_CHUNG_SINH', digitised: false },
        { ...stored, code: 'TK_KHAI_SINH', name: 'TK_KHAI_SINH', digitised: true },
      ],
    });
    const receipt = buildReceipt(d, undefined, procedure);
    expect(receipt.components.map((c) => [c.code, c.name, c.digitised])).toEqual([
      ['TK_KHAI_SINH', 'Tờ khai đăng ký khai sinh', true],
      ['GIAY_CHUNG_SINH', 'Giấy chứng sinh', false],
    ]);
    const html = renderReceiptHtml(receipt);
    expect(html).toContain('<tr><td>1</td><td>Tờ khai đăng ký khai sinh</td>');
    expect(html).toContain('<tr><td>2</td><td>Giấy chứng sinh</td>');
    expect(html).not.toMatch(/TK_KHAI_SINH|GIAY_CHUNG_SINH/);
  });

  it('should print a component the catalogue does not list after the listed ones, under its code', () => {
    const procedure = new DomainCatalogue().procedure('1.001193', new Date('2026-03-02T01:00:00Z'), '01.00004');
    const stored = dossier().components[0]!;
    const d = dossier({ components: [{ ...stored, code: 'AAA_EXTRA', name: 'AAA_EXTRA' }, { ...stored, code: 'TK_KHAI_SINH', name: 'TK_KHAI_SINH' }] });
    expect(buildReceipt(d, undefined, procedure).components.map((c) => c.name)).toEqual(['Tờ khai đăng ký khai sinh', 'AAA_EXTRA']);
  });
});
