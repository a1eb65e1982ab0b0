import { DeadlineCalculator, LegalCalendar, SAMPLE_PROCEDURES, communeOneStopCode, getUnitDirectory, toVnDate, vnStartOfDay, type LocalDate, type ProcedureDefinition } from '@onestop/domain';

/**
 * What one simulated dossier will go through. Plans are drawn from a seeded generator, so the same seed and
 * options give the same traffic (reproducible demos and bug reports).
 */
export type Channel = 'ONLINE' | 'DIRECT' | 'POSTAL';
export type Outcome = 'INTAKE_REJECTED' | 'RESOLVED' | 'OPEN' | 'REFUSED' | 'WITHDRAWN';
export type Rating = 'VERY_SATISFIED' | 'SATISFIED' | 'DISSATISFIED';

export interface ComponentPlan {
  code: string;
  copies: number;
  digitised: boolean;
  reused: boolean;
  fromRepository: boolean;
}

export interface DossierPlan {
  seq: number;
  unitCode: string;
  procedureCode: string;
  channel: Channel;
  outcome: Outcome;
  /** Milliseconds before "now" at which the dossier is received (0 = now); never in the future. */
  receivedAgoMs: number;
  components: ComponentPlan[];
  applicant: { type: 'CITIZEN'; fullName: string; idNumber: string; phone: string; vneidVerified: boolean };
  /** Supplement requested and received before the result (RESOLVED only). */
  supplement: boolean;
  /** Fee collected before the result (RESOLVED, fee-bearing procedures); `online` = paid on the portal. */
  payment: { online: boolean; amount: number } | null;
  result: { kind: 'PAPER' | 'ELECTRONIC' } | null;
  returnMode: 'COUNTER' | 'POST' | 'ONLINE' | null;
  rating: Rating | null;
}

/** Shares of the traffic. Defaults follow the national picture of 2023 (53% online, 67% digitised). */
export interface TrafficMix {
  online: number;
  postal: number;
  /** Of dossiers: components scanned at intake (a digitised dossier has all its components scanned). */
  digitised: number;
  /** Of applicants: identity verified with VNeID. */
  vneid: number;
  reused: number;
  fromRepository: number;
  /** Of online submissions: rejected at intake. */
  intakeRejected: number;
  /** Of received dossiers: left in progress / refused / withdrawn; the rest is resolved. */
  open: number;
  refused: number;
  withdrawn: number;
  /** Of resolved and open dossiers, when receipts are spread over past days: past their legal due date. */
  late: number;
  /** Of resolved dossiers. */
  supplement: number;
  electronicResult: number;
  paidOnline: number;
  rated: number;
}

export const DEFAULT_MIX: TrafficMix = {
  online: 0.53,
  postal: 0.05,
  digitised: 0.67,
  vneid: 0.45,
  reused: 0.2,
  fromRepository: 0.15,
  intakeRejected: 0.03,
  open: 0.2,
  refused: 0.04,
  withdrawn: 0.03,
  late: 0.03,
  supplement: 0.1,
  electronicResult: 0.6,
  paidOnline: 0.6,
  rated: 0.4,
};

export interface UnitChoice {
  code: string;
  name: string;
  provinceCode: string;
}

/** mulberry32: small, fast, good enough for traffic shapes; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The commune one-stop units (ADR 0104 codes) of the given provinces in force on `date`, `perProvince` of each,
 * spread evenly over the province's communes (not only the first ones). Unknown province codes are an error.
 */
export function pickUnits(provinceCodes: readonly string[], perProvince: number, date: string): UnitChoice[] {
  const directory = getUnitDirectory();
  const provinces = directory.adminUnits.provincesAt(date);
  const out: UnitChoice[] = [];
  for (const code of provinceCodes) {
    const province = provinces.find((p) => p.code === code);
    if (!province) {
      const known = provinces.map((p) => p.code).join(', ');
      throw new Error(`unknown province code "${code}" on ${date} (known: ${known})`);
    }
    const communes = directory.adminUnits.communesOf(province.id);
    const n = Math.min(perProvince, communes.length);
    const step = communes.length / n;
    for (let i = 0; i < n; i++) {
      const commune = communes[Math.floor(i * step)]!;
      out.push({ code: communeOneStopCode(code, commune.code), name: commune.name, provinceCode: code });
    }
  }
  return out;
}

/** Procedures a commune one-stop unit receives and resolves itself (the simulator drives commune traffic). */
export function communeProcedures(): ProcedureDefinition[] {
  return SAMPLE_PROCEDURES.filter((p) => p.competentLevel === 'COMMUNE');
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thu', 'Quốc', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hùng', 'Lan', 'Mai', 'Nam', 'Phương', 'Sơn', 'Tâm', 'Trang', 'Vy'];

export interface PlanOptions {
  units: readonly UnitChoice[];
  procedures: readonly ProcedureDefinition[];
  mix: TrafficMix;
  /** Receipts are spread over the last `spreadDays` days (0: all received now). */
  spreadDays: number;
  /**
   * Legal due date (epoch ms) of a receipt of `procedure` at `receivedAtMs`; with a spread, it places the receipt
   * so that a dossier resolved or still open now is late only in the `late` share. Default: national calendar.
   */
  dueAt?: (procedure: ProcedureDefinition, receivedAtMs: number) => number;
  /** "Now" for the spread (default Date.now()). */
  now?: number;
}

const nationalCalendar = new LegalCalendar();
const nationalCalculator = new DeadlineCalculator(nationalCalendar);
const nationalDueAt = (procedure: ProcedureDefinition, receivedAtMs: number): number =>
  nationalCalculator.computeDueDate({ receivedAt: receivedAtMs, limit: procedure.timeLimit, supplementPolicy: procedure.supplementPolicy }).originalDueAtMs;

/** Receipts are placed this long before the end of a working session at the latest (the runner's clock runs on). */
const SESSION_END_MARGIN_MS = 10 * 60_000;

/**
 * A back-dated receipt moved into the office hours of a working day (legal calendar: weekends, holidays and swapped
 * days are off; sessions 07:30–11:30, 13:30–17:00 by default): an official receives a dossier at the counter, from
 * the post or accepts an online one during office hours, never at 02:00 or on a Sunday. The draw's position in its
 * day becomes the same position in the working sessions of that day (or of the previous working day), so receipts
 * stay spread and the traffic still depends on the seed only. Stays within the spread and never in the future;
 * 0 (now) when no such instant exists.
 */
function officeHoursAgo(ago: number, now: number, spreadMs: number): number {
  if (ago <= 0) return 0;
  const t = now - ago;
  try {
    if (nationalCalendar.isWithinWorkingHours(t) && nationalCalendar.isWithinWorkingHours(t + SESSION_END_MARGIN_MS)) return ago;
    const day = toVnDate(t);
    const position = (t - vnStartOfDay(day)) / 86_400_000;
    const place = (d: LocalDate): number | null => {
      const sessions = nationalCalendar.sessionsOn(d).map((x) => ({ start: x.start, length: x.end - x.start - SESSION_END_MARGIN_MS })).filter((x) => x.length > 0);
      let offset = Math.floor(position * sessions.reduce((sum, x) => sum + x.length, 0));
      for (const x of sessions) {
        if (offset < x.length) return x.start + offset;
        offset -= x.length;
      }
      return null;
    };
    const previous = nationalCalendar.previousWorkingDay(day, true);
    for (const d of [previous, nationalCalendar.previousWorkingDay(previous), nationalCalendar.nextWorkingDay(day, true)]) {
      const at = place(d);
      if (at !== null && at <= now && now - at <= spreadMs) return now - at;
    }
  } catch {
    return ago; // a date outside the calendar's data: keep the draw
  }
  return 0;
}

/**
 * How long ago the dossier was received: uniform over the spread, then moved so that, resolved or open now, it
 * is past its due date exactly when `late` (as far as the spread allows).
 */
function receivedAgo(rnd: () => number, procedure: ProcedureDefinition, timed: boolean, late: boolean, o: PlanOptions): number {
  const spreadMs = o.spreadDays * 86_400_000;
  if (spreadMs <= 0) return 0;
  const now = o.now ?? Date.now();
  const office = (a: number) => officeHoursAgo(a, now, spreadMs);
  let ago = office(Math.floor(rnd() * spreadMs));
  if (!timed) return ago;
  const due = o.dueAt ?? nationalDueAt;
  const isLate = (a: number) => due(procedure, now - a) < now;
  if (late) return isLate(ago) ? ago : office(spreadMs); // the oldest receipt the spread allows
  for (let i = 0; i < 12 && isLate(ago); i++) ago = office(Math.floor(ago * rnd()));
  return isLate(ago) ? 0 : ago;
}

/** Draws the plan of dossier number `seq` from `rnd`. */
export function planDossier(seq: number, rnd: () => number, o: PlanOptions): DossierPlan {
  if (o.units.length === 0) throw new Error('no units to simulate');
  if (o.procedures.length === 0) throw new Error('no procedures to simulate');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const m = o.mix;
  const unit = pick(o.units);
  const procedure = pick(o.procedures);
  const r = rnd();
  const channel: Channel = r < m.online ? 'ONLINE' : r < m.online + m.postal ? 'POSTAL' : 'DIRECT';

  let outcome: Outcome;
  if (channel === 'ONLINE' && chance(m.intakeRejected)) outcome = 'INTAKE_REJECTED';
  else {
    const x = rnd();
    outcome = x < m.open ? 'OPEN' : x < m.open + m.refused ? 'REFUSED' : x < m.open + m.refused + m.withdrawn ? 'WITHDRAWN' : 'RESOLVED';
  }
  const resolved = outcome === 'RESOLVED';
  const electronic = resolved && chance(m.electronicResult);
  const returnMode = !resolved ? null : channel === 'ONLINE' && electronic ? 'ONLINE' : channel === 'POSTAL' ? 'POST' : 'COUNTER';
  const rated = resolved && chance(m.rated);
  const digitised = chance(m.digitised);
  const timed = outcome === 'RESOLVED' || outcome === 'OPEN';
  const late = timed && chance(m.late);
  const q = rnd();
  return {
    seq,
    unitCode: unit.code,
    procedureCode: procedure.code,
    channel,
    outcome,
    receivedAgoMs: receivedAgo(rnd, procedure, timed, late, o),
    components: procedure.requiredComponentCodes.map((code) => ({
      code,
      copies: 1,
      digitised,
      reused: chance(m.reused),
      fromRepository: chance(m.fromRepository),
    })),
    applicant: {
      type: 'CITIZEN',
      fullName: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
      idNumber: `0${String(Math.floor(rnd() * 1e11)).padStart(11, '0')}`,
      phone: `09${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
      vneidVerified: chance(m.vneid),
    },
    supplement: resolved && chance(m.supplement),
    payment: resolved && procedure.feeRequired ? { online: chance(m.paidOnline), amount: 10_000 * (1 + Math.floor(rnd() * 10)) } : null,
    result: resolved ? { kind: electronic ? 'ELECTRONIC' : 'PAPER' } : null,
    returnMode,
    rating: rated ? (q < 0.7 ? 'VERY_SATISFIED' : q < 0.95 ? 'SATISFIED' : 'DISSATISFIED') : null,
  };
}
