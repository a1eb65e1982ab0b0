/**
 * PROVISIONAL stand-in for the shared reducer while @onestop/domain's `indicators/` is being written
 * (ADR 0401). Same shape as the domain functions; swapped for `DomainIndicatorEngine` once they land.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  NATIONAL_ROOT,
  type DossierTimeline,
  type Facts,
  type IndicatorEngine,
  type LeafContribution,
  type PublicEvent,
} from './indicator-engine';
import { localDay } from './periods';

interface DossierFacts {
  dossierId: string;
  unitId: string;
  procedureCode: string;
  sectorCode: string;
  channel?: string;
  status: string;
  receivedAt?: string;
  dueAt?: string | null;
  originalDueAt?: string | null;
  finishedAt?: string;
  outcome?: 'RESOLVED' | 'REFUSED' | 'WITHDRAWN' | 'INTAKE_REJECTED';
  rating?: string;
  supplements: number;
}

const OPEN = new Set(['RECEIVED', 'IN_PROCESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'SUSPENDED']);
const PAUSED = new Set(['SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'SUSPENDED']);
const METRICS = [
  'received', 'receivedOnline', 'receivedDirect', 'receivedPostal', 'intakeRejected',
  'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'refused', 'withdrawn', 'returned',
  'ratedVerySatisfied', 'ratedSatisfied', 'ratedDissatisfied',
] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class LocalIndicatorEngine implements IndicatorEngine {
  readonly metrics = METRICS;
  private readonly parents: Map<string, string>;

  constructor(parents?: Map<string, string>) {
    this.parents = parents ?? loadCommuneParents();
  }

  applyToFacts(facts: Facts | undefined, event: PublicEvent): Facts {
    const p = event.payload as Record<string, unknown>;
    const f: DossierFacts = facts
      ? { ...(facts as unknown as DossierFacts) }
      : {
          dossierId: p.dossierId as string,
          unitId: str(p['receivingUnitId']) ?? '',
          procedureCode: str(p['procedureCode']) ?? '',
          sectorCode: str(p['sectorCode']) ?? '',
          status: 'NEW',
          supplements: 0,
        };
    const at = str(p['finishedAt']) ?? str(p['returnedAt']) ?? event.occurredAt;
    switch (event.type) {
      case 'DossierSubmitted':
        if (f.status === 'NEW') f.status = 'SUBMITTED';
        f.channel = str(p['channel']) ?? f.channel;
        if (str(p['sectorCode'])) f.sectorCode = str(p['sectorCode']) as string;
        break;
      case 'DossierReceived':
        if (f.receivedAt) break;
        f.status = 'RECEIVED';
        f.receivedAt = str(p['receivedAt']) ?? event.occurredAt;
        f.channel = str(p['channel']) ?? f.channel;
        f.dueAt = (p['dueAt'] as string | null | undefined) ?? null;
        f.originalDueAt = (p['originalDueAt'] as string | null | undefined) ?? f.dueAt;
        f.unitId = str(p['receivingUnitId']) ?? f.unitId;
        f.sectorCode = str(p['sectorCode']) ?? f.sectorCode;
        break;
      case 'DossierIntakeRejected':
        if (!f.receivedAt) {
          f.status = 'INTAKE_REJECTED';
          f.outcome = 'INTAKE_REJECTED';
          f.finishedAt = str(p['rejectedAt']) ?? event.occurredAt;
        }
        break;
      case 'SupplementRequested':
        if (OPEN.has(f.status)) {
          f.status = 'SUPPLEMENT_REQUESTED';
          f.supplements += 1;
        }
        break;
      case 'SupplementReceived':
        if (OPEN.has(f.status)) {
          f.status = 'IN_PROCESS';
          f.dueAt = (p['newDueAt'] as string | null | undefined) ?? f.dueAt;
        }
        break;
      case 'ApologyIssued':
        if (OPEN.has(f.status)) f.dueAt = (p['newDueAt'] as string | null | undefined) ?? f.dueAt;
        break;
      case 'DossierTransferred':
      case 'ProcessingResumed':
      case 'PaymentCompleted':
        if (OPEN.has(f.status)) f.status = 'IN_PROCESS';
        break;
      case 'ProcessingSuspended':
        if (OPEN.has(f.status)) f.status = 'SUSPENDED';
        break;
      case 'FinancialObligationRequested':
        if (OPEN.has(f.status)) f.status = 'AWAITING_PAYMENT';
        break;
      case 'DossierResolved':
        if (OPEN.has(f.status)) {
          f.status = 'RESOLVED';
          f.outcome = 'RESOLVED';
          f.finishedAt = at;
        }
        break;
      case 'DossierRefused':
        if (OPEN.has(f.status)) {
          f.status = 'REFUSED';
          f.outcome = 'REFUSED';
          f.finishedAt = at;
        }
        break;
      case 'DossierWithdrawn':
        if (OPEN.has(f.status) || f.status === 'SUBMITTED') {
          f.status = 'WITHDRAWN';
          if (f.receivedAt) {
            f.outcome = 'WITHDRAWN';
            f.finishedAt = at;
          }
        }
        break;
      case 'ResultReturned':
        if (f.status === 'RESOLVED') f.status = 'RETURNED';
        break;
      case 'DossierRated':
        f.rating = str(p['rating']) ?? f.rating;
        break;
      default:
        break;
    }
    return f as unknown as Facts;
  }

  contributions(facts: Facts | undefined): LeafContribution[] {
    if (!facts) return [];
    const f = facts as unknown as DossierFacts;
    const out: LeafContribution[] = [];
    const cell = (metric: string, at: string) =>
      out.push({ unitId: f.unitId, day: localDay(at), metric, procedureCode: f.procedureCode, sectorCode: f.sectorCode, value: 1 });
    if (f.outcome === 'INTAKE_REJECTED' && f.finishedAt) cell('intakeRejected', f.finishedAt);
    if (f.receivedAt) {
      cell('received', f.receivedAt);
      cell(f.channel === 'ONLINE' ? 'receivedOnline' : f.channel === 'POSTAL' ? 'receivedPostal' : 'receivedDirect', f.receivedAt);
    }
    if (f.finishedAt && f.outcome === 'RESOLVED') {
      cell('resolved', f.finishedAt);
      const due = f.originalDueAt ?? f.dueAt;
      const d = localDay(f.finishedAt);
      const late = f.supplements > 1 || (due != null && d > localDay(due));
      cell(late ? 'resolvedLate' : due != null && d < localDay(due) ? 'resolvedEarly' : 'resolvedOnTime', f.finishedAt);
    }
    if (f.finishedAt && f.outcome === 'REFUSED') cell('refused', f.finishedAt);
    if (f.finishedAt && f.outcome === 'WITHDRAWN') cell('withdrawn', f.finishedAt);
    if (f.status === 'RETURNED' && f.finishedAt) cell('returned', f.finishedAt);
    if (f.rating && f.receivedAt) {
      const m = { VERY_SATISFIED: 'ratedVerySatisfied', SATISFIED: 'ratedSatisfied', DISSATISFIED: 'ratedDissatisfied' }[f.rating];
      if (m) cell(m, f.finishedAt ?? f.receivedAt);
    }
    return out;
  }

  diffContributions(before: LeafContribution[], after: LeafContribution[]): LeafContribution[] {
    const acc = new Map<string, LeafContribution>();
    const add = (c: LeafContribution, sign: number) => {
      const k = `${c.unitId}\u0001${c.day}\u0001${c.metric}\u0001${c.procedureCode}\u0001${c.sectorCode}`;
      const cur = acc.get(k);
      acc.set(k, { ...c, value: (cur?.value ?? 0) + sign * c.value });
    };
    before.forEach((c) => add(c, -1));
    after.forEach((c) => add(c, 1));
    return [...acc.values()].filter((c) => c.value !== 0);
  }

  reduceEvents(events: Iterable<PublicEvent>): LeafContribution[] {
    const seen = new Set<string>();
    const byDossier = new Map<string, Facts>();
    for (const e of events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      byDossier.set(e.payload.dossierId, this.applyToFacts(byDossier.get(e.payload.dossierId), e));
    }
    const all: LeafContribution[] = [];
    for (const f of byDossier.values()) all.push(...this.contributions(f));
    return this.diffContributions([], all);
  }

  computeRates(c: Readonly<Record<string, number>>): Record<string, number | null> {
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    const g = (k: string) => c[k] ?? 0;
    return {
      onlineRate: ratio(g('receivedOnline'), g('received')),
      resolvedRate: ratio(g('resolved'), g('received')),
      onTimeRate: ratio(g('resolvedEarly') + g('resolvedOnTime'), g('resolved')),
    };
  }

  timeline(facts: Facts | undefined): DossierTimeline | null {
    if (!facts) return null;
    const f = facts as unknown as DossierFacts;
    if (!f.receivedAt) return null;
    return {
      unitId: f.unitId,
      procedureCode: f.procedureCode,
      sectorCode: f.sectorCode,
      receivedAt: f.receivedAt,
      finishedAt: f.finishedAt ?? null,
      dueAt: f.dueAt ?? null,
      open: OPEN.has(f.status),
      paused: PAUSED.has(f.status),
    };
  }

  ancestorsAt(unitId: string, _at: string): string[] {
    const out: string[] = [];
    const commune = /^(\d{5})(?:\.|$)/.exec(unitId)?.[1];
    if (commune && commune !== unitId) out.push(commune);
    const province = commune ? this.parents.get(commune) : undefined;
    if (province) out.push(province);
    out.push(NATIONAL_ROOT);
    return out;
  }
}

function loadCommuneParents(): Map<string, string> {
  const file = path.join(__dirname, '../../../../libs/domain/data/vn-admin-units-2025/merges.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { data: { level1_id: string; level2s: { level2_id: string }[] }[] };
  const m = new Map<string, string>();
  for (const p of data.data) for (const c of p.level2s) m.set(c.level2_id, p.level1_id);
  return m;
}
