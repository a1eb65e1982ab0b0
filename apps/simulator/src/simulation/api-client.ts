import { randomUUID } from 'node:crypto';

/** A failed step of a simulated lifecycle, with the service's problem detail when it sent one. */
export class StepFailedError extends Error {
  constructor(
    readonly step: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`${step}: ${status === null ? '' : `${status} `}${detail}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field
export type Json = any;

export interface ServiceUrls {
  intake: string;
  processing: string;
  result: string;
}

/**
 * Calls one service as one officer. Every POST carries a fresh `Idempotency-Key`, and a request that fails at
 * the network level is retried with the SAME key, so a retry never creates a second dossier or event.
 */
export class ServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly bearer: string,
    private readonly retries = 3,
  ) {}

  async get(path: string): Promise<{ status: number; body: Json }> {
    return this.send('GET', path);
  }

  /** POST that must answer 2xx; otherwise a StepFailedError naming the step and the problem. */
  async post(step: string, path: string, body: unknown): Promise<Json> {
    const r = await this.send('POST', path, body, randomUUID());
    if (r.status >= 300) {
      const detail = r.body && typeof r.body === 'object' ? (r.body.detail ?? r.body.title ?? JSON.stringify(r.body)) : String(r.body);
      throw new StepFailedError(step, r.status, String(detail).slice(0, 300));
    }
    return r.body;
  }

  /** Polls GET `path` until it answers 200 and `until` holds (another service catching up with Kafka). */
  async waitFor(step: string, path: string, until: (b: Json) => boolean, timeoutMs: number): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    for (let delay = 50; ; delay = Math.min(500, delay * 2)) {
      const r = await this.get(path);
      if (r.status === 200 && until(r.body)) return r.body;
      last = `${r.status} ${r.body && typeof r.body === 'object' ? (r.body.status ?? r.body.detail ?? '') : ''}`;
      if (Date.now() + delay > deadline) throw new StepFailedError(step, null, `timed out after ${timeoutMs} ms (last: ${last})`);
      await new Promise((res) => setTimeout(res, delay));
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, key?: string): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.bearer}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        let parsed: Json = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text for the error message
        }
        return { status: res.status, body: parsed };
      } catch (err) {
        if (attempt >= this.retries) throw new StepFailedError(`${method} ${path}`, null, `unreachable: ${(err as Error).message}`);
        await new Promise((res) => setTimeout(res, 200 * 2 ** attempt));
      }
    }
  }
}
