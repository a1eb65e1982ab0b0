import type { ComponentInput } from '../../src/dossiers/dossier.model';

/** Units of the domain's one-stop catalogue and a procedure with two required components. */
export const FIX = {
  unit: '01.00004',
  otherUnit: '79.TTPV',
  procedure: '1.001193',
  requiredComponents: ['TK_KHAI_SINH', 'GIAY_CHUNG_SINH'] as string[],
};

let n = 0;
export function applicant(overrides: Record<string, unknown> = {}) {
  n++;
  return { type: 'CITIZEN', fullName: `Nguyễn Thị Lan ${n}`, idNumber: `0010990${String(10000 + n).slice(-5)}`, phone: '0912345678', address: 'Số 1 Phố Huế, Phường Ba Đình, Hà Nội', ...overrides };
}

export function counterBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'DIRECT',
    unitCode: FIX.unit,
    procedureCode: FIX.procedure,
    applicant: applicant(),
    components: FIX.requiredComponents.map((code): ComponentInput => ({ code, copies: 1 })),
    ...overrides,
  } as { channel: string; unitCode: string; procedureCode: string; applicant: ReturnType<typeof applicant>; components: ComponentInput[]; [k: string]: unknown };
}

export function onlineBody(overrides: Record<string, unknown> = {}) {
  const { channel: _c, ...rest } = counterBody();
  return { ...rest, applicant: applicant({ email: 'lan@example.vn', vneidVerified: true }), submittedAt: new Date(Date.now() - 3600_000).toISOString(), ...overrides };
}
