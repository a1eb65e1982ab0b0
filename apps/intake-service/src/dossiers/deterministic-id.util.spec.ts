import fc from 'fast-check';
import { uuidV5 } from './deterministic-id.util';

describe(uuidV5.name, () => {
  it('should give the same RFC 4122 version-5 id for the same name and different ids for different names', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(uuidV5(a)).toBe(uuidV5(a));
        expect(uuidV5(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        if (a !== b) expect(uuidV5(a)).not.toBe(uuidV5(b));
      }),
    );
  });
});
