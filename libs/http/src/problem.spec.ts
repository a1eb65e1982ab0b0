import { ProblemException } from './problem';

describe('ProblemException.validation', () => {
  it('should name the fields at fault in its default detail, whatever part of the request they are in', () => {
    const e = ProblemException.validation([
      { field: 'officerId', message: 'must be an id' },
      { field: 'limit', message: 'must be 1–500' },
      { field: 'officerId', message: 'again' },
    ]);
    expect(e.status).toBe(400);
    expect(e.detail).toBe('The request is invalid: officerId, limit');
    expect(e.errors).toHaveLength(3);
  });

  it('should keep a detail given by the caller', () => {
    expect(ProblemException.validation([{ field: 'body', message: 'x' }], 'The request body is not JSON').detail).toBe('The request body is not JSON');
  });
});
