import {
  containsPersonalNumber,
  DOCUMENT_NUMBER_PATTERN,
  FREE_TEXT_PATTERN,
  PUBLIC_REFERENCE_PATTERN,
  WITHDRAWAL_REQUEST_REF_PATTERN,
} from './vocabulary';

/** The strings of `values` that `pattern` (ajv's Unicode mode) accepts. */
const accepted = (pattern: string, values: string[]) => values.filter((v) => new RegExp(pattern, 'u').test(v));

// Personal numbers as a black-box tester typed them into public fields (round 6): an ID number and phones in groups.
const GROUPED_PERSONAL = ['001-077-005-555', '001.166.007.777', '0977.111.222', '0966_777_888', '84-977-111-222',
  // round 9: the dashes a word processor or phone keyboard puts in, a middle dot, a no-break space
  '0912–345–678', '0912—345—678', '001–099–012–345', '0912·345·678', '0912\u00a0345\u00a0678'];

describe('patterns of published references and free text', () => {
  it('should find a CCCD or phone number written in groups or in one run, and not an amount, a date or a document number', () => {
    for (const s of [...GROUPED_PERSONAL, 'SĐT 0966 777 888', '+84 977 111 222', 'CCCD 001099012345', 'tel:0912345678', '212345678']) {
      expect([s, containsPersonalNumber(s)]).toEqual([s, true]);
    }
    for (const s of ['Phí 100.000.000 đồng', '2026-11-25', '15/2026/QĐ-UBND', 'GKS-2026-000123', '01.00004-261125-0005', '1.004227.000.00.00.H56', 'Lệ phí hộ tịch']) {
      expect([s, containsPersonalNumber(s)]).toEqual([s, false]);
    }
  });

  it("should refuse a withdrawal request's reference that is a name or holds a personal number, and keep real reference numbers", () => {
    expect(accepted(WITHDRAWAL_REQUEST_REF_PATTERN, [...GROUPED_PERSONAL, 'Hoàng-Văn-Nam', 'Lan-0912345678', 'CCCD-001099012345'])).toEqual([]);
    const real = ['15/2025/ĐRHS', 'RUT-0042', 'DON-RUT-1', 'RUT-20261125-01', '15/2026/ĐƠN-RÚT'];
    expect(accepted(WITHDRAWAL_REQUEST_REF_PATTERN, real)).toEqual(real);
  });

  it('should take a document number with a slash or Vietnamese letters, a UUID whatever its digits, and refuse grouped personal numbers', () => {
    const real = ['15/2026/QĐ-UBND', 'KS-2026/001', 'GKS-2026-000123', 'KQ-1', '3f2a1b9c-0412-4863-9123-a7b6c5d4e3f2'];
    expect(accepted(DOCUMENT_NUMBER_PATTERN, [...real, ...GROUPED_PERSONAL, 'QUYET-DINH', '001099012345'])).toEqual(real);
    expect(accepted(PUBLIC_REFERENCE_PATTERN, ['G09-TP01', '1.004227.000', 'LPHT', ...GROUPED_PERSONAL, '001099012345'])).toEqual(['G09-TP01', '1.004227.000', 'LPHT']);
  });

  it('should refuse a reference made only of an ID or phone number split by slashes, and keep numbered documents with a year', () => {
    // black-box round 7: the applicant's CCCD 001099012345 passed as a withdrawal reference written `001099/012345`
    const split = ['001099/012345', '0912/345/678', '84/912/345/678'];
    const kept = ['00123/2026/GCN', '15/2025/ĐRHS', '0042/2026'];
    expect(accepted(WITHDRAWAL_REQUEST_REF_PATTERN, [...split, ...kept])).toEqual(kept);
    expect(accepted(PUBLIC_REFERENCE_PATTERN, [...split, ...kept])).toEqual(kept);
    expect(accepted(DOCUMENT_NUMBER_PATTERN, [...split, ...kept])).toEqual(kept);
  });

  it('should see a personal number with invisible characters inside it', () => {
    expect(containsPersonalNumber('Lệ phí CCCD 0010\u200b99012345')).toBe(true);
    expect(containsPersonalNumber('SĐT 0977\u200c111\ufeff222')).toBe(true);
    expect(containsPersonalNumber('Lệ phí\u200b 50.000')).toBe(false);
  });

  it('should refuse blank free text (spaces, tabs, new lines, no-break spaces), NUL and lone surrogates, and keep any real text', () => {
    expect(accepted(FREE_TEXT_PATTERN, ['', '   ', '\t\n', '\u00a0\u3000', '\u200b', ' \u200b\ufeff ', 'a\u0000b', 'x\ud83d'])).toEqual([]);
    expect(accepted(FREE_TEXT_PATTERN, [' Thiếu bản sao giấy khai sinh ', 'x', 'Dòng 1\nDòng 2 😀'])).toEqual([' Thiếu bản sao giấy khai sinh ', 'x', 'Dòng 1\nDòng 2 😀']);
  });
});
