import { DomainCatalogue } from './domain-catalogue';
import { unitNotInForceMessage } from './unit-validity';

describe(unitNotInForceMessage.name, () => {
  const catalogue = new DomainCatalogue();

  it('should say a 2025 unit is in force from 2025-07-01 and name the old communes its area was under the day before', () => {
    const v = catalogue.unitValidity('01.00004');
    expect(v).toMatchObject({ code: '01.00004', validFrom: '2025-07-01', validTo: null });
    const message = unitNotInForceMessage(v!, '2025-06-30');
    expect(message).toMatch(/^one-stop unit 01\.00004 \(Bộ phận Một cửa Phường Ba Đình\) is in force from 2025-07-01, not on 2025-06-30; /);
    // Quán Thánh went wholly into Ba Đình (ADR 0206's example), Ngọc Hà was split
    expect(message).toContain('00013 Phường Quán Thánh,');
    expect(message).toContain('00016 Phường Ngọc Hà (part)');
    expect(message).toContain('legacyUnit.communeCode');
    expect(message).not.toContain('unknown');
  });

  it('should name the old province of a provincial centre', () => {
    expect(unitNotInForceMessage(catalogue.unitValidity('01.TTPV')!, '2025-06-30')).toContain('pre-2025 unit 01 Thành phố Hà Nội');
  });

  it('should be silent on a day the unit is in force, and say until when after its last day', () => {
    const v = catalogue.unitValidity('01.00004')!;
    expect(unitNotInForceMessage(v, '2025-07-01')).toBeUndefined();
    expect(unitNotInForceMessage({ ...v, validTo: '2026-01-31' }, '2026-02-01')).toBe(
      'one-stop unit 01.00004 (Bộ phận Một cửa Phường Ba Đình) was in force until 2026-01-31, not on 2026-02-01',
    );
  });

  it('should not know a code outside the unit directory', () => {
    expect(catalogue.unitValidity('01.99999')).toBeUndefined();
    expect(catalogue.unitValidity('ZZZ.bogus')).toBeUndefined();
  });
});
