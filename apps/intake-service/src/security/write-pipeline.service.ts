import { Inject, Injectable } from '@nestjs/common';
import { recordAudit, requestHash, requireIdempotencyKey, withIdempotency, type Officer, type StoredResponse } from '@onestop/http';
import { currentCorrelationId } from '@onestop/observability';
import type { PoolClient } from 'pg';
import { INTAKE_CONFIG, INTAKE_SCHEMA, type IntakeConfig } from '../config/intake.config';
import { DossierIntakeService, type ReceiveInput } from '../dossiers/dossier-intake.service';
import type { Actor, DossierView } from '../dossiers/dossier.model';
import { ReceiptGroupCommitter } from '../dossiers/receipt-group-commit';
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
  constructor(
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
    @Inject(DossierIntakeService) private readonly intake: DossierIntakeService,
    @Inject(ReceiptGroupCommitter) private readonly receipts: ReceiptGroupCommitter,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /**
   * `POST /dossiers`: validated in Node, then written by the group commit (ADR 0203) with the same guarantees
   * as `run` (one transaction holds the dossier, history, audit, idempotency answer and outbox; answered after
   * COMMIT). A request that fails validation runs on the per-request path instead, which checks its
   * Idempotency-Key first and then fails the same way, so its answer is exactly the one `run` gives.
   */
  async runReceipt(
    req: WriteRequest,
    input: ReceiveInput,
    audit: (view: DossierView) => WriteOutcome<DossierView>['audit'],
    work: (c: PoolClient, actor: Actor) => Promise<WriteOutcome<DossierView>>,
  ): Promise<StoredResponse<DossierView>> {
    if (!this.config.groupCommit.enabled) return this.run(req, work);
    const key = requireIdempotencyKey(req.idempotencyKey);
    const actor: Actor = { ...req.officer, ip: req.ip, correlationId: currentCorrelationId() };
    let prepared;
    try {
      prepared = this.intake.prepareReceive(input, actor);
    } catch {
      return this.run(req, work);
    }
    return this.receipts.submit({
      scope: `officer:${req.officer.officerId}`,
      key,
      hash: requestHash(req.method, req.path, req.body),
      actor,
      prepared,
      audit,
      fallback: () => this.run(req, work),
    });
  }

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
