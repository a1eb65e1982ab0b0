import { applicantFingerprints, foldText, holdsApplicantData } from './personal-data.util';

describe("the applicant's personal data in a public field", () => {
  const applicant = { fullName: 'Hoàng Văn Nam', idNumber: '001155009999', phone: '0977 111 222', email: 'nam.hv@example.vn', address: 'Số 5 ngõ 12 Hàng Bạc' };
  const prints = applicantFingerprints(applicant);

  it('should find the name, ID number and phone however they are written: case, NFD, diacritics, separators, country code', () => {
    const written = [
      'Hoàng-Văn-Nam',
      'HOÀNG VĂN NAM',
      'Hoàng Văn Nam'.normalize('NFD'),
      'hoang.van.nam',
      'Lệ phí của ông Hoang Van Nam',
      '001.155.009.999',
      '001-155-009-999',
      'SĐT 0977.111.222',
      '+84 977 111 222',
      'NAM.HV@EXAMPLE.VN',
      'RUT/０９７７１１１２２２', // full-width digits
      'Hoàng\u200bVăn\u200bNam', // zero-width spaces between the words
      'NamHoangVan-1', // the given name first
      'Van-Nam-Hoang/2',
    ];
    expect(written.filter((w) => !holdsApplicantData(w, prints))).toEqual([]);
  });

  it("should leave other text alone: another person's name, reference numbers, short values", () => {
    expect(['Hoàng Văn Minh', '15/2026/ĐRHS', 'RUT-0042', 'Lệ phí hộ tịch', 'Nam'].filter((w) => holdsApplicantData(w, prints))).toEqual([]);
    // a two-letter name folds to fewer than 5 characters: it would match ordinary words, so it is not looked for
    expect(applicantFingerprints({ fullName: 'Lê An', idNumber: '001155009999', phone: '0977111222' })).not.toContain('lean');
  });

  it('should fold NFC and NFD alike, without case or separators', () => {
    expect(foldText('Đơn-Rút 15/2026'.normalize('NFD'))).toBe(foldText('đơn rút 152026'));
  });
});
