import { Inject, Injectable } from '@nestjs/common';
import { recordAudit, requestHash, requireIdempotencyKey, withIdempotency, type Officer, type StoredResponse } from '@onestop/http';
import { currentCorrelationId } from '@onestop/observability';
import type { PoolClient } from 'pg';
import { INTAKE_SCHEMA } from '../config/intake.config';
import type { Actor } from '../dossiers/dossier.model';
import { SqlExecutor } from '../dossiers/sql-executor';

/** What the HTTP layer knows about a write request. */
export interface WriteRequest {
  officer: Officer;
  idempotencyKey: string | string[] | undefined;
  method: string;
  path: string;
  body: unknown;
  ip?: string;
}

export interface WriteOutcome<T> {
  status: number;
  body: T;
  /** Audit: what was done to which target, for which unit. */
  audit: { action: string; target: string; unitId: string; details?: Record<string, unknown> };
}

/**
 * Every POST goes through here, in ONE transaction: the idempotency check (replay / 422), the use case
 * (state + history + outbox), the audit row, and the stored answer. Any error rolls all of it back, so a
 * rejected request changes nothing and its key stays free.
 */
@Injectable()
export class WritePipeline {
  constructor(@Inject(SqlExecutor) private readonly sql: SqlExecutor) {}

  async run<T>(req: WriteRequest, work: (c: PoolClient, actor: Actor) => Promise<WriteOutcome<T>>): Promise<StoredResponse<T>> {
    const key = requireIdempotencyKey(req.idempotencyKey);
    const hash = requestHash(req.method, req.path, req.body);
    const actor: Actor = { ...req.officer, ip: req.ip, correlationId: currentCorrelationId() };
    return this.sql.tx(async (c) => {
      const tx = { query: async (q: string, p?: unknown[]) => (await c.query(q, p)).rows };
      return withIdempotency<T>(tx, INTAKE_SCHEMA, `officer:${req.officer.officerId}`, key, hash, async () => {
        const out = await work(c, actor);
        await recordAudit(tx, INTAKE_SCHEMA, {
          actor: req.officer.officerId,
          unitId: out.audit.unitId,
          action: out.audit.action,
          target: out.audit.target,
          ip: req.ip,
          correlationId: actor.correlationId,
          details: out.audit.details,
        });
        return { status: out.status, body: out.body };
      });
    });
  }
}
