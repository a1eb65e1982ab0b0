import { toVnIso, vnDay, vnDisplay } from './vn-time.util';

describe('vn-time util', () => {
  it('should write instants in Vietnam time with an explicit +07:00 offset', () => {
    expect(toVnIso(new Date('2026-03-01T18:30:00Z'))).toBe('2026-03-02T01:30:00.000+07:00');
  });

  it('should take the local day, not the UTC day, for the dossier code and the sequence row', () => {
    expect(vnDay(new Date('2026-03-01T17:00:00Z'))).toEqual({ yymmdd: '260302', isoDate: '2026-03-02' });
    expect(vnDay(new Date('2026-03-01T16:59:59Z'))).toEqual({ yymmdd: '260301', isoDate: '2026-03-01' });
  });

  it('should print dd/MM/yyyy HH:mm on the receipt', () => {
    expect(vnDisplay(new Date('2026-03-02T02:05:00Z'))).toBe('02/03/2026 09:05');
  });
});
