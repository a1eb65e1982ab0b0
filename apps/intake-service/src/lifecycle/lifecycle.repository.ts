import { Inject, Injectable } from '@nestjs/common';
import type { DossierEventV1, DossierStatus } from '@onestop/contracts';
import { SqlExecutor } from '../dossiers/sql-executor';
import { dueAfter, lifecycleSummary, statusAfter, type LifecycleDue } from './lifecycle-status.util';

export interface ApplyOutcome {
  /** New events of dossiers intake knows: stored and their status applied. */
  applied: number;
  /** Already stored (redelivery): nothing changed. */
  duplicates: number;
  /** New events of dossiers intake does not know: stored (shown in the history once the dossier exists here). */
  unknownDossier: number;
}

const iso = (d: Date | null): string | null => (d == null ? null : d.toISOString());

/** SQL of the lifecycle view: one transaction per consumed batch. */
@Injectable()
export class LifecycleRepository {
  constructor(@Inject(SqlExecutor) private readonly sql: SqlExecutor) {}

  /**
   * Stores the events (dedup by event id) and sets each known dossier's `lifecycle_status` to the status after its
   * last new event, in ONE transaction. Events are applied in the order given (per-dossier Kafka order).
   */
  async apply(events: DossierEventV1[]): Promise<ApplyOutcome> {
    const seen = new Set<string>();
    const unique = events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
    const outcome: ApplyOutcome = { applied: 0, duplicates: events.length - unique.length, unknownDossier: 0 };
    if (unique.length === 0) return outcome;
    return this.sql.tx(async (c) => {
      const inserted = await c.query<{ id: string; code: string; known: boolean; status: string | null; due: LifecycleDue | null; dueAt: Date | null; originalDueAt: Date | null }>(
        `WITH x AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::bool[], $7::jsonb[])
             WITH ORDINALITY AS x(id, code, type, at, producer, imported, summary, ord)),
         ins AS (
           INSERT INTO intake.lifecycle_event (id, dossier_code, type, occurred_at, producer, imported, summary)
           SELECT id, code, type, at, producer, imported, summary FROM x ORDER BY ord
           ON CONFLICT (id) DO NOTHING RETURNING id)
         SELECT x.id, x.code, d.id IS NOT NULL AS known, d.lifecycle_status AS status, d.lifecycle_due AS due,
                d.due_at AS "dueAt", d.original_due_at AS "originalDueAt"
           FROM x JOIN ins ON ins.id = x.id LEFT JOIN intake.dossier d ON d.code = x.code
          ORDER BY x.ord`,
        [
          unique.map((e) => e.id), unique.map((e) => e.key), unique.map((e) => e.type), unique.map((e) => e.occurredAt),
          unique.map((e) => e.producer), unique.map((e) => e.imported === true), unique.map((e) => JSON.stringify(lifecycleSummary(e))),
        ],
      );
      const byId = new Map(unique.map((e) => [e.id, e]));
      // fold the new events of each known dossier, in consumption order, into its status after the last one
      const next = new Map<string, { status: DossierStatus | null; at: string | null }>();
      // and its due dates after the last one that moved them (ADR 0208, amendment 2026-11-25)
      const dues = new Map<string, { due: LifecycleDue; changed: boolean }>();
      for (const r of inserted.rows) {
        if (!r.known) {
          outcome.unknownDossier++;
          continue;
        }
        outcome.applied++;
        const e = byId.get(r.id) as DossierEventV1;
        const cur = next.get(r.code) ?? { status: r.status as DossierStatus | null, at: null };
        const status = statusAfter(e.type, cur.status, e.payload);
        next.set(r.code, status !== cur.status ? { status, at: e.occurredAt } : cur);
        const curDue = dues.get(r.code) ?? { due: r.due ?? { dueAt: iso(r.dueAt), originalDueAt: iso(r.originalDueAt) }, changed: false };
        const due = dueAfter(e, curDue.due);
        dues.set(r.code, due === curDue.due ? curDue : { due, changed: true });
      }
      outcome.duplicates += unique.length - inserted.rows.length;
      const changed = [...next.entries()].filter(([, v]) => v.at !== null);
      if (changed.length > 0) {
        await c.query(
          `UPDATE intake.dossier d SET lifecycle_status = v.status, lifecycle_updated_at = v.at
             FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS v(code, status, at)
            WHERE d.code = v.code`,
          [changed.map(([code]) => code), changed.map(([, v]) => v.status), changed.map(([, v]) => v.at)],
        );
      }
      const moved = [...dues.entries()].filter(([, v]) => v.changed);
      if (moved.length > 0) {
        await c.query(
          `UPDATE intake.dossier d SET lifecycle_due = v.due FROM unnest($1::text[], $2::jsonb[]) AS v(code, due) WHERE d.code = v.code`,
          [moved.map(([code]) => code), moved.map(([, v]) => JSON.stringify(v.due))],
        );
      }
      return outcome;
    });
  }
}
