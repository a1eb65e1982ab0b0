import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { createEvent, toVnIsoString, type DossierEventV1, type PayloadOfV1 } from '@onestop/contracts';
import { testKafka, uniqueName } from './isolation';

/**
 * Fixtures for suites of services that consume `onestop.dossier.lifecycle.v1` and answer over HTTP with JWT
 * (processing-service, result-service). Token issuing is passed in (`officerTokens(issueToken)`): this library
 * must not depend on @onestop/http, whose own tests use it.
 */

export const TEST_JWT = { secret: 'test-secret-0123456789-abcdefghijklmnop', issuer: 'onestop-pulse' };

export interface TestOfficer {
  officerId: string;
  name: string;
  unitId: string;
  roles: string[];
}

/** `tokenFor({ unitId, officerId? })` signed with TEST_JWT by the given issuer (`issueToken` of @onestop/http). */
export function officerTokens(
  issue: (jwt: typeof TEST_JWT, officer: TestOfficer) => string,
): (officer: Partial<TestOfficer> & { unitId: string }) => string {
  return (officer) => issue(TEST_JWT, { officerId: officer.officerId ?? `off-${officer.unitId}`, name: 'Officer', roles: [], ...officer });
}

let seq = 0;
/** A dossier code in the pre-2025 national format, unique per call. */
export function dossierCode(unit = '000.00.15.H56'): string {
  seq++;
  return `${unit}-261123-${String((Date.now() % 9000) + seq).padStart(4, '0')}${seq}`;
}

export function receivedEvent(
  o: { dossierId: string; unitId: string; resolvingUnitId?: string; receivedAt: Date; dueAt: Date | null; policy?: 'RESTART' | 'PAUSE'; applicant?: PayloadOfV1<'DossierReceived'>['applicant'] },
) {
  const payload: PayloadOfV1<'DossierReceived'> = {
    dossierId: o.dossierId,
    receivingUnitId: o.unitId,
    procedureCode: '1.000948',
    receivedAt: toVnIsoString(o.receivedAt),
    channel: 'DIRECT',
    dueAt: o.dueAt ? toVnIsoString(o.dueAt) : null,
    noAppointment: o.dueAt == null,
    originalDueAt: o.dueAt ? toVnIsoString(o.dueAt) : null,
    timeLimit: { value: 3, unit: 'WORKING_DAYS' },
    supplementPolicy: o.policy ?? 'RESTART',
    sectorCode: 'G03-GD10',
    resolvingUnitId: o.resolvingUnitId ?? o.unitId,
    applicantType: 'CITIZEN',
    components: [{ code: 'TP1', digitised: true, reused: false, fromCitizenRepository: false }],
    identityVerifiedWithVneid: true,
    feeRequired: true,
    paperResultRequired: true,
    regulationVersion: 'ND118-2025',
    applicant: o.applicant ?? { fullName: 'Nguyễn Văn A', idNumber: '001099012345', phone: '0912345678' },
  };
  return createEvent('DossierReceived', payload, { producer: 'intake-service', correlationId: randomUUID(), occurredAt: o.receivedAt });
}

export async function produce(producer: Producer, topic: string, events: (DossierEventV1 | { key: string; value: string; headers?: Record<string, string> })[]): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((e) =>
      'payload' in e ? { key: e.key, value: JSON.stringify(e), headers: { 'event-id': e.id, 'event-type': e.type } } : e,
    ),
  });
}

/** Collects every message of the given topics from the beginning (unique group). */
export async function collect(topics: string[]): Promise<{ messages: { topic: string; key: string; value: Record<string, unknown>; headers: Record<string, string> }[]; stop: () => Promise<void> }> {
  const kafka = testKafka();
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('collector'), sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const messages: { topic: string; key: string; value: Record<string, unknown>; headers: Record<string, string> }[] = [];
  // a rebalance of this collector's group before its offsets are committed hands the same records again: kept once
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const at = `${topic}/${partition}/${message.offset}`;
      if (seen.has(at)) return; // a redelivery to this collector (not a skipped test)
      seen.add(at);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(message.value?.toString() ?? 'null');
      } catch {
        value = { raw: message.value?.toString() };
      }
      messages.push({ topic, key: message.key?.toString() ?? '', value, headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field
export type Json = any;

export interface Http {
  get(path: string, token: string): Promise<{ status: number; body: Json; headers: Headers }>;
  post(path: string, token: string, body: unknown, key?: string | null): Promise<{ status: number; body: Json; headers: Headers }>;
}

export function http(baseUrl: string): Http {
  const call = async (method: string, path: string, token: string, body?: unknown, key?: string | null) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key !== null && method === 'POST') headers['idempotency-key'] = key ?? randomUUID();
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  return {
    get: (p, t) => call('GET', p, t),
    post: (p, t, b, k) => call('POST', p, t, b, k),
  };
}
