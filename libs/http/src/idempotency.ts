import { createHash } from 'node:crypto';
import { ProblemException } from './problem';

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface SqlTx {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** DDL for the idempotency table of a service schema; call from the service's migration. */
export function idempotencyTableDdl(schema: string): string[] {
  return [
    `CREATE TABLE ${ident(schema)}.idempotency_key (
       scope text NOT NULL,
       key text NOT NULL,
       request_hash text NOT NULL,
       status int NOT NULL,
       response jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (scope, key)
     )`,
  ];
}

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
export function requestHash(method: string, path: string, body: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
      : v;
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(canon(body))}`).digest('hex');
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Validates the Idempotency-Key header value (required on every POST). */
export function requireIdempotencyKey(value: string | string[] | undefined): string {
  const key = Array.isArray(value) ? value[0] : value;
  if (!key || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw ProblemException.validation(
      [{ field: 'Idempotency-Key', message: 'header is required: 1–200 visible ASCII characters' }],
      'Idempotency-Key header missing or invalid',
    );
  }
  return key;
}

/**
 * Runs `work` once per (scope, key): inside the caller's transaction it first takes a transaction-scoped
 * advisory lock on the key (concurrent retries wait), then replays the stored answer if the key was used
 * with the same request hash, answers 422 if it was used for a different request (method, path or body), or runs `work` and stores
 * its answer in the same transaction (so the answer and the state change commit or roll back together).
 */
export async function withIdempotency<T>(
  tx: SqlTx,
  schema: string,
  scope: string,
  key: string,
  hash: string,
  work: () => Promise<{ status: number; body: T }>,
): Promise<StoredResponse<T>> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${schema}:${scope}:${key}`]);
  const res = await tx.query(
    `SELECT request_hash, status, response FROM ${ident(schema)}.idempotency_key WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  // TypeORM's manager.query returns the rows; pg's client.query returns { rows }.
  const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { request_hash: string; status: number; response: T }[];
  const found = rows[0];
  if (found) {
    if (found.request_hash !== hash) {
      throw ProblemException.idempotencyKeyReused();
    }
    return { status: found.status, body: found.response, replayed: true };
  }
  const result = await work();
  await tx.query(
    `INSERT INTO ${ident(schema)}.idempotency_key (scope, key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5)`,
    [scope, key, hash, result.status, JSON.stringify(result.body)],
  );
  return { ...result, replayed: false };
}
