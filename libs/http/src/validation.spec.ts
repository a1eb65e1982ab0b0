import { normaliseText, validateBody } from './validation';

describe('request bodies in Unicode NFC', () => {
  const nfd = (s: string) => s.normalize('NFD');

  it('should put every string of a body in NFC, nested in objects and arrays, and leave keys, numbers and booleans alone', () => {
    const body = { fullName: nfd('Hoàng Văn Nam'), lines: [{ name: nfd('Lệ phí hộ tịch'), amount: 8000, paid: false }], [nfd('khóa')]: nfd('giá trị'), none: null };
    normaliseText(body);
    expect(body).toEqual({ fullName: 'Hoàng Văn Nam', lines: [{ name: 'Lệ phí hộ tịch', amount: 8000, paid: false }], [nfd('khóa')]: 'giá trị', none: null });
    expect(body.fullName).toHaveLength('Hoàng Văn Nam'.length);
  });

  it('should validate the NFC form: a pattern of letters accepts a decomposed Vietnamese reference', () => {
    const schema = { type: 'object', properties: { requestRef: { type: 'string', pattern: '^[\\p{L}\\p{N}/-]+$' } }, required: ['requestRef'] };
    const body = validateBody<{ requestRef: string }>('spec.nfc', schema, { requestRef: nfd('15/2026/ĐƠN-RÚT') });
    expect(body.requestRef).toBe('15/2026/ĐƠN-RÚT');
  });

  it('should pass a lone surrogate through unchanged for the schema to judge', () => {
    expect(normaliseText({ t: 'x\ud83d' }).t).toBe('x\ud83d');
  });
});
