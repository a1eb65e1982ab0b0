import { DeadlineCalculator, LegalCalendar, SAMPLE_PROCEDURES, getUnitDirectory, parseOneStopUnitCode } from '@onestop/domain';
import { DEFAULT_MIX, communeProcedures, pickUnits, planDossier, seededRandom, type DossierPlan, type PlanOptions } from './plan';

const DATE = '2026-11-24';

describe('traffic planner', () => {
  const units = pickUnits(['01', '79'], 5, DATE);
  const options: PlanOptions = { units, procedures: communeProcedures(), mix: DEFAULT_MIX, spreadDays: 30 };
  const draw = (n: number, seed = 1, o: PlanOptions = options): DossierPlan[] => {
    const rnd = seededRandom(seed);
    return Array.from({ length: n }, (_, i) => planDossier(i + 1, rnd, o));
  };

  it('should pick real commune one-stop units of the requested provinces, spread over the province', () => {
    expect(units).toHaveLength(10);
    const directory = getUnitDirectory();
    for (const u of units) {
      expect(directory.oneStopUnits.has(u.code)).toBe(true);
      expect(parseOneStopUnitCode(u.code)?.kind).toBe('COMMUNE_ONE_STOP');
    }
    expect(units.filter((u) => u.provinceCode === '01')).toHaveLength(5);
    const hanoiCommunes = directory.adminUnits.communesOf(directory.adminUnits.provincesAt(DATE).find((p) => p.code === '01')!.id);
    // spread over the province, not simply its first five communes
    const firstFive = new Set(hanoiCommunes.slice(0, 5).map((c) => `01.${c.code}`));
    expect(units.filter((u) => u.provinceCode === '01').every((u) => firstFive.has(u.code))).toBe(false);
  });

  it('should name the unknown province and list the known ones', () => {
    expect(() => pickUnits(['01', '99'], 2, DATE)).toThrow(/unknown province code "99" on 2026-11-24 \(known: 01, /);
  });

  it('should only use procedures a commune resolves itself', () => {
    const codes = new Set(communeProcedures().map((p) => p.code));
    expect(codes.size).toBeGreaterThan(3);
    expect(SAMPLE_PROCEDURES.filter((p) => codes.has(p.code)).every((p) => p.competentLevel === 'COMMUNE')).toBe(true);
    for (const plan of draw(200)) expect(codes.has(plan.procedureCode)).toBe(true);
  });

  it('should give the same traffic for the same seed and different traffic for another seed', () => {
    // back-dated receipts are placed in office hours relative to the clock, so two runs compare at the same "now"
    const at = { ...options, now: Date.parse('2026-11-24T09:30:00+07:00') };
    expect(draw(50, 42, at)).toEqual(draw(50, 42, at));
    expect(draw(50, 43, at)).not.toEqual(draw(50, 42, at));
  });

  it('should follow the mix: about 53% online, 67% of dossiers digitised, 45% VNeID, every outcome present', () => {
    const plans = draw(4000, 7);
    const share = (pred: (p: DossierPlan) => boolean) => plans.filter(pred).length / plans.length;
    expect(share((p) => p.channel === 'ONLINE')).toBeCloseTo(0.53, 1);
    expect(share((p) => p.channel === 'POSTAL')).toBeCloseTo(0.05, 1);
    expect(share((p) => p.components.every((c) => c.digitised))).toBeCloseTo(0.67, 1);
    expect(plans.every((p) => p.components.every((c) => c.digitised) || p.components.every((c) => !c.digitised))).toBe(true);
    expect(share((p) => p.applicant.vneidVerified)).toBeCloseTo(0.45, 1);
    for (const outcome of ['INTAKE_REJECTED', 'RESOLVED', 'OPEN', 'REFUSED', 'WITHDRAWN'] as const) expect(share((p) => p.outcome === outcome)).toBeGreaterThan(0);
    expect(share((p) => p.outcome === 'OPEN')).toBeCloseTo(0.2 * 0.98, 1);
  });

  it('should keep every plan consistent with its outcome and channel', () => {
    for (const p of draw(2000, 9)) {
      if (p.outcome === 'INTAKE_REJECTED') expect(p.channel).toBe('ONLINE');
      const resolved = p.outcome === 'RESOLVED';
      expect(p.result !== null).toBe(resolved);
      expect(p.returnMode !== null).toBe(resolved);
      if (!resolved) expect([p.supplement, p.payment, p.rating]).toEqual([false, null, null]);
      if (p.returnMode === 'ONLINE') expect([p.channel, p.result?.kind]).toEqual(['ONLINE', 'ELECTRONIC']);
      if (p.channel === 'POSTAL' && resolved) expect(p.returnMode).toBe('POST');
      const procedure = SAMPLE_PROCEDURES.find((x) => x.code === p.procedureCode)!;
      if (p.payment) expect(procedure.feeRequired).toBe(true);
      expect(p.components.map((c) => c.code)).toEqual(procedure.requiredComponentCodes);
      expect(p.receivedAgoMs).toBeGreaterThanOrEqual(0);
      expect(p.receivedAgoMs).toBeLessThanOrEqual(30 * 86_400_000);
      expect(p.applicant.idNumber).toMatch(/^\d{12}$/);
      expect(p.applicant.phone).toMatch(/^09\d{8}$/);
    }
  });

  it('should spread receipts over past days so that only the late share of resolved and open dossiers is past due', () => {
    const now = Date.parse('2026-11-24T09:30:00+07:00');
    const calculator = new DeadlineCalculator(new LegalCalendar());
    const plans = draw(3000, 11, { ...options, spreadDays: 30, now, mix: { ...DEFAULT_MIX, late: 0.1 } });
    const pastDue = (p: DossierPlan) => {
      const procedure = SAMPLE_PROCEDURES.find((x) => x.code === p.procedureCode)!;
      return calculator.computeDueDate({ receivedAt: now - p.receivedAgoMs, limit: procedure.timeLimit, supplementPolicy: procedure.supplementPolicy }).originalDueAtMs < now;
    };
    const timed = plans.filter((p) => p.outcome === 'RESOLVED' || p.outcome === 'OPEN');
    const lateShare = timed.filter(pastDue).length / timed.length;
    expect(lateShare).toBeGreaterThan(0.06);
    expect(lateShare).toBeLessThan(0.14);
    // receipts really are spread (not all "now"), and never in the future
    expect(timed.filter((p) => p.receivedAgoMs > 86_400_000).length).toBeGreaterThan(timed.length / 10);
    expect(plans.every((p) => p.receivedAgoMs >= 0 && p.receivedAgoMs <= 30 * 86_400_000)).toBe(true);
    // the late share is a parameter: none late when it is 0
    const none = draw(500, 11, { ...options, spreadDays: 30, now, mix: { ...DEFAULT_MIX, late: 0 } });
    expect(none.filter((p) => (p.outcome === 'RESOLVED' || p.outcome === 'OPEN') && pastDue(p))).toEqual([]);
  });

  it('should place back-dated receipts in the office hours of working days (no counter open at night, on a Sunday or a holiday)', () => {
    const calendar = new LegalCalendar();
    // Monday 05/01/2026 07:00 in Vietnam: the spread covers weekends, New Year's Day and the nights before it
    for (const now of [Date.parse('2026-01-05T07:00:00+07:00'), Date.parse('2026-11-24T21:30:00+07:00')]) {
      const plans = draw(2000, 13, { ...options, spreadDays: 30, now });
      const backDated = plans.filter((p) => p.receivedAgoMs > 0);
      expect(backDated.length).toBeGreaterThan(plans.length / 2);
      const outside = backDated.filter((p) => !calendar.isWithinWorkingHours(now - p.receivedAgoMs)).map((p) => new Date(now - p.receivedAgoMs + 7 * 3600_000).toISOString());
      expect(outside).toEqual([]);
      // still spread over the whole window, and within it
      expect(backDated.some((p) => p.receivedAgoMs > 20 * 86_400_000)).toBe(true);
      expect(plans.every((p) => p.receivedAgoMs >= 0 && p.receivedAgoMs <= 30 * 86_400_000)).toBe(true);
    }
  });

  it('should receive everything now without a spread, and refuse to plan without units', () => {
    expect(draw(100, 3, { ...options, spreadDays: 0 }).every((p) => p.receivedAgoMs === 0)).toBe(true);
    expect(() => planDossier(1, seededRandom(1), { ...options, units: [] })).toThrow('no units to simulate');
  });
});
