/**
 * Seeded generator of realistic, fictitious public lifecycle events (v1 public contract) for real one-stop
 * units of the domain catalogue (ADR 0104 codes: `01.00004`, `01.TTPV`). Each dossier's events are in
 * lifecycle order; `interleave` mixes dossiers while keeping every dossier's own order.
 */
import { randomUUID } from 'node:crypto';
import { OneStopUnitKind, getUnitDirectory } from '@onestop/domain';

export interface GeneratedEvent {
  id: string;
  type: string;
  version: 1;
  occurredAt: string;
  producer: string;
  correlationId: string;
  key: string;
  payload: Record<string, unknown> & { dossierId: string };
}

export function rng(seed: number): () => number {
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
 * Real one-stop unit codes from the domain catalogue: the first `perProvince` commune one-stop units
 * (`01.00004`) of each province, then the province's Public Administration Service Centre (`01.TTPV`).
 */
export function oneStopUnits(provinces: string[], perProvince: number): string[] {
  const catalogue = getUnitDirectory().oneStopUnits;
  const out: string[] = [];
  for (const p of provinces) {
    const units = catalogue.ofProvince(p);
    out.push(...units.filter((u) => u.kind === OneStopUnitKind.CommuneOneStop).slice(0, perProvince).map((u) => u.code));
    out.push(...units.filter((u) => u.kind === OneStopUnitKind.ProvincialServiceCentre).map((u) => u.code));
  }
  return out;
}

/** Statistics ids (codes) of a one-stop unit's roll-up chain from the domain directory: `[01.00004, 00004, 01, VN]`. */
export function chainOf(unitCode: string, day = '2025-11-01'): string[] {
  return getUnitDirectory()
    .ancestorsAt(unitCode, day)
    .map((n) => n.code);
}

const PROCEDURES: [string, string][] = [
  ['1.000948', 'G09-TP01'], // birth registration (hộ tịch)
  ['2.000635', 'G09-TP02'],
  ['1.001612', 'G01-DD02'], // land
  ['2.000815', 'G03-GD10'],
  ['1.004227', 'G12-XD01'],
];
const CHANNELS = ['DIRECT', 'ONLINE', 'POSTAL'];

const vn = (t: number): string => new Date(t + 7 * 3600_000).toISOString().replace('Z', '+07:00');

export interface GenerateOptions {
  dossiers: number;
  units: string[];
  seed?: number;
  /** Receipts spread over [start, start + days). */
  start?: string;
  days?: number;
  /** Prefix of the daily sequence number, so several generated sets never share a dossier id. */
  seqPrefix?: string;
}

export function generateDossiers(o: GenerateOptions): GeneratedEvent[][] {
  const r = rng(o.seed ?? 42);
  const start = Date.parse(o.start ?? '2025-11-01T08:00:00+07:00');
  const days = o.days ?? 20;
  const seqPerUnitDay = new Map<string, number>();
  const out: GeneratedEvent[][] = [];
  for (let i = 0; i < o.dossiers; i++) {
    const unit = o.units[Math.floor(r() * o.units.length)]!;
    const [procedureCode, sectorCode] = PROCEDURES[Math.floor(r() * PROCEDURES.length)]!;
    const receivedT = start + Math.floor(r() * days) * 86_400_000 + Math.floor(r() * 8 * 3600_000);
    const day = vn(receivedT).slice(2, 10).replace(/-/g, '');
    const sk = `${unit}-${day}`;
    const seq = (seqPerUnitDay.get(sk) ?? 0) + 1;
    seqPerUnitDay.set(sk, seq);
    const dossierId = `${unit}-${day}-${o.seqPrefix ?? ''}${String(seq).padStart(4, '0')}`;
    const base = { dossierId, receivingUnitId: unit, procedureCode };
    const evs: GeneratedEvent[] = [];
    out.push(evs);
    const ev = (type: string, t: number, payload: Record<string, unknown>) =>
      evs.push({ id: randomUUID(), type, version: 1, occurredAt: vn(t), producer: 'intake-service', correlationId: randomUUID(), key: dossierId, payload: { ...base, ...payload } });
    const channel = CHANNELS[Math.floor(r() * 3)]!;
    const limitDays = 3 + Math.floor(r() * 10);
    const due = receivedT + limitDays * 86_400_000;
    ev('DossierReceived', receivedT, {
      receivedAt: vn(receivedT), channel, dueAt: vn(due), noAppointment: false, originalDueAt: vn(due),
      timeLimit: { value: limitDays, unit: 'WORKING_DAYS' }, supplementPolicy: 'PAUSE', sectorCode, resolvingUnitId: unit,
      applicantType: 'CITIZEN', components: [{ code: 'TP1', digitised: r() < 0.7, reused: r() < 0.3, fromCitizenRepository: r() < 0.2 }],
      identityVerifiedWithVneid: r() < 0.5, feeRequired: r() < 0.4, paperResultRequired: r() < 0.6, regulationVersion: 'ND118-2025',
    });
    let t = receivedT;
    const fate = r();
    if (fate < 0.12) continue; // still open
    if (r() < 0.15) {
      t += 86_400_000;
      ev('SupplementRequested', t, { requestedAt: vn(t), requestCount: 1 });
      t += 2 * 86_400_000;
      ev('SupplementReceived', t, { receivedAt: vn(t), previousDueAt: vn(due), newDueAt: vn(due + 3 * 86_400_000), policy: 'PAUSE' });
    }
    const finish = receivedT + Math.floor(r() * (limitDays + 4)) * 86_400_000 + 3600_000;
    if (fate < 0.18) {
      ev('DossierWithdrawn', finish, { finishedAt: vn(finish), requestRef: `RUT-${i}` });
      continue;
    }
    if (fate < 0.24) {
      ev('DossierRefused', finish, { finishedAt: vn(finish) });
      continue;
    }
    ev('DossierResolved', finish, { finishedAt: vn(finish), eResult: { issued: r() < 0.6, legallyValid: r() < 0.5 }, dueAt: vn(due), originalDueAt: vn(due), paperResultRequired: false });
    if (r() < 0.8) ev('ResultReturned', finish + 3600_000, { returnedAt: vn(finish + 3600_000), deliveryMode: 'COUNTER' });
    if (r() < 0.3) ev('DossierRated', finish + 7200_000, { ratedAt: vn(finish + 7200_000), rating: ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'][Math.floor(r() * 3)] });
  }
  return out;
}

/** Random interleaving of dossiers' event lists; each dossier's own order is kept. */
export function interleave(lists: GeneratedEvent[][], seed = 7): GeneratedEvent[] {
  const r = rng(seed);
  const queues = lists.map((l) => [...l]).filter((l) => l.length > 0);
  const out: GeneratedEvent[] = [];
  while (queues.length > 0) {
    const i = Math.floor(r() * queues.length);
    out.push(queues[i]!.shift()!);
    if (queues[i]!.length === 0) queues.splice(i, 1);
  }
  return out;
}
