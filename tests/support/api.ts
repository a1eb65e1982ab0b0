import { createHmac, randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { parseEvent, type DossierEventV1 } from '@onestop/contracts';
import { eventually, testKafka, uniqueName } from '@onestop/testing';
import { JWT } from './stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field
export type Json = any;

/** An HS256 bearer token as the services expect it (the e2e suite may not import @onestop/http). */
export function token(unitId: string, officerId = `e2e-${unitId}`): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ officerId, name: officerId, unitId, roles: [], iss: JWT.issuer, iat: now, exp: now + 3600 });
  const sig = createHmac('sha256', JWT.secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export interface Reply {
  status: number;
  body: Json;
}

export class Client {
  constructor(
    private readonly baseUrl: string,
    private readonly bearer: string,
  ) {}

  async get(path: string): Promise<Reply> {
    const r = await fetch(this.baseUrl + path, { headers: { authorization: `Bearer ${this.bearer}` } });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  async post(path: string, body: unknown = {}, key: string = randomUUID()): Promise<Reply> {
    const r = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.bearer}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  /** POST that must succeed; the problem body is in the failure message otherwise. */
  async ok(path: string, body: unknown = {}): Promise<Json> {
    const r = await this.post(path, body);
    if (r.status >= 300) throw new Error(`POST ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Waits (bounded) until GET path answers 200 and `until` holds. */
  async await(path: string, until: (b: Json) => boolean, what: string, timeoutMs = 20_000): Promise<Json> {
    return eventually(async () => {
      const r = await this.get(path);
      return r.status === 200 && until(r.body) ? r.body : null;
    }, what, { timeoutMs, intervalMs: 150 });
  }
}

export interface ReadEvent {
  event: DossierEventV1;
  partition: number;
  offset: string;
}

/** Reads the internal topic from the beginning; every message must parse against the contract. */
export async function readLifecycle(topic: string): Promise<{ events: ReadEvent[]; invalid: string[]; stop: () => Promise<void> }> {
  const consumer: Consumer = testKafka().consumer({ groupId: uniqueName('e2e_reader'), sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const events: ReadEvent[] = [];
  const invalid: string[] = [];
  // a rebalance of this reader's group before its offsets are committed hands the same records again: kept once
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const at = `${partition}/${message.offset}`;
      if (seen.has(at)) return; // a redelivery to this reader (not a skipped test)
      seen.add(at);
      try {
        events.push({ event: parseEvent(message.value), partition, offset: message.offset });
      } catch (err) {
        invalid.push(`${partition}@${message.offset}: ${String(err)}`);
      }
    },
  });
  return { events, invalid, stop: () => consumer.disconnect() };
}
