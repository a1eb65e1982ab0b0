import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProblemException, type StoredResponse } from '@onestop/http';
import { outboxChannel } from '@onestop/messaging';
import type { PoolClient } from 'pg';
import { INTAKE_CONFIG, INTAKE_SCHEMA, type IntakeConfig } from '../config/intake.config';
import { DossierIntakeService, type PreparedReceipt } from './dossier-intake.service';
import type { Actor, DossierView } from './dossier.model';
import { DossierRepository } from './dossier.repository';
import { SqlExecutor } from './sql-executor';

/** One validated `POST /dossiers` waiting for the next group commit. */
export interface ReceiptJob {
  /** Idempotency scope (`officer:<id>`), key and request hash, as `withIdempotency` uses them. */
  scope: string;
  key: string;
  hash: string;
  actor: Actor;
  prepared: PreparedReceipt;
  /** The audit row's action and details for the answer. */
  audit: (view: DossierView) => { action: string; target: string; unitId: string; details?: Record<string, unknown> };
  /** The same request on the per-request path (its own transaction): used when the batch cannot commit. */
  fallback: () => Promise<StoredResponse<DossierView>>;
}

interface Pending {
  job: ReceiptJob;
  resolve: (v: StoredResponse<DossierView>) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: StoredResponse<DossierView> } | { ok: false; error: unknown };

/**
 * Group commit of receipts (ADR 0203). Requests are queued; a batch takes what is queued (up to `maxBatch`)
 * when a writer is free and writes it in ONE transaction:
 *   BEGIN + idempotency advisory locks of all keys (sorted) → stored answers + sequence numbers (one statement)
 *   → dossiers, components, history, audit rows, idempotency answers (one statement) → outbox (+NOTIFY) → COMMIT,
 * and only then answers each member. Guarantees per member are those of the per-request path:
 * - a key already used is answered from its stored row (replay, or 422 for another body), and takes no number;
 * - a key twice in one batch: the first one is written, the others run after the COMMIT on the per-request path
 *   (they replay it);
 * - any error in the batch rolls it back (numbers included, so codes stay gap-free) and every member is run
 *   again alone, in order, on the per-request path: one bad member fails alone, the others commit.
 */
@Injectable()
export class ReceiptGroupCommitter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly log = new Logger(ReceiptGroupCommitter.name);
  /** Batches and members committed (diagnostics, tests). */
  readonly stats = { batches: 0, committed: 0, fallbacks: 0 };

  constructor(
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
    @Inject(DossierRepository) private readonly repo: DossierRepository,
    @Inject(DossierIntakeService) private readonly intake: DossierIntakeService,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  submit(job: ReceiptJob): Promise<StoredResponse<DossierView>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    const { maxInFlight, windowMs } = this.config.groupCommit;
    if (this.scheduled || this.inFlight >= maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    const go = (): void => {
      this.scheduled = false;
      if (this.inFlight >= maxInFlight || this.queue.length === 0) return;
      const batch = this.queue.splice(0, this.config.groupCommit.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
      this.pump();
    };
    if (windowMs > 0) setTimeout(go, windowMs);
    else setImmediate(go);
  }

  private async flush(batch: Pending[]): Promise<void> {
    const lead: Pending[] = [];
    const later: Pending[] = [];
    const seen = new Set<string>();
    for (const p of batch) {
      const id = `${p.job.scope}\n${p.job.key}`;
      (seen.has(id) ? later : lead).push(p);
      seen.add(id);
    }
    let outcomes: Outcome[] | undefined;
    try {
      // BEGIN travels with the claim statement (ADR 0204): 3 round trips per batch instead of 4.
      outcomes = await this.sql.txBegunByWork((c) => this.write(c, lead.map((p) => p.job)));
      this.stats.batches++;
      this.stats.committed += outcomes.filter((o) => o.ok && !o.value.replayed).length;
    } catch (err) {
      this.log.warn(`group commit of ${lead.length} receipts rolled back, running them one by one: ${(err as Error).message}`);
      outcomes = undefined;
    }
    if (outcomes) {
      outcomes.forEach((o, i) => (o.ok ? lead[i]?.resolve(o.value) : lead[i]?.reject(o.error)));
    } else {
      this.stats.fallbacks++;
      for (const p of lead) await this.alone(p);
    }
    for (const p of later) await this.alone(p);
  }

  private async alone(p: Pending): Promise<void> {
    await p.job.fallback().then(p.resolve, p.reject);
  }

  /** Writes the batch; its first statement opens the transaction (`claimBatch` sends the BEGIN). */
  private async write(c: PoolClient, jobs: ReceiptJob[]): Promise<Outcome[]> {
    // Same lock as withIdempotency (per-request path), taken in sorted order so concurrent batches cannot deadlock.
    const lockKeys = jobs.map((j) => `${INTAKE_SCHEMA}:${j.scope}:${j.key}`).sort();
    const { found, last } = await this.repo.claimBatch(
      c,
      jobs.map((j) => ({ scope: j.scope, key: j.key, unitCode: j.prepared.row.unitCode, isoDate: j.prepared.day.isoDate })),
      lockKeys,
    );
    // The batch owns numbers last - count + 1 … last of each (unit, day), handed out in arrival order.
    const next = new Map<string, number>();
    jobs.forEach((j, i) => {
      if (found.has(i)) return;
      const k = `${j.prepared.row.unitCode}|${j.prepared.day.isoDate}`;
      next.set(k, (next.get(k) ?? 0) + 1);
    });
    for (const [k, count] of next) {
      const top = last.get(k);
      if (top === undefined) throw new Error(`group commit: no sequence value for ${k}`);
      next.set(k, top - count + 1);
    }
    const outcomes: Outcome[] = [];
    const items: Parameters<DossierRepository['insertReceiptBatch']>[1] = [];
    jobs.forEach((j, i) => {
      const stored = found.get(i);
      if (stored) {
        outcomes.push(
          stored.requestHash === j.hash
            ? { ok: true, value: { status: stored.status, body: stored.response as DossierView, replayed: true } }
            : { ok: false, error: ProblemException.idempotencyKeyReused() },
        );
        return;
      }
      const k = `${j.prepared.row.unitCode}|${j.prepared.day.isoDate}`;
      const seq = next.get(k) as number;
      next.set(k, seq + 1);
      const code = this.intake.codeFor(j.prepared, seq);
      const { events, view } = j.prepared.finish(code);
      const audit = j.audit(view);
      items.push({
        row: { ...j.prepared.row, code },
        components: j.prepared.components,
        events,
        audit: { actor: j.actor.officerId, unitId: audit.unitId, action: audit.action, target: audit.target, ip: j.actor.ip ?? null, correlationId: j.actor.correlationId ?? null, details: audit.details ?? null },
        answer: { scope: j.scope, key: j.key, requestHash: j.hash, status: 201, body: view },
      });
      outcomes.push({ ok: true, value: { status: 201, body: view, replayed: false } });
    });
    if (items.length > 0) {
      await this.repo.insertReceiptBatch(c, items, outboxChannel(INTAKE_SCHEMA));
    }
    return outcomes;
  }
}
