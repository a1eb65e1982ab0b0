import { issueToken, verifyToken, assertUnitScope } from './auth';
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
