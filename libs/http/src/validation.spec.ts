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

  it('should fold full-width digits to ASCII digits (a phone typed ０９７７… is a phone number to the checks)', () => {
    expect(normaliseText({ ref: 'RUT/０９７７１１１２２２', name: 'Ｌệ phí' })).toEqual({ ref: 'RUT/0977111222', name: 'Ｌệ phí' });
  });

  it('should drop invisible format characters, so a number split by them is seen and a name of nothing but them is empty', () => {
    // black-box round 7: `0010\u200b99012345` in a fee name reached the public topic; `\u200b\u200b` passed as a name
    expect(normaliseText({ name: 'Lệ phí CCCD 0010\u200b99012345', fullName: '\u200b\u200b', address: '\u200b\u200c\ufeff', soft: 'Hà\u00adNội' })).toEqual({
      name: 'Lệ phí CCCD 001099012345',
      fullName: '',
      address: '',
      soft: 'HàNội',
    });
    const schema = { type: 'object', properties: { fullName: { type: 'string', pattern: '\\S' } }, required: ['fullName'] };
    expect(() => validateBody('spec.cf', schema, { fullName: '\u200b\u200b' })).toThrow();
  });

  it('should pass a lone surrogate through unchanged for the schema to judge', () => {
    expect(normaliseText({ t: 'x\ud83d' }).t).toBe('x\ud83d');
  });
});

describe('validation problems of if/then rules', () => {
  const schema = {
    type: 'object',
    properties: { mode: { enum: ['COUNTER', 'POST'] }, address: { type: 'string' } },
    required: ['mode'],
    if: { properties: { mode: { const: 'POST' } } },
    then: { required: ['address'] },
  };

  it('should name the field the rule requires, without a second "must match then schema" error on the body', () => {
    let thrown: unknown;
    expect(() => {
      try {
        validateBody('spec.if-then', schema, { mode: 'POST' });
      } catch (e) {
        thrown = e;
        throw e;
      }
    }).toThrow();
    expect(JSON.stringify(thrown)).toContain('"field":"address"');
    expect(JSON.stringify(thrown)).not.toContain('then');
  });

  // black-box round 8: a paper result with `legallyValid: true` was told "must be equal to constant"
  it('should say which value a constant rule wants', () => {
    const paper = { type: 'object', properties: { kind: { enum: ['PAPER', 'ELECTRONIC'] }, legallyValid: { type: 'boolean' } }, if: { properties: { kind: { const: 'PAPER' } } }, then: { properties: { legallyValid: { const: false } } } };
    let thrown: unknown;
    try {
      validateBody('spec.const', paper, { kind: 'PAPER', legallyValid: true });
    } catch (e) {
      thrown = e;
    }
    expect(JSON.stringify(thrown)).toContain('"field":"legallyValid","message":"must be false here"');
  });

  // black-box round 10: `must match pattern "^(?=.*\p{N})(?:[0-9A-Fa-f]{8}…"` was all an officer was told
  it("should word a pattern error with the field's description, the expression only after it", () => {
    const schema = {
      type: 'object',
      properties: {
        requestRef: { type: 'string', pattern: '^[A-Z]+-\\d+$', description: 'a reference number such as RUT-15' },
        code: { type: 'string', pattern: '^\\d{2}$' },
      },
    };
    let thrown: unknown;
    try {
      validateBody('spec.pattern', schema, { requestRef: 'Nguyễn Văn A', code: 'x' });
    } catch (e) {
      thrown = e;
    }
    const errors = (thrown as { errors: { field: string; message: string }[] }).errors;
    expect(errors).toEqual([
      { field: 'requestRef', message: 'is not in the accepted form: a reference number such as RUT-15' },
      { field: 'code', message: 'is not in the accepted form (pattern ^\\d{2}$)' },
    ]);
  });
});
