import { issueToken, verifyToken, assertUnitScope, VerifiedTokenCache, bearerToken } from './auth';
import { ProblemException } from './problem';

describe('verifyToken', () => {
  const opts = { secret: 's3cret', issuer: 'onestop-dev' };
  const officer = { officerId: 'cb-01', name: 'Nguyễn Văn A', unitId: '00004', roles: ['receiver'] };

  it('should return the officer when the token is valid', () => {
    expect(verifyToken(opts, issueToken(opts, officer))).toEqual(officer);
  });

  it('should reject a token signed with another secret', () => {
    const forged = issueToken({ ...opts, secret: 'other' }, officer);
    expect(() => verifyToken(opts, forged)).toThrow('invalid token signature');
  });

  it('should reject an expired token', () => {
    const old = issueToken(opts, officer, 60, 1_000_000);
    expect(() => verifyToken(opts, old)).toThrow('token expired');
  });

  it('should forbid acting for another unit when the officer is not admin', () => {
    expect(() => assertUnitScope(officer, '00007')).toThrow(ProblemException);
    expect(() => assertUnitScope(officer, '00004')).not.toThrow();
    expect(() => assertUnitScope({ ...officer, roles: ['admin'] }, '00007')).not.toThrow();
  });
});

describe('VerifiedTokenCache', () => {
  const opts = { secret: 's3cret', issuer: 'onestop-dev', leewaySeconds: 30 };
  const officer = { officerId: 'cb-01', name: 'Nguyễn Văn A', unitId: '00004', roles: ['receiver'] };
  const t0 = 1_000_000;

  it('should answer a remembered token without verifying it again', () => {
    const cache = new VerifiedTokenCache(opts, 10);
    const token = issueToken(opts, officer, 3600, t0);
    expect(cache.has(token)).toBe(false);
    expect(cache.verify(token, t0)).toEqual(officer);
    expect(cache.has(token)).toBe(true);
    expect(cache.verify(token, t0 + 10)).toEqual(officer);
    expect(cache.size).toBe(1);
  });

  it('should reject a remembered token once it expired (exp + leeway), like verifyToken', () => {
    const cache = new VerifiedTokenCache(opts, 10);
    const token = issueToken(opts, officer, 60, t0);
    expect(cache.verify(token, t0)).toEqual(officer);
    expect(cache.verify(token, t0 + 60 + 30)).toEqual(officer); // last second of the leeway
    expect(() => cache.verify(token, t0 + 60 + 31)).toThrow('token expired');
    expect(() => verifyToken(opts, token, t0 + 60 + 31)).toThrow('token expired');
    expect(cache.size).toBe(0);
  });

  it('should never remember a rejected token', () => {
    const cache = new VerifiedTokenCache(opts, 10);
    const forged = issueToken({ ...opts, secret: 'other' }, officer, 3600, t0);
    expect(() => cache.verify(forged, t0)).toThrow('invalid token signature');
    expect(() => cache.verify(forged, t0)).toThrow('invalid token signature');
    expect(() => cache.verify(issueToken(opts, officer, 60, t0 - 1000), t0)).toThrow('token expired');
    expect(cache.size).toBe(0);
  });

  it('should stay within its bound, dropping the least recently used token', () => {
    const cache = new VerifiedTokenCache(opts, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => issueToken(opts, { ...officer, officerId: id }, 3600, t0)) as [string, string, string];
    cache.verify(a, t0);
    cache.verify(b, t0);
    cache.verify(a, t0); // a is now the most recent
    cache.verify(c, t0); // evicts b
    expect([cache.has(a), cache.has(b), cache.has(c)]).toEqual([true, false, true]);
    // b is verified again (still valid) and evicts the least recently used one, a
    expect(cache.verify(b, t0).officerId).toBe('b');
    expect([cache.has(a), cache.has(b), cache.has(c)]).toEqual([false, true, true]);
  });

  it('should hand out copies: a caller mutating its officer does not change the next answer', () => {
    const cache = new VerifiedTokenCache(opts, 10);
    const token = issueToken(opts, officer, 3600, t0);
    const first = cache.verify(token, t0);
    first.roles.push('admin');
    first.unitId = '99999';
    expect(cache.verify(token, t0)).toEqual(officer);
  });

  it('should remember nothing when its size is 0', () => {
    const cache = new VerifiedTokenCache(opts, 0);
    expect(cache.verify(issueToken(opts, officer, 3600, t0), t0)).toEqual(officer);
    expect(cache.size).toBe(0);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BeArEr abc.def.ghi', 'abc.def.ghi'],
    ['Bearer    abc.def.ghi  ', 'abc.def.ghi'],
    ['bearer\tabc.def.ghi', 'abc.def.ghi'],
    [['bearer first.t.k', 'Bearer second.t.k'], 'first.t.k'],
  ])('should take the token of %j whatever the case of the scheme', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([[undefined], [''], ['Basic dXNlcjpwdw=='], ['Bearerabc.def.ghi'], ['Bearer'], ['Bearer   '], ['abc.def.ghi'], ['Token abc']])(
    'should find no bearer token in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined();
    },
  );
});
