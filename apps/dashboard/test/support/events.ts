import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createEvent, toPublicEvent, type EventTypeV1, type PayloadOfV1 } from '@onestop/contracts';
import { repoRoot } from '@onestop/testing';

/** The committed v1 fixture of an event type (hand-written, realistic payload incl. personal data). */
function fixturePayload<T extends EventTypeV1>(type: T): PayloadOfV1<T> {
  const file = path.join(repoRoot(), 'libs/contracts/fixtures/v1', `${type}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { payload: PayloadOfV1<T> }).payload;
}

export interface DossierPlan {
  unit: string;
  seq: number;
  channel: 'ONLINE' | 'DIRECT' | 'POSTAL';
  /** Local (+07:00) date-times. */
  receivedAt: string;
  dueAt: string;
  resolvedAt?: string;
  rating?: 'VERY_SATISFIED' | 'SATISFIED' | 'DISSATISFIED';
}

export interface PublicMessage {
  key: string;
  value: string;
}

/**
 * The public projection (what the statistics service consumes) of a dossier's lifecycle, built with
 * `createEvent` (validated against the contract) from the committed fixtures, then `toPublicEvent`.
 */
export function dossierEvents(plan: DossierPlan): PublicMessage[] {
  const day = plan.receivedAt.slice(2, 10).replace(/-/g, '');
  const dossierId = `${plan.unit}-${day}-${String(plan.seq).padStart(4, '0')}`;
  const base = { dossierId, receivingUnitId: plan.unit };
  const meta = (producer: string, occurredAt: string) => ({ producer, correlationId: randomUUID(), occurredAt });
  const out = [];
  const received = fixturePayload('DossierReceived');
  out.push(
    createEvent(
      'DossierReceived',
      { ...received, ...base, receivedAt: plan.receivedAt, submittedAt: plan.receivedAt, channel: plan.channel, dueAt: plan.dueAt, originalDueAt: plan.dueAt, resolvingUnitId: plan.unit },
      meta('intake-service', plan.receivedAt),
    ),
  );
  if (plan.resolvedAt) {
    const resolved = fixturePayload('DossierResolved');
    out.push(
      createEvent(
        'DossierResolved',
        { ...resolved, ...base, finishedAt: plan.resolvedAt, dueAt: plan.dueAt, originalDueAt: plan.dueAt },
        meta('result-service', plan.resolvedAt),
      ),
    );
  }
  if (plan.resolvedAt && plan.rating) {
    const at = plan.resolvedAt.replace(/T(\d{2})/, (_, h: string) => `T${String(Math.min(23, Number(h) + 1)).padStart(2, '0')}`);
    const rated = fixturePayload('DossierRated');
    out.push(createEvent('DossierRated', { ...rated, ...base, ratedAt: at, rating: plan.rating }, meta('result-service', at)));
  }
  return out.map((e) => ({ key: dossierId, value: JSON.stringify(toPublicEvent(e)) }));
}
