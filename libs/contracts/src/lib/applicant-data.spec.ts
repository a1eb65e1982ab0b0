import { applicantMarks, applicantMarksKey, holdsApplicantData, applicantFingerprints, holdsMarkedData } from './applicant-data.util';

describe('applicant data in published fields', () => {
  const applicant = { fullName: 'Trần Văn Bình', idNumber: '001099012345', phone: '0987654321', email: 'binh.tran@gmail.com', address: 'Số 5 ngõ 10 Phố Huế' };
  const key = applicantMarksKey('a-service-secret-of-32-bytes-at-least');
  const marks = applicantMarks(applicant, key);
  const found = ['Lệ phí Trần Văn Bình', 'Phí Số 5 ngõ 10 Phố Huế', 'Phí binh.tran＠gmail.com', 'Phí binh.tran(at)gmail.com', 'KQ/0987/654/321', 'Bình Trần Văn', '+84 987 654 321', '001.099.012.345'];
  const clean = ['Lệ phí cấp bản sao', '15/2026/QĐ-UBND', 'Phí thẩm định 2.000.000 đ', 'Bình thường', 'Phí gửi Phố Huế'];

  // black-box round 9: other dashes and middle dots, and the house number with its street, passed
  it('should find the applicant written with en / em dashes or middle dots, and the part of the address that locates the home', () => {
    const home = { ...applicant, address: '12 Phố Quán Thánh, Ba Đình, Hà Nội' };
    const homeMarks = applicantMarks(home, key);
    for (const v of ['Phí 0987–654–321', 'Phí 0987—654—321', 'Phí CCCD 001–099–012–345', 'Lệ phí cho Trần·Văn·Bình', 'CT–Trần–Văn–Bình', 'Phí gửi 12 Phố Quán Thánh']) {
      expect([v, holdsApplicantData(v, applicantFingerprints(home)), holdsMarkedData(v, homeMarks, key)]).toEqual([v, true, true]);
    }
    // the ward and the city alone locate nobody
    for (const v of ['Phí gửi về Ba Đình', 'Lệ phí Hà Nội']) expect([v, holdsApplicantData(v, applicantFingerprints(home)), holdsMarkedData(v, homeMarks, key)]).toEqual([v, false, false]);
  });

  it('should find the applicant in a value however it is written, from the values or from keyed marks alike', () => {
    for (const v of found) expect([v, holdsApplicantData(v, applicantFingerprints(applicant)), holdsMarkedData(v, marks, key)]).toEqual([v, true, true]);
    for (const v of clean) expect([v, holdsApplicantData(v, applicantFingerprints(applicant)), holdsMarkedData(v, marks, key)]).toEqual([v, false, false]);
  });

  it('should keep no value of the applicant in the marks, and find nothing without the key or the marks', () => {
    const stored = JSON.stringify(marks);
    for (const part of ['binh', '0987654321', '001099012345', 'gmail', 'hue']) expect(stored).not.toContain(part);
    expect(holdsMarkedData('Lệ phí Trần Văn Bình', marks, applicantMarksKey('another-secret'))).toBe(false);
    expect(holdsMarkedData('Lệ phí Trần Văn Bình', null, key)).toBe(false);
  });
});
